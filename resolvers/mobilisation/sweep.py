"""The deadline sweep: a call still OPEN when its respondBy has passed is closed, as its sender
would close it, by the server itself.

Run by `jinlin serve` and `jinlin worker` (app/sweeps.py). Each call closed is one audited
system change (role "system", request id `mobilisation-sweep-…`), targeted at the call's subtree so
that the supervisors over it read the closure in their audit log and in the call's
auditTrail. The call records `closedAt` = its deadline (when it stopped taking answers, which
resolvers/mobilisation/actions.py refuses from that moment on whether or not the sweep has
run yet), and no `closedBy`. Safe beside a sender closing it in the same moment and beside
other sweepers (every `serve` process sweeps, unless JINLIN_SWEEPS_IN_SERVE is off, and so
does every worker): each takes the row under a lock it does not wait for (FOR UPDATE SKIP
LOCKED; SQLite's write transactions take turns) and closes it only if it is still OPEN, so
a call is closed once, with one audit entry; a sweeper that finds it closed writes none.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import Database
from db.models import Mobilisation, MobilisationStatus
from db.types import utcnow
from resolvers.audited import AuditRecord, run_system_change
from resolvers.mutations import bump
from resolvers.organisations.paths import path_of

log = structlog.get_logger("jinlin.mobilisation")

SOURCE = "mobilisation-sweep"
OPERATION = "closeMobilisationAtDeadline"
RESOURCE = "mobilisation"
SWEEP_BATCH = 50


def past_deadline(now: datetime) -> sa.ColumnElement[bool]:
    """OPEN calls whose time to answer is over (ix_mobilisation_status: status, then id)."""
    return sa.and_(
        col(Mobilisation.status) == MobilisationStatus.OPEN,
        col(Mobilisation.respond_by) <= now,
    )


async def _close(db: Database, call_id: int, now: datetime) -> bool:
    async def handler(session: AsyncSession, record: AuditRecord) -> bool:
        call = (
            await session.execute(
                sa.select(Mobilisation)
                .where(col(Mobilisation.id) == call_id, past_deadline(now))
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
        if call is None:  # closed by its sender or another sweeper: theirs is the entry
            record.moot = True
            return False
        record.target(call.id, call.target_id, await path_of(session, call.target_id))
        call.status, call.closed_at = MobilisationStatus.CLOSED, call.respond_by
        record.change("status", MobilisationStatus.OPEN, MobilisationStatus.CLOSED)
        record.change("closed_at", None, call.closed_at)
        record.named(call)
        bump(call)
        await session.flush()
        return True

    return await run_system_change(
        db,
        operation=OPERATION,
        resource_type=RESOURCE,
        input={"mobilisation": call_id, "closed": True},
        handler=handler,
        source=SOURCE,
    )


async def close_past_deadline(db: Database, *, batch: int = SWEEP_BATCH) -> int:
    """Close every OPEN call whose deadline has passed, one audited change each; how many."""
    closed = 0
    while True:
        now = utcnow()
        async with db.read_sessions() as session:
            # A cheap look first: most passes find nothing, and then write and audit nothing.
            found = await session.execute(
                sa.select(col(Mobilisation.id))
                .where(past_deadline(now))
                .order_by(col(Mobilisation.id))
                .limit(batch)
            )
            due = [int(i) for i in found.scalars() if i is not None]
        done = [await _close(db, call_id, now) for call_id in due]
        closed += sum(done)
        # A full batch may have more behind it; one whose rows others hold ends the pass.
        if len(due) < batch or not any(done):
            break
    if closed:
        log.info("mobilisations closed at their deadline", count=closed)
    return closed
