"""Tokens about to expire are announced once per expiry, by an audited sweep."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import col

from db.models import ApiToken, AuditEntry, OutboxEvent
from resolvers.tokens.expiring import announce_expiring_tokens
from tests.helpers import Api
from tests.issue_helpers import last_seq
from tests.lovebank_helpers import resident_id, token_for


async def _events(api: Api, token_id: int) -> list[OutboxEvent]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(OutboxEvent).where(
                col(OutboxEvent.kind) == "token.expiring",
                col(OutboxEvent.resource_id) == str(token_id),
            )
        )
        return list(rows.scalars().all())


async def test_a_token_near_expiry_is_announced_once_per_expiry(api: Api) -> None:
    person = await resident_id(api, "a", 5)
    await token_for(api, person)  # lives one day
    token_id = int(
        await api.scalar(
            sa.select(sa.func.max(col(ApiToken.id))).where(ApiToken.person_id == person)
        )
    )
    seq = await last_seq(api)

    assert await announce_expiring_tokens(api.db, within=timedelta(days=7)) >= 1
    (event,) = await _events(api, token_id)
    assert event.payload["person_id"] == person
    entry = await api.scalar(sa.select(AuditEntry).where(col(AuditEntry.seq) == event.audit_seq))
    assert entry.seq > seq and entry.operation == "announceExpiringTokens"
    assert await announce_expiring_tokens(api.db, within=timedelta(days=7)) == 0
    assert len(await _events(api, token_id)) == 1

    # Renewed to a later expiry that nears again: announced again.
    async with api.db.write() as session:
        token = await session.get(ApiToken, token_id)
        assert token is not None
        token.expires_at += timedelta(days=2)
    assert await announce_expiring_tokens(api.db, within=timedelta(days=7)) == 1
    assert len(await _events(api, token_id)) == 2


async def test_nothing_due_writes_nothing(api: Api) -> None:
    seq = await last_seq(api)
    assert await announce_expiring_tokens(api.db, within=timedelta(seconds=1)) == 0
    assert await last_seq(api) == seq
