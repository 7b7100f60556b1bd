"""Past one process: what one app process learns, every other knows on its next request.

Two uvicorn processes on one database (and one trusted-documents file): a position ended
through one is gone in the other at once, though the other kept the actor it derived.
The rate budget shared through Redis is in tests/app/test_rate_limit.py, the audit chain
under writers in two processes in tests/db/test_audit_chain_processes.py, and
`jinlin serve --workers N` in tests/db/test_serve_workers.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from app.trusted_documents import build_manifest
from db.models import Position
from tests.app.processes import app_env, free_ports, running, uvicorn_command, wait_ready
from tests.helpers import ENGLISH

ROLES = "query Roles { me { roles { role } } }"
MY_POSITIONS = "query { me { person { positions { edges { node { id } } } } } }"
END = "mutation ($input: EndPositionInput!) { endPosition(input: $input) { id } }"


@pytest.fixture
def manifest(tmp_path: Path) -> tuple[str, str]:
    """A trusted-documents file both processes read at start, and ROLES's id in it."""
    documents = build_manifest([ROLES])
    path = tmp_path / "documents.json"
    path.write_text(json.dumps(documents))
    return str(path), f"sha256:{next(iter(documents))}"


async def _roles(client: httpx.AsyncClient, url: str, token: str, document_id: str) -> set[str]:
    response = await client.post(
        f"{url}/graphql",
        json={"documentId": document_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer = response.json()
    assert "errors" not in answer, answer
    return {role["role"] for role in answer["data"]["me"]["roles"]}


async def _run(
    client: httpx.AsyncClient, url: str, token: str, query: str, variables: dict[str, Any]
) -> Any:
    response = await client.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]


async def test_an_ended_position_counts_in_the_other_process_on_its_next_request(
    database_url: str,
    engine: AsyncEngine,
    demo: dict[str, Any],
    manifest: tuple[str, str],
) -> None:
    path, roles_id = manifest
    ports = free_ports(2)
    env = app_env(database_url, trusted_documents=path)
    member, secretary = demo["tokens"]["committee_member"], demo["tokens"]["secretary"]
    first, second = (f"http://127.0.0.1:{port}" for port in ports)
    ended: list[tuple[int, Any, int]] = []
    with running([uvicorn_command(port) for port in ports], env):
        await wait_ready(first)
        await wait_ready(second)
        try:
            async with httpx.AsyncClient(headers=ENGLISH, timeout=30) as client:
                # The second process derives and keeps the member's actor.
                assert "committee_member" in await _roles(client, second, member, roles_id)
                assert "committee_member" in await _roles(client, second, member, roles_id)
                mine = await _run(client, first, member, MY_POSITIONS, {})
                ids = [edge["node"]["id"] for edge in mine["me"]["person"]["positions"]["edges"]]
                async with engine.connect() as connection:
                    rows = await connection.execute(
                        sa.select(col(Position.id), col(Position.end_date), col(Position.version))
                    )
                    before = {row.id: (row.end_date, row.version) for row in rows}
                for node_id in ids:
                    ended_row = await _run(
                        client, first, secretary, END, {"input": {"id": node_id}}
                    )
                    assert ended_row["endPosition"]["id"] == node_id
                changed = await _changed_positions(engine, before)
                ended.extend(changed)
                assert changed
                # The very next request to the second process no longer has the role.
                assert "committee_member" not in await _roles(client, second, member, roles_id)
        finally:
            await _restore(engine, ended)


async def _changed_positions(
    engine: AsyncEngine, before: dict[int, tuple[Any, int]]
) -> list[tuple[int, Any, int]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            sa.select(col(Position.id), col(Position.end_date), col(Position.version))
        )
        return [
            (row.id, *before[row.id])
            for row in rows
            if row.id in before and before[row.id] != (row.end_date, row.version)
        ]


async def _restore(engine: AsyncEngine, ended: list[tuple[int, Any, int]]) -> None:
    """Put the ended positions back as they were (the access epoch moves on with them)."""
    async with engine.begin() as connection:
        for position_id, end_date, version in ended:
            await connection.execute(
                sa.update(Position)
                .where(col(Position.id) == position_id)
                .values(end_date=end_date, version=version)
            )
