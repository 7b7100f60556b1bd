"""Document limits (depth, aliases, directives, repeated fields, expanded size) cost work
linear in the document, whatever its fragments do: each fragment is walked once."""

from __future__ import annotations

import pytest
from graphql import parse
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.types import ExecutionResult

from schema import documents as pipeline
from schema.cost import CostEstimator
from schema.document_limits import DocumentLimits, check_document
from schema.schema import schema
from tests.adversarial_documents import doubling
from tests.helpers import Api


async def in_english(api: Api, document: str) -> ExecutionResult:
    """DOCUMENT run as a request in English (one without Accept-Language reads Chinese)."""
    ctx = await api.context(None)
    try:
        return await schema.execute(document, context_value=ctx)
    finally:
        await ctx.close()


def nodes_in(query: str) -> int:
    """Nodes in the document as written: the size the work may grow with."""
    document = parse(query)
    total, stack = 0, [document]
    while stack:
        node = stack.pop()
        total += 1
        for key in node.keys:
            value = getattr(node, key, None)
            if isinstance(value, tuple | list):
                stack.extend(item for item in value if hasattr(item, "keys"))
            elif hasattr(value, "keys"):
                stack.append(value)
    return total


async def test_doubling_fragments_are_refused_at_once(
    monkeypatch: pytest.MonkeyPatch, api: Api
) -> None:
    """Refused by the linear limits before graphql-core's validation, whose field-merging
    rule grows with the fragments' expansion, ever sees the document (a count, not a time:
    timings belong to bench/validation.py)."""
    validated: list[object] = []
    real_validate = pipeline.validate

    def counting(*args: object, **kwargs: object) -> object:
        validated.append(args[1])
        return real_validate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "validate", counting)
    for n in (21, 30):
        result = await in_english(api, doubling(n))
        assert result.data is None
        assert [e.extensions["code"] for e in result.errors or []] == [  # type: ignore[index]
            "GRAPHQL_VALIDATION_FAILED"
        ]
        assert "fragment" in (result.errors or [])[0].message
    assert validated == []
    # The spy does see a document the limits let through (one no other test sends).
    allowed = await schema.execute(doubling(5))
    assert not allowed.errors
    assert len(validated) == 1


async def test_doubling_aliases_are_counted_once_per_fragment_and_refused(api: Api) -> None:
    result = await in_english(api, doubling(25, leaf="a: __typename"))
    assert result.errors and "aliases" in result.errors[0].message


async def test_a_few_doublings_are_fine() -> None:
    result = await schema.execute(doubling(4))
    assert not result.errors
    assert result.data == {"__typename": "Query"}


def test_the_limits_see_through_fragments() -> None:
    limits = DocumentLimits(max_depth=1, max_aliases=1)
    deep = parse("{ ...A } fragment A on Query { me { ...B } } fragment B on Me { roles { role } }")
    assert [e.message for e in check_document(deep, limits).errors] == [
        "'anonymous' exceeds maximum operation depth of 1"
    ]
    aliased = parse("{ ...A ...A } fragment A on Query { x: __typename }")
    assert "2 aliases" in check_document(aliased, limits).errors[0].message


def test_fragment_cycles_end_and_are_refused() -> None:
    document = parse(
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }"
    )
    checked = check_document(document, DocumentLimits())
    assert [e.message for e in checked.errors] == ["Cannot spread fragment 'A' within itself."]


def test_unused_fragments_are_refused() -> None:
    document = parse("{ __typename } fragment A on Query { __typename }")
    checked = check_document(document, DocumentLimits())
    assert [e.message for e in checked.errors] == ["Fragment 'A' is never used."]


async def test_fragment_cycles_are_refused_by_validation(api: Api) -> None:
    result = await in_english(
        api, "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }"
    )
    assert result.errors and "Cannot spread fragment" in result.errors[0].message


async def test_a_long_chain_of_fragments_is_refused_not_crashed() -> None:
    n = 400
    chain = " ".join(f"fragment F{i} on Query{{...F{i + 1}}}" for i in range(n))
    result = await schema.execute(f"query{{...F0}} {chain} fragment F{n} on Query{{__typename}}")
    assert result.errors
    assert {e.extensions["code"] for e in result.errors} == {"GRAPHQL_VALIDATION_FAILED"}  # type: ignore[index]


def test_a_field_repeated_through_fragments_is_refused_before_graphql_core_compares_it() -> None:
    # 31 fragments each selecting `me { ...31 fragments }`: ~450,000 pairs for graphql-core.
    inner = " ".join(f"...B{k}" for k in range(31))
    query = (
        "{ "
        + " ".join(f"...A{i}" for i in range(31))
        + " } "
        + " ".join(f"fragment A{i} on Query {{ me {{ {inner} }} }}" for i in range(31))
        + " "
        + " ".join(f"fragment B{k} on Me {{ roles {{ role }} }}" for k in range(31))
    )
    errors = check_document(parse(query), DocumentLimits()).errors
    assert [e.message for e in errors] == [
        "'me' is asked for 31 times in one selection, its fragments included; at most 10."
    ]


def test_many_fragments_gathered_in_one_selection_are_refused() -> None:
    # graphql-core compares the fragments of one selection pair by pair.
    query = (
        "{ me { roles { "
        + " ".join(f"...A{i}" for i in range(40))
        + " } } } "
        + " ".join(f"fragment A{i} on RoleGrant {{ role }}" for i in range(40))
    )
    errors = check_document(parse(query), DocumentLimits()).errors
    assert len(errors) == 1 and "40 of them spreads" in errors[0].message


def test_the_expanded_size_is_capped() -> None:
    limits = DocumentLimits(max_expanded_fields=16)
    assert check_document(parse(doubling(4)), limits).errors == []
    refused = check_document(parse(doubling(5)), limits).errors
    assert refused and "32 fields" in refused[0].message


# Adversarial shapes: fragments spreading the next ones `fan` times, `width` sibling
# fields, `nesting` levels of fields, and aliases.
documents = st.builds(
    lambda chain, fan, width, nesting, alias: (
        "query{...F0} "
        + " ".join(f"fragment F{i} on Query{{" + f" ...F{i + 1}" * fan + "}" for i in range(chain))
        + f" fragment F{chain} on Query{{"
        + " ".join(f"{'a' + str(w) + ': ' if alias else ''}__typename" for w in range(width))
        + " me {" * nesting
        + " __typename"
        + " }" * nesting
        + "}"
    ),
    chain=st.integers(0, 60),
    fan=st.integers(1, 4),
    width=st.integers(1, 40),
    nesting=st.integers(0, 15),
    alias=st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(documents)
def test_limits_and_cost_work_is_linear_in_the_document(query: str) -> None:
    document = parse(query)
    size = nodes_in(query)
    checked = check_document(document, DocumentLimits())
    assert checked.visits <= 3 * size  # one scan of every node, two walks of the selections
    estimator = CostEstimator(schema._schema, document, {})
    estimator.estimate(None)
    assert estimator.visits <= 2 * size
