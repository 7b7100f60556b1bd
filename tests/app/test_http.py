"""The HTTP surface: authentication, request ids, health, GraphiQL, masked internal errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.factory import create_app
from app.settings import Settings
from app.settings.security import Environment
from db.engine import Database
from db.models import ApiToken
from db.types import utcnow
from resolvers.organisations import queries as organisations
from schema.ids import parse_global_id
from tests.conftest import AUDIT_KEY, AUDIT_SIGNING_KEY, SECRET_KEY
from tests.helpers import ENGLISH, Api
from tests.partner_setup import issue

ME = {"query": "{ me { person { name } } }"}


def _settings(database_url: str, **overrides: Any) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        audit_key=AUDIT_KEY,
        audit_signing_key=AUDIT_SIGNING_KEY,
        **overrides,
    )


@pytest.fixture
async def client(db: Database, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(_settings(database_url), database=db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        headers=ENGLISH, transport=transport, base_url="http://jinlin.test"
    ) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_real_token_signs_in(client: httpx.AsyncClient, api: Api) -> None:
    response = await client.post("/graphql", json=ME, headers=bearer(api.tokens["secretary"]))
    assert response.status_code == 200
    assert response.json()["data"]["me"]["person"]["name"]


async def test_no_token_is_anonymous_and_sees_nothing(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "{ me { person { name } } organisations { totalCount } people { totalCount } }"
        },
    )
    body = response.json()
    assert body["data"] == {
        "me": None,
        "organisations": {"totalCount": 0},
        "people": {"totalCount": 0},
    }


@pytest.mark.parametrize(
    "header",
    ["Bearer jl_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer something-else", "Bearer"],
)
async def test_a_bad_token_is_refused_before_any_query(
    client: httpx.AsyncClient, header: str
) -> None:
    response = await client.post("/graphql", json=ME, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "jl_not-a-real-token" not in response.text


async def test_expired_and_revoked_tokens_are_refused(
    client: httpx.AsyncClient, api: Api, db: Database
) -> None:
    async with db.write() as session:
        await session.execute(
            sa.update(ApiToken)
            .where(ApiToken.name == "demo resident")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.execute(
            sa.update(ApiToken)
            .where(ApiToken.name == "demo resident_b")
            .values(revoked_at=utcnow())
        )
    expired = await client.post("/graphql", json=ME, headers=bearer(api.tokens["resident"]))
    assert expired.status_code == 401
    assert "expired" in expired.json()["errors"][0]["message"]
    revoked = await client.post("/graphql", json=ME, headers=bearer(api.tokens["resident_b"]))
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["errors"][0]["message"]


async def test_tokens_are_stored_only_as_hashes(api: Api) -> None:
    async with api.db.read_sessions() as session:
        stored = (await session.execute(sa.select(ApiToken))).scalars().all()
    secrets = set(api.tokens.values())
    assert stored
    for token in stored:
        assert token.secret_hash not in secrets
        assert all(secret not in token.secret_hash for secret in secrets)
        assert len(token.display_prefix) <= 10


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert made.headers["x-request-id"] != "bad id\nwith newline"
    assert len(made.headers["x-request-id"]) == 32


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"


async def test_graphiql_in_development_only(db: Database, database_url: str) -> None:
    for env, expected in ((Environment.DEVELOPMENT, 200), (Environment.PRODUCTION, 404)):
        settings = _settings(database_url, env=env)
        app = create_app(settings, database=db)
        async with httpx.AsyncClient(
            headers=ENGLISH, transport=httpx.ASGITransport(app=app), base_url="http://jinlin.test"
        ) as client:
            page = await client.get("/graphql", headers={"Accept": "text/html"})
            assert page.status_code == expected


async def test_mutations_are_refused_over_get(client: httpx.AsyncClient, api: Api) -> None:
    response = await client.get(
        "/graphql",
        params={"query": 'mutation { createOrganisation(input: {name: "x", kind: CITY}) { id } }'},
        headers=bearer(api.tokens["admin"]),
    )
    assert response.status_code in (400, 404, 405)
    assert await api.scalar(sa.text("SELECT count(*) FROM organisation WHERE name = 'x'")) == 0


async def test_internal_errors_are_masked_and_logged_with_the_request_id(
    client: httpx.AsyncClient,
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(organisations, "organisations_page_query", broken)
    response = await client.post(
        "/graphql",
        json={"query": "{ organisations { totalCount } }"},
        headers={**bearer(api.tokens["secretary"]), "X-Request-ID": "req-boom-1"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-boom-1"}
    assert "secret" not in response.text and "Traceback" not in response.text
    incidents = [
        r
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg["event"] == "unexpected error"
    ]
    assert len(incidents) == 1
    assert incidents[0].msg["request_id"] == "req-boom-1"
    assert "SELECT secret FROM internals" in str(incidents[0].msg["exc_info"])


async def test_validation_errors_have_codes(client: httpx.AsyncClient, api: Api) -> None:
    syntax = await client.post(
        "/graphql", json={"query": "{ me { "}, headers=bearer(api.tokens["resident"])
    )
    assert syntax.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    unknown = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers=bearer(api.tokens["resident"])
    )
    assert unknown.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    deep = "{ me { person { positions { edges { node { organisation { parent { parent { parent { parent { parent { name } } } } } } } } } } } }"
    too_deep = await client.post(
        "/graphql", json={"query": deep}, headers=bearer(api.tokens["resident"])
    )
    error = too_deep.json()["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "depth" in error["message"]


async def test_a_tokens_last_use_is_recorded_once_per_interval(
    client: httpx.AsyncClient, api: Api
) -> None:
    issued = await issue(api, scopes=["ISSUES_READ"])
    token_id = parse_global_id(issued["token"]["id"])[1]
    last_used = sa.select(ApiToken.last_used_at).where(ApiToken.id == token_id)
    assert await api.scalar(last_used) is None
    query = {"query": "{ issues(first: 1) { totalCount } }"}
    (await client.post("/graphql", json=query, headers=bearer(issued["secret"]))).raise_for_status()
    first = await api.scalar(last_used)
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    (await client.post("/graphql", json=query, headers=bearer(issued["secret"]))).raise_for_status()
    assert await api.scalar(last_used) == first  # within the interval: not written again
