"""The database unreachable: requests get 503 UNAVAILABLE with Retry-After, never INTERNAL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.factory import create_app
from app.settings import Settings
from db.engine import create_engine, is_unavailable
from tests.app.conftest import bearer
from tests.app.processes import free_port
from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH, Api

MUTATION = 'mutation { createOrganisation(input: {name: "x", kind: CITY}) { id } }'


def _closed_database_url() -> str:
    """PostgreSQL on a port of 127.0.0.1 where nothing listens: refused at once."""
    return f"postgresql://postgres@127.0.0.1:{free_port()}/jinlin"


@pytest.fixture
async def down() -> AsyncIterator[httpx.AsyncClient]:
    """The real app, owning its engine, pointed at a database that is not there."""
    app = create_app(Settings(database_url=_closed_database_url(), secret_key=SECRET_KEY))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            headers=ENGLISH, transport=httpx.ASGITransport(app=app), base_url="http://jinlin.test"
        ) as client,
    ):
        yield client


def _assert_unavailable(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    error: dict[str, Any] = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAVAILABLE"
    assert error["extensions"]["retryAfter"] == 5
    assert "try again in 5 seconds" in error["message"]
    assert "127.0.0.1" not in response.text and "psycopg" not in response.text
    return error


async def test_a_signed_in_request_is_503_unavailable(down: httpx.AsyncClient, api: Api) -> None:
    started = time.monotonic()
    response = await down.post(
        "/graphql",
        json={"query": "{ me { person { name } } }"},
        headers={**bearer(api.tokens["secretary"]), "X-Request-ID": "db-down-1"},
    )
    error = _assert_unavailable(response)
    assert error["extensions"]["requestId"] == "db-down-1"
    assert time.monotonic() - started < 5  # refused at once, no waiting for a timeout


async def test_an_operation_that_reaches_the_database_is_503_unavailable(
    down: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Anonymous: nothing to authenticate, so the failure happens inside execution (the
    # mutation is refused, and auditing that refusal needs the database).
    response = await down.post(
        "/graphql", json={"query": MUTATION}, headers={"X-Request-ID": "db-down-2"}
    )
    error = _assert_unavailable(response)
    assert error["path"] == ["createOrganisation"]
    assert response.json()["data"] is None
    warnings = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == "database unavailable"
    ]
    assert warnings and warnings[0]["request_id"] == "db-down-2"
    assert not [r for r in caplog.records if "unexpected error" in str(r.msg)]


async def test_readiness_fails_on_the_database_and_the_rest_still_answers(
    down: httpx.AsyncClient,
) -> None:
    ready = await down.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": {"status": "unreachable"},
        "redis": {"status": "not configured", "rateLimit": "per process"},
    }
    assert (await down.get("/healthz")).status_code == 200
    await down.post("/graphql", json={"query": MUTATION})
    metrics = (await down.get("/metrics")).text
    assert 'jinlin_graphql_errors_total{code="UNAVAILABLE"} 1.0' in metrics


async def test_what_counts_as_unavailable(database_url: str) -> None:
    refused = create_engine(_closed_database_url())
    with pytest.raises(sa.exc.OperationalError) as connect_failure:
        async with refused.connect():
            pass
    await refused.dispose()
    assert is_unavailable(connect_failure.value)
    wrapped = RuntimeError("while auditing")
    wrapped.__cause__ = connect_failure.value
    assert is_unavailable(wrapped)

    # A broken statement is a bug, not an outage: it stays INTERNAL.
    working = create_engine(database_url)
    with pytest.raises(sa.exc.DBAPIError) as bad_sql:
        async with working.connect() as connection:
            await connection.execute(sa.text("SELECT * FROM no_such_table"))
    await working.dispose()
    assert not is_unavailable(bad_sql.value)
    assert not is_unavailable(RuntimeError("SELECT secret FROM internals"))
    assert not is_unavailable(None)


async def test_the_audit_export_is_503_unavailable(down: httpx.AsyncClient, api: Api) -> None:
    response = await down.get("/audit/export", headers=bearer(api.tokens["supervisor"]))
    _assert_unavailable(response)
