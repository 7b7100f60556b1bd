"""A stand-in read replica for tests: a second PostgreSQL database, `<test database>_replica`,
holding a copy of the test database taken once per run, in which every person's name ends
with MARK. It does not replicate, so what a read returns says where it ran."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from db.engine import is_sqlite, sync_url

MARK = "（副本）"


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path is not None, f"{name} (PostgreSQL's client tools) is needed"
    return path


def _libpq(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def replica_url(database_url: str, demo: dict[str, Any]) -> str:
    """`<test database>_replica`: a copy of the test database with every name marked."""
    if is_sqlite(database_url):
        pytest.skip("replicas are PostgreSQL's")
    primary = make_url(database_url)
    replica = primary.set(database=f"{primary.database}_replica")
    admin = sa.create_engine(
        sync_url(_libpq(primary.set(database="postgres"))), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{replica.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{replica.database}"'))
    admin.dispose()
    dump = subprocess.run(  # noqa: S603 - our own test database's URL
        [_tool("pg_dump"), "--no-owner", "--no-privileges", _libpq(primary)],
        check=True,
        capture_output=True,
    )
    subprocess.run(  # noqa: S603
        [_tool("psql"), "-q", "-v", "ON_ERROR_STOP=1", _libpq(replica)],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )
    marker = sa.create_engine(sync_url(_libpq(replica)))
    with marker.begin() as connection:
        connection.execute(sa.text("UPDATE person SET name = name || :mark"), {"mark": MARK})
    marker.dispose()
    return _libpq(replica)
