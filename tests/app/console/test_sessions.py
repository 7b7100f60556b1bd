"""Console sessions over HTTP: code -> cookie, CSRF, refusals, sign-out, all audited."""

from __future__ import annotations

import httpx
import sqlalchemy as sa

from db.engine import Database
from db.models import ApiToken, AuditEntry, ConsoleSignIn
from tests.app.conftest import ClientFactory
from tests.app.console.conftest import IssueCode

ORIGIN = {"Origin": "http://jinlin.test"}


async def _sign_in(client: httpx.AsyncClient, code: str) -> httpx.Response:
    return await client.post("/console/api/sign-in", json={"code": code}, headers=ORIGIN)


def _csrf(client: httpx.AsyncClient) -> dict[str, str]:
    return {**ORIGIN, "X-CSRF-Token": client.cookies["jinlin_console_csrf"]}


async def _operations(db: Database) -> list[tuple[str, str]]:
    async with db.read_sessions() as session:
        rows = await session.execute(
            sa.select(AuditEntry.operation, AuditEntry.outcome).order_by(AuditEntry.seq)
        )
        return [(op, outcome.value) for op, outcome in rows]


async def test_a_supervisor_signs_in_reads_and_signs_out(
    app_client: ClientFactory, issue_code: IssueCode, db: Database
) -> None:
    code = await issue_code("supervisor")
    async with app_client() as client:
        assert (await client.get("/console")).status_code == 303
        response = await _sign_in(client, code)
        assert response.status_code == 200
        cookie = response.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookie if c.startswith("jinlin_console="))
        assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
        assert "Path=/console" in session_cookie
        page = await client.get("/console")
        assert page.status_code == 200
        assert "default-src 'self'" in page.headers["content-security-policy"]
        me = await client.post(
            "/console/api/graphql",
            json={"documentId": (await client.get("/console/api/documents")).json()["Me"]},
            headers=_csrf(client),
        )
        assert me.json()["data"]["me"]["person"]["name"]
        chain = await client.get("/console/api/chain")
        assert chain.json()["verification"]["intact"] is True
        out = await client.post("/console/api/sign-out", headers=_csrf(client))
        assert out.status_code == 200
        client.cookies.clear()
        assert (await client.get("/console")).status_code == 303
    ops = await _operations(db)
    assert ("consoleSignIn", "SUCCESS") in ops and ("consoleSignOut", "SUCCESS") in ops
    async with db.read_sessions() as session:
        stored = (await session.execute(sa.select(ConsoleSignIn.code_hash))).scalars().all()
        token = (
            await session.execute(sa.select(ApiToken).where(ApiToken.name == "console session"))
        ).scalar_one()
    assert code not in stored  # only a hash is kept
    assert token.revoked_at is not None


async def test_a_code_works_once(app_client: ClientFactory, issue_code: IssueCode) -> None:
    code = await issue_code("secretary")
    async with app_client() as client:
        assert (await _sign_in(client, code)).status_code == 200
    async with app_client() as client:
        again = await _sign_in(client, code)
        assert again.status_code == 401
        unknown = await _sign_in(client, "jlc_not-a-code")
        assert unknown.status_code == 401


async def test_a_resident_gets_no_session(
    app_client: ClientFactory, issue_code: IssueCode, db: Database
) -> None:
    code = await issue_code("resident")
    async with app_client() as client:
        refused = await _sign_in(client, code)
        assert refused.status_code == 403
        assert "jinlin_console" not in client.cookies
        assert (await client.get("/console")).status_code == 303
    assert ("consoleSignIn", "DENIED") in await _operations(db)


async def test_no_state_change_without_the_csrf_token(
    app_client: ClientFactory, issue_code: IssueCode
) -> None:
    code = await issue_code("supervisor")
    async with app_client() as client:
        await _sign_in(client, code)
        ids = (await client.get("/console/api/documents")).json()
        body = {"documentId": ids["Me"]}
        assert (await client.post("/console/api/graphql", json=body)).status_code == 403
        wrong = {**ORIGIN, "X-CSRF-Token": "0" * 64}
        assert (
            await client.post("/console/api/graphql", json=body, headers=wrong)
        ).status_code == 403
        foreign = {**_csrf(client), "Origin": "https://evil.example"}
        assert (
            await client.post("/console/api/graphql", json=body, headers=foreign)
        ).status_code == 403
        assert (await client.post("/console/api/sign-out")).status_code == 403
        # A document the console did not register is refused even with the token.
        other = await client.post(
            "/console/api/graphql",
            json={"query": "{ me { roles { role } } }"},
            headers=_csrf(client),
        )
        assert other.status_code == 403
    async with app_client() as client:
        cross_site = await client.post(
            "/console/api/sign-in",
            json={"code": await issue_code("supervisor")},
            headers={"Origin": "https://evil.example"},
        )
        assert cross_site.status_code == 403


async def test_a_bearer_token_alone_opens_no_console_page(
    app_client: ClientFactory, demo: dict[str, object]
) -> None:
    tokens = demo["tokens"]
    assert isinstance(tokens, dict)
    async with app_client() as client:
        for role in ("partner", "supervisor"):
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            assert (await client.get("/console", headers=headers)).status_code == 303
            assert (await client.get("/console/api/chain", headers=headers)).status_code == 401
