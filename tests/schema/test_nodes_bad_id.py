"""`nodes(ids:)` with one malformed id: refused before any lookup starts, nothing left running.

Found by the fuzz (tests/fuzz): the ids were looked up concurrently and the malformed one
failed first, so the response went out while the others' lookups still ran; they opened a
fresh read session after the request had closed its own, and that connection was never
returned to the pool. Enough such requests would exhaust the pool and stall every request.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.factory import create_app
from app.settings import Settings
from db.engine import Database, create_engine
from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH


async def test_a_malformed_id_among_good_ones_leaves_no_connection_checked_out(
    database_url: str, demo: dict[str, Any]
) -> None:
    engine = create_engine(database_url)
    app = create_app(
        Settings(database_url=database_url, secret_key=SECRET_KEY),
        database=Database.from_engine(engine),
    )
    good = demo["ids"]["compound_a"]
    try:
        async with httpx.AsyncClient(
            headers=ENGLISH, transport=httpx.ASGITransport(app=app), base_url="http://jinlin.test"
        ) as client:
            for ids in (["413", good], [good, "not an id", good]):
                response = await client.post(
                    "/graphql",
                    json={
                        "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                        "variables": {"ids": ids},
                    },
                    headers={"Authorization": f"Bearer {demo['tokens']['secretary']}"},
                )
                assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        await asyncio.sleep(0.2)  # time for any lookup still running to finish
        assert engine.pool.checkedout() == 0
    finally:
        await engine.dispose()
