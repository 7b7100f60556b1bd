"""Global ids: anything that is not an id this API gave out is bad input, never a crash."""

from __future__ import annotations

import base64

import pytest

from resolvers.errors import BadUserInput
from schema.ids import MAX_ID, encode_id, parse_global_id
from tests.helpers import Api


@pytest.mark.parametrize("node_id", [0, -1, MAX_ID + 1, 3_000_000_000, 2**70])
def test_numbers_no_row_can_have_are_refused(node_id: int) -> None:
    with pytest.raises(BadUserInput, match="not an id this API gave out"):
        parse_global_id(encode_id("Issue", node_id))


def test_the_largest_id_is_accepted() -> None:
    assert parse_global_id(encode_id("Issue", MAX_ID)) == ("Issue", MAX_ID)


async def test_a_huge_id_is_bad_input_on_every_database(api: Api) -> None:
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }",
        {"id": str(encode_id("Evaluation", 3_000_000_000))},
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]


def _raw(text: str) -> str:
    """TEXT base64-encoded the way ids are, whatever it says."""
    return base64.b64encode(text.encode()).decode()


NOT_CANONICAL = [
    _raw("Person: 1"),
    _raw("Person:1 "),
    _raw("Person:1_0"),
    _raw("Person:01"),
    _raw("Person:+1"),
    _raw("Person:１"),  # full-width digit one
    _raw("Person:٣"),  # Arabic-Indic digit three
    _raw("Person:1\n"),
    _raw(" Person:1"),
    _raw("Per\x00son:1"),
    _raw("Person\x00:1"),
    _raw("Person:1:2"),
    _raw("Person:1.0"),
    _raw("Person:1e3"),
    _raw(":1"),
    _raw("Person:"),
    _raw("人:1"),
    _raw("Person:1").rstrip("="),  # unpadded
    "UGVyc29uOjE=\n",
    " UGVyc29uOjE=",
    "UGVy!c29uOjE=",  # a character outside the alphabet, which lenient decoding skips
    "UGVyc29uOjF=",  # non-zero trailing bits: decodes to "Person:1" all the same
    "UGVyc29uOjE=" * 2,
    "A" * 900_000,
]


@pytest.mark.parametrize("value", NOT_CANONICAL, ids=lambda v: repr(v[:24]))
def test_only_the_exact_form_this_api_gives_out_is_an_id(value: str) -> None:
    with pytest.raises(BadUserInput, match="not an id this API gave out") as refused:
        parse_global_id(value)
    assert len(refused.value.message) < 200, "the message does not echo the whole value"
    assert "\x00" not in refused.value.message


def test_the_canonical_form_round_trips() -> None:
    assert parse_global_id(encode_id("PostClaim", 10)) == ("PostClaim", 10)
    assert str(encode_id("Person", 1)) == "UGVyc29uOjE="


@pytest.mark.parametrize("value", NOT_CANONICAL[:6], ids=lambda v: repr(v[:24]))
async def test_a_non_canonical_id_is_bad_input_in_a_query(api: Api, value: str) -> None:
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": value}, as_="secretary"
    )
    assert result.codes == ["BAD_USER_INPUT"]
