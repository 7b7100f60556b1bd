"""A database of the fuzz's own, and the app over it as schemathesis sees it.

Fuzzed mutations change whatever the roles may change, so the fuzz never touches the
suite's shared demo database: it migrates and seeds a copy of its own beside it (a
fresh SQLite file, or a `<name>_fuzz` database on the same PostgreSQL server).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.python import asgi
from schemathesis.specs.graphql.schemas import GraphQLSchema
from starlette.applications import Starlette

from app.cli import seed_demo
from app.factory import create_app
from app.settings import Settings
from db import migrate
from db.engine import is_sqlite, sync_url
from schema.ids import encode_id

FUZZ_SECRET_KEY = "fuzz-secret-key-for-its-own-database"
# Row ids 1..N of every node type: the demo city's rows, so generated ids often name
# something real and the fuzz reaches past "not found" into the resolvers' own logic.
REAL_IDS_PER_TYPE = 40


@dataclass(frozen=True)
class FuzzTarget:
    schema: GraphQLSchema
    tokens: dict[str, str]
    app: Starlette

    def connections_in_use(self, settle_seconds: float = 2.0) -> int:
        """Pooled connections not returned after a request ended: there must be none. The
        app's own background work (the audit checkpoint poll) takes one now and then for a
        moment, so a count is a leak only if it lasts SETTLE_SECONDS."""
        pool = self.app.state.database.read_sessions.kw["bind"].pool
        deadline = time.monotonic() + settle_seconds
        while pool.checkedout() and time.monotonic() < deadline:
            time.sleep(0.02)
        return int(pool.checkedout())


def _own_database(shared_url: str, tmp_path: Path) -> str:
    if is_sqlite(shared_url):
        return f"sqlite:///{tmp_path}/fuzz.db"
    url = sa.make_url(shared_url)
    name = f"{url.database}_fuzz"
    engine = sa.create_engine(sync_url(shared_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    if is_sqlite(url):
        return
    parsed = sa.make_url(url)
    engine = sa.create_engine(
        sync_url(parsed.set(database="postgres").render_as_string(hide_password=False)),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    engine.dispose()


def _register_scalar_strategies(schema: GraphQLSchema) -> None:
    """Values aimed at the edges: schemathesis' defaults are polite (short text, every
    date-time in UTC), so hostile input would rarely be sent.

    IDs: mostly real global ids of every Node type (tokens aside: revoking the fuzz's
    own token would end its run early), sometimes arbitrary text. Strings: also NUL
    characters and far longer than any column. Date-times: also without a time zone,
    with odd offsets, and at the ends of the calendar."""
    schemathesis.graphql.scalar(
        "String",
        st.one_of(
            st.text(max_size=30),
            st.tuples(st.text(max_size=10), st.text(max_size=10)).map("\x00".join),
            st.integers(min_value=300, max_value=5_000).map(lambda n: "长" * n),
        ).map(nodes.String),
    )
    moments = st.datetimes(
        timezones=st.one_of(st.none(), st.just(UTC), st.timezones()),
        allow_imaginary=False,
    )
    schemathesis.graphql.scalar(
        "DateTime",
        st.one_of(
            moments.map(datetime.isoformat),
            st.sampled_from(
                ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"]
            ),
        ).map(nodes.String),
    )
    node_types = sorted(
        name
        for name, type_ in schema.client_schema.type_map.items()
        if any(i.name == "Node" for i in getattr(type_, "interfaces", ())) and name != "ApiToken"
    )
    # Most arguments name one of these: weighted so the id's type often matches.
    common = ["Organisation", "Person", "Issue", "Position"] * 4
    real = [
        str(encode_id(name, pk))
        for name in node_types + common
        for pk in range(1, REAL_IDS_PER_TYPE + 1)
    ]
    schemathesis.graphql.scalar(
        "ID",
        st.one_of(
            st.sampled_from(real).map(nodes.String),
            st.text(max_size=40).map(nodes.String),
        ),
    )


@pytest.fixture(scope="module")
def fuzz_target(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzTarget]:
    url = _own_database(database_url, tmp_path_factory.mktemp("fuzz"))
    migrate.upgrade(url)
    seeded = asyncio.run(seed_demo(url, FUZZ_SECRET_KEY))
    settings = Settings(
        database_url=url,
        secret_key=FUZZ_SECRET_KEY,
        # The fuzz sends far more than a person would: never refuse it for its pace.
        rate_limit_points=2**31 - 1,
        log_level=os.environ.get("JINLIN_FUZZ_LOG_LEVEL", "ERROR"),
    )
    app = create_app(settings)
    schema = schemathesis.graphql.from_asgi("/graphql", app)
    _register_scalar_strategies(schema)
    try:
        yield FuzzTarget(schema=schema, tokens=seeded["tokens"], app=app)
    finally:
        asgi.shutdown_lifespans()  # disposes the app's engine, on the loop that used it
        _drop_database(url)


@pytest.fixture(scope="session", autouse=True)
def _converging_selection_oracle() -> None:
    """hypothesis-graphql 0.13.5 sizes queries by a fixpoint it gives up on after 1,000
    iterations; on this schema's Mutation root that is just short ("no convergence") and
    every mutation's strategy fails. A few thousand iterations converge (once, cached)."""
    from hypothesis_graphql._strategies import oracle

    assert hasattr(oracle, "MAX_ITERS"), "hypothesis-graphql changed: drop this workaround"
    oracle.MAX_ITERS = max(oracle.MAX_ITERS, 5000)
