"""The same database work as Jinlin's `me` and 100-issue page, written by hand on Starlette.

Where the static twin (bench/static_app.py) measures the framework with no work at all,
this measures the work itself: per request it looks the bearer token up by its hash with
the access epoch (as Jinlin's authentication does), refuses a revoked or expired one, then
runs one hand-written statement (the caller's name, or the page of bench/inprocess.py
PAGE_SQL) and answers `json.dumps` of the rows. No GraphQL, no policy, no audit, no
limits: the floor a request that reads the same rows cannot go below on this stack.
PostgreSQL only (psycopg, a pool of four connections, as the benchmark's four clients).

    JINLIN_DATABASE_URL=postgresql://... JINLIN_SECRET_KEY=... uvicorn bench.handwritten_app:app
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.inprocess import PAGE_SQL
from resolvers.tokens.bearer import hash_secret
from schema.ids import decode_id

POOL_SIZE = 4
TOKEN_SQL = """
SELECT t.person_id, t.expires_at, t.revoked_at, e.value
FROM api_token t JOIN access_epoch e ON e.id = 1
WHERE t.secret_hash = %(secret_hash)s
"""
NAME_SQL = "SELECT name FROM person WHERE id = %(person)s"
# PAGE_SQL with psycopg's placeholder.
PAGE_TEXT = str(PAGE_SQL).replace(":compound", "%(compound)s")
KEY = os.environ.get("JINLIN_SECRET_KEY", "")
_pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()


def _unauthorised() -> Response:
    return Response(b'{"errors":[{"message":"unauthenticated"}]}', 401)


async def answer(request: Request) -> Response:
    body = json.loads(await request.body())
    secret = request.headers.get("authorization", "").removeprefix("Bearer ")
    connection = await _pool.get()
    try:
        async with connection.cursor() as cursor:
            await cursor.execute(TOKEN_SQL, {"secret_hash": hash_secret(secret, KEY)})
            token = await cursor.fetchone()
            if token is None or token[2] is not None or token[1] <= datetime.now(UTC):
                return _unauthorised()
            compound = (body.get("variables") or {}).get("c")
            if compound is None:
                await cursor.execute(NAME_SQL, {"person": token[0]})
                name = await cursor.fetchone()
                data: dict[str, Any] = {"me": {"person": {"name": name[0] if name else None}}}
            else:
                await cursor.execute(PAGE_TEXT, {"compound": decode_id(compound, "Organisation")})
                data = {
                    "issues": {"edges": [{"node": _node(row)} for row in await cursor.fetchall()]}
                }
    finally:
        _pool.put_nowait(connection)
    return Response(json.dumps({"data": data}, default=str), media_type="application/json")


def _node(row: tuple[Any, ...]) -> dict[str, Any]:
    issue, title, status, due_at, reporter, compound, assignee, kind, at = row
    return {
        "id": issue,
        "title": title,
        "status": status,
        "dueAt": due_at.isoformat() if due_at else None,
        "reporter": {"name": reporter},
        "compound": {"name": compound},
        "assignee": {"name": assignee} if assignee else None,
        "lastEvent": {"kind": kind, "createdAt": at.isoformat()} if kind else None,
    }


async def healthz(_: Request) -> Response:
    return Response(b"ok")


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    url = os.environ["JINLIN_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    connections = [
        await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(POOL_SIZE)
    ]
    for connection in connections:
        _pool.put_nowait(connection)
    yield
    for connection in connections:
        await connection.close()


app = Starlette(
    routes=[Route("/graphql", answer, methods=["POST"]), Route("/healthz", healthz)],
    lifespan=lifespan,
)
