"""The engine's settings that speed statements up without changing what they do."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from psycopg import _queries
from psycopg.adapt import Transformer
from psycopg.pq import TransactionStatus

from db.engine import Database, PoolOptions, create_engine, is_sqlite, request_reads_engine
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext


def test_psycopg_keeps_the_conversion_of_a_compiled_page_sized_statement() -> None:
    # A compiled page is ~6 KB of SQL with 75 parameters; psycopg converts its
    # placeholders once, not on every run.
    values = {f"p{n}": n for n in range(80)}
    statement = ("SELECT " + "1, " * 1500 + ", ".join(f"%({n})s" for n in values)).encode()
    assert len(statement) > 4096
    before = _queries._query2pg.cache_info().hits
    for _ in range(3):
        _queries.PostgresQuery(Transformer()).convert(statement, values)
    assert _queries._query2pg.cache_info().hits >= before + 2


async def test_a_requests_reads_on_postgresql_run_outside_a_transaction(database_url: str) -> None:
    if is_sqlite(database_url):
        pytest.skip("SQLite keeps its read transaction: one snapshot for the request's reads")
    engine = create_engine(database_url)
    ctx = RequestContext(db=Database.from_engine(engine), actor=ANONYMOUS, request_id="t")
    try:
        assert (await ctx.read(sa.select(sa.literal(1)))).scalar_one() == 1
        connection = await (await ctx.reader()).connection()
        raw = (await connection.get_raw_connection()).driver_connection
        # No BEGIN was sent (and no ROLLBACK will be): the statement ran on its own.
        assert raw.info.transaction_status == TransactionStatus.IDLE
        async with Database.from_engine(engine).read_sessions() as session:
            await session.execute(sa.select(sa.literal(1)))
            other = (await (await session.connection()).get_raw_connection()).driver_connection
            # Everyone else's reads (audit verification's cursors) keep their transaction.
            assert other.info.transaction_status == TransactionStatus.INTRANS
    finally:
        await ctx.close()
        await engine.dispose()


def test_reads_keep_their_transactions_where_a_pool_of_their_own_cannot_serve() -> None:
    assert request_reads_engine("sqlite:///reads.db") is None
    # Behind PgBouncer the statement limit is SET LOCAL at each BEGIN: reads need one.
    timed = PoolOptions(pgbouncer=True, statement_timeout_seconds=5)
    assert request_reads_engine("postgresql://u@h/db", pool=timed) is None


async def test_a_requests_reads_take_the_read_pool_and_leave_the_main_pool_alone(
    database_url: str,
) -> None:
    if is_sqlite(database_url):
        pytest.skip("PostgreSQL only: SQLite reads keep their session")
    engine = create_engine(database_url)
    reads = request_reads_engine(database_url)
    assert reads is not None
    main_checkouts: list[object] = []
    sa.event.listen(engine.sync_engine.pool, "checkout", lambda *a: main_checkouts.append(a))
    db = Database.from_engine(engine, None, reads)
    ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="t")
    try:
        assert (await ctx.read(sa.select(sa.literal(1)))).scalar_one() == 1
        session = await ctx.reader()  # an ORM read shares the request's read connection
        assert (await session.execute(sa.select(sa.literal(2)))).scalar_one() == 2
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        # AUTOCOMMIT from the pool: nothing switched it, nothing will switch it back.
        assert raw.autocommit and raw.info.transaction_status == TransactionStatus.IDLE
        assert main_checkouts == []
    finally:
        await ctx.close()
    assert reads.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # Writes still begin transactions on the main pool.
    async with db.write_sessions() as session, session.begin():
        await session.execute(sa.select(sa.literal(3)))
        written = (await (await session.connection()).get_raw_connection()).driver_connection
        assert written.info.transaction_status == TransactionStatus.INTRANS
    assert len(main_checkouts) == 1
    await reads.dispose()
    await engine.dispose()
