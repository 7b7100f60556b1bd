"""graphql-core's own messages (syntax, validation, coercion) reach the caller in the language
Accept-Language chose, Simplified Chinese without one; names stay as written, the code never
changes, a message no template knows stays English, and production's missing suggestions stay
missing in every language."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from graphql import GraphQLError

from resolvers.i18n import LOCALES, translate
from schema.errors import make_client_safe
from schema.graphql_messages import graphql_text
from schema.schema import SchemaLimits, build_schema
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api
from tests.schema.test_no_suggestions import MISSPELT

Sample = tuple[str, dict[str, Any] | None, str, dict[str, str]]

# (document, variables, code, message by Accept-Language; "" is no header at all).
SAMPLES: list[Sample] = [
    (
        "{ positons { totalCount } }",
        None,
        "GRAPHQL_VALIDATION_FAILED",
        {
            "en": "Cannot query field 'positons' on type 'Query'. "
            "Did you mean 'positions' or 'stations'?",
            "zh-CN": "类型“Query”上没有可查询的字段“positons”。你是不是想写 'positions'或'stations'？",
            "zh-TW": "類型「Query」上沒有可查詢的字段「positons」。你是不是想寫 'positions'或'stations'？",
            "": "类型“Query”上没有可查询的字段“positons”。你是不是想写 'positions'或'stations'？",
        },
    ),
    (
        "{ issues {",
        None,
        "GRAPHQL_PARSE_FAILED",
        {
            "en": "Syntax Error: Expected Name, found <EOF>.",
            "zh-CN": "语法错误：此处应为 Name，却是 <EOF>。",
            "zh-TW": "語法錯誤：此處應為 Name，卻是 <EOF>。",
            "": "语法错误：此处应为 Name，却是 <EOF>。",
        },
    ),
    (
        "query ($n: Int) { issues(first: $n) { totalCount } }",
        {"n": 1.5},
        "GRAPHQL_VALIDATION_FAILED",
        {
            "en": "Variable '$n' has invalid value: Int cannot represent non-integer value: 1.5",
            "zh-CN": "变量“$n”的值无效：Int 不能表示非整数值：1.5",
            "zh-TW": "變量「$n」的值無效：Int 不能表示非整數值：1.5",
            "": "变量“$n”的值无效：Int 不能表示非整数值：1.5",
        },
    ),
    (
        "{ node { id } }",
        None,
        "GRAPHQL_VALIDATION_FAILED",
        {
            "en": "Argument 'Query.node(id:)' of type 'ID!' is required, but it was not provided.",
            "zh-CN": "参数“Query.node(id:)”（类型“ID!”）是必填的，但没有提供。",
            "zh-TW": "參數「Query.node(id:)」（類型「ID!」）是必填的，但沒有提供。",
            "": "参数“Query.node(id:)”（类型“ID!”）是必填的，但没有提供。",
        },
    ),
    (
        "query ($f: IssueFilter) { issues(filter: $f) { totalCount } }",
        {"f": {"status": ["REPORTD"]}},
        "GRAPHQL_VALIDATION_FAILED",
        {
            "en": "Variable '$f' has invalid value at .status[0]: Value 'REPORTD' does not exist "
            "in 'IssueStatus' enum. Did you mean the enum value 'REPORTED'?",
            "zh-CN": "变量“$f”在 .status[0] 处的值无效：枚举“IssueStatus”中没有值“REPORTD”。"
            "你是不是想写枚举值 'REPORTED'？",
            "zh-TW": "變量「$f」在 .status[0] 處的值無效：枚舉「IssueStatus」中沒有值「REPORTD」。"
            "你是不是想寫枚舉值 'REPORTED'？",
            "": "变量“$f”在 .status[0] 处的值无效：枚举“IssueStatus”中没有值“REPORTD”。"
            "你是不是想写枚举值 'REPORTED'？",
        },
    ),
    (
        "{ issues(after: 'x') { totalCount } }",
        None,
        "GRAPHQL_PARSE_FAILED",
        {
            "en": "Syntax Error: Unexpected single quote character ('), did you mean to use a "
            'double quote (")?',
            "zh-CN": "语法错误：不能用单引号（'）；字符串请用双引号（\"）。",
            "zh-TW": "語法錯誤：不能用單引號（'）；字符串請用雙引號（\"）。",
            "": "语法错误：不能用单引号（'）；字符串请用双引号（\"）。",
        },
    ),
    (
        '{ issues(filter: {createdFrom: "yesterday"}) { totalCount } }',
        None,
        "GRAPHQL_VALIDATION_FAILED",
        {
            "en": 'Value cannot represent a DateTime: "yesterday". {reason}',
            "zh-CN": "“yesterday”不能表示为 DateTime：{reason}",
            "zh-TW": "「yesterday」不能表示為 DateTime：{reason}",
            "": "“yesterday”不能表示为 DateTime：{reason}",
        },
    ),
    (
        "{ issues { ...F } } fragment F on Issue { id }",
        None,
        "GRAPHQL_VALIDATION_FAILED",
        {
            "en": "Fragment 'F' cannot be spread here as objects of type 'IssueConnection' can "
            "never be of type 'Issue'.",
            "zh-CN": "片段“F”不能在此展开：类型“IssueConnection”的对象永远不会是类型“Issue”。",
            "zh-TW": "片段「F」不能在此展開：類型「IssueConnection」的對象永遠不會是類型「Issue」。",
            "": "片段“F”不能在此展开：类型“IssueConnection”的对象永远不会是类型“Issue”。",
        },
    ),
]


async def _error(client: httpx.AsyncClient, api: Api, sample: Sample, language: str) -> Any:
    document, variables, _, _ = sample
    client.headers.pop("Accept-Language", None)
    response = await client.post(
        "/graphql",
        json={"query": document, "variables": variables},
        headers=bearer(api.tokens["secretary"])
        | ({"Accept-Language": language} if language else {}),
    )
    [error] = response.json()["errors"]
    return error


def _matches(expected: str, message: str) -> bool:
    """MESSAGE is EXPECTED, where a {reason} is the date parser's own words (English, and
    worded differently by python-dateutil's versions)."""
    pattern = re.escape(expected).replace(re.escape("{reason}"), ".+")
    return re.fullmatch(pattern, message) is not None


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s[0][:30])
async def test_graphql_cores_message_is_in_the_callers_language(
    app_client: ClientFactory, api: Api, sample: Sample
) -> None:
    _, _, code, messages = sample
    async with app_client() as client:
        # Twice in turn: the document and its errors are cached, the words are not.
        for language in [*messages, *messages]:
            error = await _error(client, api, sample, language)
            assert _matches(messages[language], error["message"]), (language, error["message"])
            assert error["extensions"] == {"code": code}, language


def test_names_and_values_are_kept_as_written() -> None:
    message = "Cannot query field 'issueS_x' on type 'Query'."
    text = graphql_text(message)
    assert text is not None
    assert text.params == {"field": "issueS_x", "type": "Query"}
    for locale in LOCALES:
        written = translate(text, locale)
        assert "issueS_x" in written and "Query" in written


@pytest.mark.parametrize(
    "message",
    [
        "Some message graphql-core may write one day for 'x'.",
        # A known frame around a detail no template knows: the detail stays English.
        "Anonymous Subscription must not use `@skip` or `@include` directives in the top "
        "level selection.",
        # A suggestion whose list is not graphql-core's: the whole message stays as written.
        "Unknown type 'Issu'. Did you mean Issue?",
    ],
)
@pytest.mark.parametrize("locale", LOCALES)
def test_a_message_no_template_knows_stays_as_graphql_core_wrote_it(
    message: str, locale: str
) -> None:
    assert graphql_text(message) is None
    error = GraphQLError(message)
    make_client_safe(error, "r-1", locale=locale)
    assert error.message == message
    assert error.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_a_syntax_errors_detail_no_template_knows_stays_english_inside_the_frame() -> None:
    error = GraphQLError(
        "Syntax Error: Name 'true' is reserved and cannot be used for an enum value."
    )
    make_client_safe(error, "r-1", locale="zh_Hans")
    assert (
        error.message == "语法错误：Name 'true' is reserved and cannot be used for an enum value."
    )
    assert error.extensions == {"code": "GRAPHQL_PARSE_FAILED"}


async def _production_messages(
    api: Api, locale: str, query: str, variables: dict[str, object] | None
) -> list[str]:
    built = build_schema(SchemaLimits(production=True))
    api.locale = locale
    ctx = await api.context("secretary")
    try:
        result = await built.execute(query, variable_values=variables, context_value=ctx)
    finally:
        await ctx.close()
    assert result.errors, query
    return [e.message for e in result.errors]


@pytest.mark.parametrize(("query", "variables"), MISSPELT)
async def test_production_suggests_nothing_in_any_language(
    api: Api, query: str, variables: dict[str, object] | None
) -> None:
    english = await _production_messages(api, "en", query, variables)
    assert not [m for m in english if "Did you mean" in m], english
    for locale in ("zh_Hans", "zh_Hant"):
        written = await _production_messages(api, locale, query, variables)
        assert not [m for m in written if "Did you mean" in m or "你是不是想" in m], written
        # Each is the translation of the English, suggestion already gone.
        texts = [graphql_text(m) for m in english]
        assert all(texts), english
        assert written == [translate(t, locale) for t in texts if t is not None]
