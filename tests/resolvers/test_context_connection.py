"""On PostgreSQL a request's reads take one pooled connection: column reads run on it, an
ORM read opens the read session over it, and it goes back to the pool at the end (and
before the request writes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.helpers import Api

# Column reads (the token, the compiled page) and the resolvers' ORM reads beside them.
MIXED_READS = """
query ($c: ID!) { me { person { name } }
  issues(first: 3) { edges { node { title } } }
  organisation(id: $c) { name } }
"""


@pytest.fixture
def checkouts(engine: AsyncEngine, database_url: str) -> Iterator[list[int]]:
    """The pool checkouts made meanwhile, as the connection ids handed out."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite reads keep their session")
    taken: list[int] = []

    def on_checkout(dbapi_connection: object, *_: object) -> None:
        taken.append(id(dbapi_connection))

    sa.event.listen(engine.sync_engine.pool, "checkout", on_checkout)
    try:
        yield taken
    finally:
        sa.event.remove(engine.sync_engine.pool, "checkout", on_checkout)


async def test_a_request_reads_on_one_connection_and_gives_it_back(
    committed: Api, engine: AsyncEngine, checkouts: list[int]
) -> None:
    held = engine.sync_engine.pool.checkedout()  # type: ignore[attr-defined]
    answer = await committed.run(MIXED_READS, {"c": committed.ids["compound_a"]}, as_="secretary")
    data = answer.ok()
    assert data["me"]["person"]["name"]
    assert data["issues"]["edges"] and data["organisation"]["name"]
    # The oracle's second run is a request of its own: one checkout per request.
    assert checkouts and len(checkouts) <= 2
    assert engine.sync_engine.pool.checkedout() == held  # type: ignore[attr-defined]


async def test_a_mutation_hands_the_read_connection_back_before_writing(
    committed: Api, engine: AsyncEngine, checkouts: list[int]
) -> None:
    held = engine.sync_engine.pool.checkedout()  # type: ignore[attr-defined]
    ctx = await committed.context("secretary")
    try:
        assert ctx._read_connection is not None  # the token was read on it
        await ctx.release_reads()
        assert ctx._read_connection is None and ctx._read_session is None
        assert engine.sync_engine.pool.checkedout() == held  # type: ignore[attr-defined]
        # Reads after the write take a connection again.
        person = await ctx.read(sa.select(sa.literal("again")))
        assert person.scalar() == "again"
    finally:
        await ctx.close()
    assert engine.sync_engine.pool.checkedout() == held  # type: ignore[attr-defined]


# coBuildingSummary refuses year 1 while the sibling lists are being read.
FAILING_FIELD_BESIDE_READS = """
query ($c: ID!) { organisation(id: $c) {
  name coBuildingSummary(year: 1) { completed }
  issues(first: 3) { totalCount } positions(first: 3) { totalCount } } }
"""


async def test_a_failing_field_leaves_the_read_connection_usable(
    committed: Api, engine: AsyncEngine, checkouts: list[int]
) -> None:
    """A field's failure cancels its siblings mid-read: the statement cut off is cancelled
    and the connection read clear, so the request's next reads (and the next request's,
    on the connection given back) are answered."""
    held = engine.sync_engine.pool.checkedout()  # type: ignore[attr-defined]
    ctx = await committed.context("secretary")
    try:
        failed = await committed.run(
            FAILING_FIELD_BESIDE_READS, {"c": committed.ids["compound_a"]}, as_="secretary"
        )
        assert failed.codes == ["BAD_USER_INPUT"]
        assert (await ctx.read(sa.select(sa.literal(1)))).scalar() == 1
    finally:
        await ctx.close()
    for _ in range(3):
        after = await committed.run("query { me { person { name } } }", as_="secretary")
        assert after.ok()["me"]["person"]["name"]
    assert engine.sync_engine.pool.checkedout() == held  # type: ignore[attr-defined]
