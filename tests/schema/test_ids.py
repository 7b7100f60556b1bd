"""Global ids: anything that is not an id this API gave out is bad input, never a crash."""

from __future__ import annotations

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
