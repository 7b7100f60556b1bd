"""Errors speak the caller's language (Accept-Language), Simplified Chinese by default; the
code, and everything else about the error, stays the same in every language."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

BAD_CURSOR = {"query": '{ issues(first: 1, after: "nope") { totalCount } }'}
ENGLISH = "The 'after' cursor is not one this API gave out."
SIMPLIFIED = "“after”游标不是本接口发出的。"
TRADITIONAL = "「after」游標不是本接口發出的。"


async def _error(client: httpx.AsyncClient, token: str, **headers: str) -> dict[str, Any]:
    # No header set on the client: each request says (or does not say) its own language.
    client.headers.pop("Accept-Language", None)
    response = await client.post("/graphql", json=BAD_CURSOR, headers=bearer(token) | headers)
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    return error


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, SIMPLIFIED),
        ({"Accept-Language": "zh-CN,zh;q=0.9"}, SIMPLIFIED),
        ({"Accept-Language": "zh-TW"}, TRADITIONAL),
        ({"Accept-Language": "zh-Hant"}, TRADITIONAL),
        ({"Accept-Language": "en-US,en;q=0.9"}, ENGLISH),
        ({"Accept-Language": "en;q=0.4, zh-HK;q=0.8, zh-CN;q=0.6"}, TRADITIONAL),
        ({"Accept-Language": "fr"}, SIMPLIFIED),
    ],
)
async def test_an_error_is_written_in_the_negotiated_language(
    app_client: ClientFactory, api: Api, headers: dict[str, str], message: str
) -> None:
    async with app_client() as client:
        error = await _error(client, api.tokens["secretary"], **headers)
    assert error["message"] == message
    assert error["path"] == ["issues"]


async def test_a_refused_token_is_refused_in_the_callers_language(
    app_client: ClientFactory,
) -> None:
    async with app_client() as client:
        client.headers.pop("Accept-Language", None)
        answers = {}
        for language in ("zh-CN", "zh-TW", "en"):
            response = await client.post(
                "/graphql",
                json={"query": "{ me { roles { role } } }"},
                headers=bearer("jl_not-a-real-token") | {"Accept-Language": language},
            )
            assert response.status_code == 401
            [error] = response.json()["errors"]
            assert error["extensions"]["code"] == "UNAUTHENTICATED"
            answers[language] = error["message"]
    assert answers == {
        "zh-CN": "此令牌无法识别。",
        "zh-TW": "此令牌無法識別。",
        "en": "This token is not known.",
    }


@pytest.mark.parametrize(
    ("locale", "message"), [("zh_Hans", SIMPLIFIED), ("zh_Hant", TRADITIONAL), ("en", ENGLISH)]
)
async def test_the_language_reaches_both_read_paths(api: Api, locale: str, message: str) -> None:
    """In process as over HTTP: the oracle runs a compiled read again through the resolvers,
    and both answers, errors included, are in the request's language."""
    api.locale = locale
    failed = await api.run(
        '{ issues(first: 1, after: "nope") { totalCount } me { person { name } } }',
        as_="secretary",
    )
    assert failed.codes == ["BAD_USER_INPUT"]
    assert failed.errors[0]["message"] == message
    masked = await api.run(
        "query ($f: PersonFilter) { people(first: 3, filter: $f) { edges { node { idNumber } } } }",
        {"f": {"compound": api.ids["compound_a"]}},
        as_="committee_member",
    )
    reasons = {
        "zh_Hans": "你没有查看这些字段所需的权限，它们显示为空。",
        "zh_Hant": "你沒有查看這些字段所需的權限，它們顯示為空。",
        "en": "You lack the permission these fields need; they are null.",
    }
    assert masked.extensions["maskedFields"]["reason"] == reasons[locale]


async def test_a_transport_refusal_is_in_the_callers_language(app_client: ClientFactory) -> None:
    answers = {}
    async with app_client() as client:
        client.headers.pop("Accept-Language", None)
        for language in (None, "zh-TW", "en"):
            response = await client.get(
                "/graphql?query={__typename}",
                headers={"Accept": "application/json"}
                | ({"Accept-Language": language} if language else {}),
            )
            assert response.status_code == 405
            [error] = response.json()["errors"]
            answers[language] = (error["extensions"]["code"], error["message"])
    assert answers == {
        None: (
            "METHOD_NOT_ALLOWED",
            "GraphQL 操作只接受 Content-Type 为 application/json 的 POST 请求；"
            "通过 GET 发送的查询和变更一律拒绝。",
        ),
        "zh-TW": (
            "METHOD_NOT_ALLOWED",
            "GraphQL 操作只接受 Content-Type 為 application/json 的 POST 請求；"
            "通過 GET 發送的查詢和變更一律拒絕。",
        ),
        "en": (
            "METHOD_NOT_ALLOWED",
            "GraphQL operations are accepted only as POST with Content-Type: application/json; "
            "queries and mutations over GET are refused.",
        ),
    }


async def test_a_document_refused_by_our_limits_is_refused_in_the_callers_language(
    app_client: ClientFactory,
) -> None:
    """The refusal is cached with the document; its words are still the request's own."""
    document = {"query": "{ __typename } fragment A on Query { __typename }"}
    messages = []
    async with app_client() as client:
        client.headers.pop("Accept-Language", None)
        for language in ("zh-CN", "en", "zh-TW", "en"):
            response = await client.post(
                "/graphql", json=document, headers={"Accept-Language": language}
            )
            [error] = response.json()["errors"]
            assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            messages.append(error["message"])
    assert messages == [
        "片段“A”从未使用。",
        "Fragment 'A' is never used.",
        "片段「A」從未使用。",
        "Fragment 'A' is never used.",
    ]
