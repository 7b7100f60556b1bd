"""Related objects load through DataLoaders: SQL statements do not grow with the page size."""

from __future__ import annotations

from tests.factories import household_heads
from tests.helpers import Api, StatementCounter, gid

NESTED = """
query ($first: Int!, $c: ID!) {
  positions(first: $first, filter: {subtree: $c}) {
    edges { node { title active
      person { name phone isCrossAppointed residence { building { name } } }
      organisation { name kind parent { name parent { name } } } } }
  }
}
"""


async def _statements_for(api: Api, statements: StatementCounter, first: int) -> int:
    statements.reset()
    result = await api.run(NESTED, {"first": first, "c": api.ids["compound_a"]}, as_="secretary")
    edges = result.ok()["positions"]["edges"]
    assert len(edges) == first
    assert all(e["node"]["person"] and e["node"]["organisation"]["parent"] for e in edges)
    return statements.count


async def test_5_and_50_positions_cost_the_same_statements(
    api: Api, statements: StatementCounter
) -> None:
    await household_heads(api.db, api.compound("a"), 60)
    five = await _statements_for(api, statements, 5)
    fifty = await _statements_for(api, statements, 50)
    assert five == fifty
    assert fifty <= 12, statements.sql


async def test_nodes_by_id_batch_per_type(api: Api, statements: StatementCounter) -> None:
    ids = await household_heads(api.db, api.compound("a"), 40)
    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Position { person { name } } } }"
    counts = []
    for size in (4, 40):
        statements.reset()
        result = await api.run(
            query, {"ids": [gid("Position", i) for i in ids[:size]]}, as_="secretary"
        )
        assert all(node is not None for node in result.ok()["nodes"])
        counts.append(statements.count)
    assert counts[0] == counts[1]
