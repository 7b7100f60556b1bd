"""Tokens about to expire: a time-driven event, written by a sweep rather than a mutation.

The sweep is an operator change (audited, its events linked to its entry like any
mutation's), and writes `token.expiring` once per token and expiry: a token renewed to a
later expiry is announced again when that one nears. Nothing to announce: no entry.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import Database
from db.models import ApiToken, Organisation, OutboxEvent
from db.types import utcnow
from resolvers.audited import AuditRecord, run_operator_change
from resolvers.outbox import Emitted, EventKind


async def _due(session: AsyncSession, within: timedelta) -> list[ApiToken]:
    """Live tokens expiring within WITHIN whose present expiry was not announced yet."""
    now = utcnow()
    tokens = (
        await session.execute(
            sa.select(ApiToken)
            .where(
                col(ApiToken.revoked_at).is_(None),
                col(ApiToken.expires_at) > now,
                col(ApiToken.expires_at) <= now + within,
            )
            .order_by(col(ApiToken.id))
        )
    ).scalars()
    due = {str(t.id): t for t in tokens}
    if not due:
        return []
    announced = await session.execute(
        sa.select(col(OutboxEvent.resource_id), col(OutboxEvent.payload)).where(
            col(OutboxEvent.kind) == EventKind.TOKEN_EXPIRING.value,
            col(OutboxEvent.resource_type) == "token",
            col(OutboxEvent.resource_id).in_(list(due)),
        )
    )
    for token_id, payload in announced:
        token = due.get(token_id or "")
        if token is not None and payload.get("expires_at") == token.expires_at.isoformat():
            del due[token_id or ""]
    return list(due.values())


async def announce_expiring_tokens(db: Database, *, within: timedelta) -> int:
    """Write `token.expiring` for each token whose expiry is within WITHIN and not yet
    announced; the number written."""
    async with db.read_sessions() as session:
        if not await _due(session, within):
            return 0

    async def handler(session: AsyncSession, record: AuditRecord) -> int:
        tokens = await _due(session, within)  # again, in the writing transaction
        for token in tokens:
            partner = (
                await session.get(Organisation, token.partner_organisation_id)
                if token.partner_organisation_id is not None
                else None
            )
            record.emit(
                Emitted(
                    kind=EventKind.TOKEN_EXPIRING,
                    resource_type="token",
                    resource_id=token.id or 0,
                    # The owner hears of it; a partner token's unit too.
                    payload={
                        "person_id": token.person_id,
                        "partner_organisation_id": token.partner_organisation_id,
                        "expires_at": token.expires_at.isoformat(),
                    },
                    compound_id=partner.compound_id if partner else None,
                    organisation_path=partner.path if partner else None,
                )
            )
        record.change("announced", None, [token.id for token in tokens])
        return len(tokens)

    return await run_operator_change(
        db,
        operation="announceExpiringTokens",
        resource_type="token",
        input={"within_days": within.days},
        handler=handler,
    )
