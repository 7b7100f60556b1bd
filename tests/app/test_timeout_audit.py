"""A mutation stopped by the request timeout is rolled back and still audited."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from db.models import Organisation
from resolvers import audited
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

RENAME = 'mutation ($id: ID!) { updateOrganisation(input: {id: $id, name: "超時改名"}) { id } }'


async def test_a_timed_out_mutation_changes_nothing_and_leaves_a_failed_entry(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = audited.append_entry

    async def slow_append(session: Any, entry: Any) -> Any:
        if entry.outcome == "SUCCESS":
            await asyncio.sleep(30)  # the change is made; the request runs out of time here
        return await real_append(session, entry)

    monkeypatch.setattr(audited, "append_entry", slow_append)
    # A request's first run in a fresh app compiles what later runs reuse; on a loaded CI
    # that alone once outlasted the budget before the mutation began. So the same mutation
    # runs once first, on compound B, which this secretary may not see: refused and
    # audited, it warms every step up to the change and changes nothing.
    async with app_client(request_timeout_seconds=3.0) as client:
        warm = await client.post(
            "/graphql",
            json={"query": RENAME, "variables": {"id": api.ids["compound_b"]}},
            headers=bearer(api.tokens["secretary"]),
        )
        assert warm.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        before = len(await api.audit_entries())
        response = await client.post(
            "/graphql",
            json={"query": RENAME, "variables": {"id": api.ids["compound_a"]}},
            headers={**bearer(api.tokens["secretary"]), "X-Request-ID": "req-slow-write"},
        )
    assert response.status_code == 503
    entries = (await api.audit_entries())[before:]
    assert [(e.operation, e.outcome, e.request_id) for e in entries] == [
        ("updateOrganisation", "FAILED", "req-slow-write")
    ]
    assert entries[0].changes == []
    names = await api.scalar(
        sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == "超時改名")
    )
    assert names == 0
