"""The dispatcher disables an endpoint itself when its receiver keeps failing or its token is
gone; an enableWebhook (audited) turns it back on.

Nobody asked for this change, so it is audited with the system as actor (role "system",
request id `webhook-dispatcher-…`, no person or token), under the operation a person's
disabling has (disableWebhook), with the reason and the failures that led to it; and it is
announced (webhook.disabled) so the endpoint's registrant hears of it (myNotifications) and
the partner's other endpoints may too.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db import clock
from db.engine import Database
from db.models import DisabledReason, Organisation, WebhookEndpoint, WebhookStatus
from resolvers.audited import AuditRecord, run_system_change
from resolvers.errors import Conflict
from resolvers.i18n import tr
from resolvers.mutations import bump
from resolvers.outbox import Emitted, EventKind
from resolvers.webhooks.endpoints import RESOURCE, token_places

log = structlog.get_logger("jinlin.webhooks")

SOURCE = "webhook-dispatcher"


async def disable(
    db: Database,
    endpoint_id: int,
    reason: DisabledReason,
    *,
    still: Callable[[WebhookEndpoint], bool] | None = None,
) -> bool:
    """Disable the active endpoint for REASON (if STILL holds of it under its lock): audited,
    announced; False when there was nothing to disable."""
    async with db.read_sessions() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None or endpoint.status is not WebhookStatus.ACTIVE:
            return False

    async def handler(session: AsyncSession, record: AuditRecord) -> bool:
        endpoint = await _locked_active(session, endpoint_id)
        if endpoint is None or (still is not None and not still(endpoint)):
            # Changed since the read above (enabled, disabled, reset): nothing is done.
            raise Conflict(tr("The webhook endpoint changed meanwhile; not disabled."))
        places = await token_places(session, endpoint.token_id)
        place_id, path = places[0] if places else (None, None)
        compound_id = (
            (await session.get(Organisation, place_id)).compound_id  # type: ignore[union-attr]
            if place_id is not None
            else None
        )
        record.target(endpoint.id, place_id, path, compound_id=compound_id)
        record.change("status", endpoint.status, WebhookStatus.DISABLED)
        record.change("disabled_reason", endpoint.disabled_reason, reason)
        now = clock.now()
        endpoint.status = WebhookStatus.DISABLED
        endpoint.disabled_reason = reason
        endpoint.disabled_at = now
        bump(endpoint)
        record.emit(
            Emitted(
                kind=EventKind.WEBHOOK_DISABLED,
                resource_type=RESOURCE,
                resource_id=endpoint_id,
                payload={
                    "reason": reason.value,
                    "consecutive_failures": endpoint.consecutive_failures,
                    "token_id": endpoint.token_id,
                    "partner_organisation_id": endpoint.partner_organisation_id,
                    # Who registered it hears of it.
                    "person_id": endpoint.created_by_id,
                },
                compound_id=compound_id,
                organisation_path=path,
            )
        )
        await session.flush()
        log.warning(
            "webhook endpoint disabled",
            endpoint_id=endpoint_id,
            reason=reason.value,
            consecutive_failures=endpoint.consecutive_failures,
        )
        return True

    try:
        return await run_system_change(
            db,
            operation="disableWebhook",
            resource_type=RESOURCE,
            input={
                "id": endpoint_id,
                "reason": reason.value,
                "consecutive_failures": endpoint.consecutive_failures,
                "failing_since": endpoint.failing_since,
            },
            handler=handler,
            source=SOURCE,
        )
    except Conflict:
        return False


async def _locked_active(session: AsyncSession, endpoint_id: int) -> WebhookEndpoint | None:
    found: WebhookEndpoint | None = (
        await session.execute(
            sa.select(WebhookEndpoint)
            .where(
                col(WebhookEndpoint.id) == endpoint_id,
                col(WebhookEndpoint.status) == WebhookStatus.ACTIVE,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    return found
