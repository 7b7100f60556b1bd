"""Related objects load through DataLoaders: SQL statements do not grow with the page size."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from db.models import IssueStatus, Organisation, OrganisationKind, Position
from tests.factories import household_heads, issues
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
    await api.sign_in("secretary")
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
    await api.sign_in("secretary")
    for size in (4, 40):
        statements.reset()
        result = await api.run(
            query, {"ids": [gid("Position", i) for i in ids[:size]]}, as_="secretary"
        )
        assert all(node is not None for node in result.ok()["nodes"])
        counts.append(statements.count)
    assert counts[0] == counts[1]


ISSUES = """
query ($first: Int!, $q: String!) {
  issues(first: $first, filter: {search: $q}) {
    edges { node { title status
      reporter { name } compound { name } assignee { name }
      lastEvent { kind actor { name } actorOrganisation { name } } } }
  }
}
"""


async def test_10_and_100_issues_cost_the_same_statements(
    api: Api, statements: StatementCounter
) -> None:
    residents = await household_heads(api.db, api.compound("a"), 5)
    async with api.db.read_sessions() as session:
        reporters = [p.person_id for p in [await session.get(Position, i) for i in residents] if p]
        committee = await session.scalar(
            sa.select(Organisation.id).where(
                Organisation.compound_id == api.compound("a"),
                Organisation.kind == OrganisationKind.OWNERS_COMMITTEE,
            )
        )
    token = f"載入-{uuid.uuid4().hex[:8]}"
    await issues(
        api.db,
        [
            {
                "compound_id": api.compound("a"),
                "reporter_id": reporters[n % len(reporters)],
                "title": f"{token} {n}",
                "assignee_organisation_id": committee if n % 2 else None,
                "status": IssueStatus.CLAIMED if n % 2 else IssueStatus.REPORTED,
            }
            for n in range(100)
        ],
    )
    counts = []
    await api.sign_in("secretary")
    for first in (10, 100):
        statements.reset()
        result = await api.run(ISSUES, {"first": first, "q": token}, as_="secretary")
        edges = result.ok()["issues"]["edges"]
        assert len(edges) == first
        nodes = [e["node"] for e in edges]
        assert all(n["reporter"]["name"] and n["compound"]["name"] for n in nodes)
        assert {n["lastEvent"]["kind"] for n in nodes} == {"REPORT", "CLAIM"}
        assert any(n["assignee"] for n in nodes) and any(n["assignee"] is None for n in nodes)
        counts.append(statements.count)
    assert counts[0] == counts[1], statements.sql
    assert counts[1] <= 12, statements.sql
