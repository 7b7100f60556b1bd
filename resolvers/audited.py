"""The one path every mutation takes: authorize, change, audit, in one transaction.

A mutation is a handler ``(session, record) -> result`` run by ``run_mutation``.
The handler fills in the record (what it touched, which grant allowed it, the
changed fields); the entry is appended last, just before commit, so the chain
lock is held as briefly as possible. A mutation that announces its change writes
its outbox event right after the entry, in the same transaction. When the handler
raises, its work is rolled back and the attempt is audited in a transaction of its own.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.audit_store import append_entry
from db.engine import Database
from db.models import AuditEntry, AuditOutcome, Organisation
from db.paths import ROOT
from policies.actor import ANONYMOUS
from policies.authorizer import Decision
from policies.conditions import RowFacts
from policies.grants import Grant
from resolvers.audit_names import label_of_row, lookup
from resolvers.audit_values import capped_changes, capped_input, safe_optional, safe_text
from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode, Forbidden, NotVisible
from resolvers.i18n import Text, tr
from resolvers.operator import OPERATOR_ACTOR
from resolvers.outbox import Announces, Emitted, announce, write_emitted

T = TypeVar("T")
log = structlog.get_logger("jinlin.audit")

REDACTED = "[redacted]"
# Values that never reach the audit log in clear, wherever they appear.
SENSITIVE_FIELDS = frozenset({"phone", "id_number", "idNumber", "token", "secret"})
DENIAL_CODES = frozenset({ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED})
# Changes made with the `jinlin` command line: whoever runs it operates the server.
OPERATOR = Grant("operator", ROOT, "command line")
# Changes the server makes by itself (the webhook dispatcher disabling a failing endpoint):
# no person, no token; the entry's role says "system" and its request id what acted.
SYSTEM_ROLE = "system"


def _json_value(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _json_value({f.name: getattr(value, f.name) for f in fields(value)})
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_value(v) for v in value]
    return value


def redact(values: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-ready copy of VALUES with sensitive entries replaced, at any depth."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key in SENSITIVE_FIELDS and value is not None:
            clean[key] = REDACTED
        elif isinstance(value, Mapping):
            clean[key] = redact(value)
        else:
            clean[key] = _json_value(value)
    # Round-trip so the hashed value equals what the database hands back.
    result: dict[str, Any] = json.loads(json.dumps(clean, ensure_ascii=False))
    return result


@dataclass
class AuditRecord:
    """What a handler tells the audit log about its change."""

    operation: str
    resource_type: str
    input: dict[str, Any]
    resource_id: str | None = None
    organisation_id: int | None = None
    organisation_path: str | None = None
    grant: Grant | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    # Outbox events the handler emitted itself, written with the SUCCESS entry.
    emitted: list[Emitted] = field(default_factory=list)
    # The change makes work for whoever waits on the outbox signal without writing an event
    # (a delivery due now): wake them as an announcement would.
    wakes: bool = False
    # A system pass found its work already done by another (a raced sweep): no entry.
    moot: bool = False
    # The target's compound and name as the handler already holds them, so a successful
    # entry need not read them again; None: the entry looks them up.
    known_compound_id: int | None = None
    known_label: str | None = None

    def emit(self, event: Emitted) -> None:
        self.emitted.append(event)

    def wake(self) -> None:
        """Send the outbox wake-up with this change (the webhook dispatcher looks now)."""
        self.wakes = True

    def target(
        self,
        resource_id: int | None,
        organisation_id: int | None,
        path: str | None,
        *,
        compound_id: int | None = None,
    ) -> None:
        """The row changed and where it lies; COMPOUND_ID, when the caller holds it, is the
        compound that organisation lies in (organisation.compound_id)."""
        self.resource_id = None if resource_id is None else str(resource_id)
        self.organisation_id = organisation_id
        self.organisation_path = path
        self.known_compound_id = compound_id
        self.known_label = None

    def made(self, resource_id: int | None) -> None:
        """The row the change made, now that it has an id, where it was targeted."""
        self.resource_id = None if resource_id is None else str(resource_id)
        self.known_label = None

    def named(self, row: Any) -> None:
        """ROW, as the change left it, is the target: its name is known without a lookup
        (for the kinds named by a column of their own row; ignored if ROW is not the target)."""
        if self.resource_id is not None and self.resource_id == str(row.id):
            self.known_label = label_of_row(self.resource_type, row)

    def change(self, name: str, before: Any, after: Any) -> None:
        if before == after:
            return
        if name in SENSITIVE_FIELDS:
            before = None if before is None else REDACTED
            after = None if after is None else REDACTED
        self.changes.append(
            {"field": name, "before": _json_value(before), "after": _json_value(after)}
        )

    def authorize(self, decision: Decision, facts: RowFacts, what: Text) -> Grant:
        """Require a grant for this row; remember which one allowed it."""
        grant = decision.grant_for(facts)
        if grant is None:
            raise Forbidden(tr("You may not {what}.", what=what))
        self.grant = grant
        return grant


Handler = Callable[[AsyncSession, AuditRecord], Awaitable[T]]


async def run_mutation(
    ctx: RequestContext,
    *,
    operation: str,
    resource_type: str,
    input: Mapping[str, Any],
    handler: Handler[T],
    announces: Announces | None = None,
) -> T:
    """Run a caller's mutation: it needs a signed-in actor, and HANDLER authorizes the row.
    On success the event ANNOUNCES names is written to the outbox with the entry."""
    record = AuditRecord(operation, resource_type, redact(input))
    # The operator (resolvers/operator.py) acts with no person signed in.
    require_actor = ctx.actor is not OPERATOR_ACTOR
    return await _run(ctx, record, handler, require_actor=require_actor, announces=announces)


async def run_operator_change(
    db: Database,
    *,
    operation: str,
    resource_type: str,
    input: Mapping[str, Any],
    handler: Handler[T],
) -> T:
    """Run a change made at the command line by whoever operates the server, audited as such."""
    ctx = RequestContext(
        db=db, actor=ANONYMOUS, request_id=f"cli-{uuid.uuid4().hex}", client_address="cli"
    )
    record = AuditRecord(operation, resource_type, redact(input), grant=OPERATOR)
    return await _run(ctx, record, handler, require_actor=False)


async def run_system_change(
    db: Database,
    *,
    operation: str,
    resource_type: str,
    input: Mapping[str, Any],
    handler: Handler[T],
    source: str,
) -> T:
    """Run a change the server makes by itself, for SOURCE (e.g. "webhook-dispatcher"),
    audited with the system as actor: no person or token, role "system" over the whole tree,
    request id `SOURCE-…`. Its events are written and announced as a mutation's are."""
    ctx = RequestContext(
        db=db, actor=ANONYMOUS, request_id=f"{source}-{uuid.uuid4().hex}"[:64], client_address=None
    )
    grant = Grant(SYSTEM_ROLE, ROOT, source)
    record = AuditRecord(operation, resource_type, redact(input), grant=grant)
    return await _run(ctx, record, handler, require_actor=False)


async def _run(
    ctx: RequestContext,
    record: AuditRecord,
    handler: Handler[T],
    *,
    require_actor: bool,
    announces: Announces | None = None,
) -> T:
    try:
        if require_actor:
            ctx.require_actor()
        await ctx.release_reads()
        async with ctx.db.write() as session:
            result = await handler(session, record)
            if record.moot and not require_actor:  # a caller's mutation is always audited
                return result
            entry = await _append(session, ctx, record, AuditOutcome.SUCCESS, None)
            # Still under the chain lock: event ids follow commit order, as seqs do.
            if announces is not None:
                await announce(session, announces, record, entry)
            for event in record.emitted:
                await write_emitted(session, event, entry)
            announced = announces is not None or bool(record.emitted) or record.wakes
            if announced:
                await ctx.db.signal.in_transaction(session)
    except DomainError as error:
        outcome = _outcome_of(error)
        await _audit_failure(ctx, record, outcome, error.code, error.message)
        raise
    except Exception:
        await _audit_failure(ctx, record, AuditOutcome.FAILED, ErrorCode.INTERNAL, None)
        raise
    except asyncio.CancelledError:
        # Stopped from outside (the request timeout): the work rolled back, and the attempt
        # is still audited; shielded so the cancellation cannot cut the entry short.
        await asyncio.shield(
            _audit_failure(
                ctx,
                record,
                AuditOutcome.FAILED,
                ErrorCode.INTERNAL,
                "cancelled: the request timed out",
            )
        )
        raise
    _log_committed(entry, ctx)
    if announced:
        await ctx.db.signal.committed()  # live feeds look now rather than at their next poll
    await ctx.wrote()
    return result


def _outcome_of(error: DomainError) -> AuditOutcome:
    """Refusals for lack of access (including rows out of scope) are denials."""
    if error.code in DENIAL_CODES or isinstance(error, NotVisible):
        return AuditOutcome.DENIED
    return AuditOutcome.REJECTED


async def _audit_failure(
    ctx: RequestContext,
    record: AuditRecord,
    outcome: AuditOutcome,
    code: ErrorCode,
    message: str | None,
) -> None:
    record.changes = []  # nothing changed: the work was rolled back
    record.emitted = []  # and announces nothing
    # What the handler knew came from that work: the entry reads what was committed.
    record.known_compound_id = None
    record.known_label = None
    async with ctx.db.write() as session:
        entry = await _append(session, ctx, record, outcome, (code, message))
    _log_committed(entry, ctx)
    await ctx.wrote()


async def _append(
    session: AsyncSession,
    ctx: RequestContext,
    record: AuditRecord,
    outcome: AuditOutcome,
    error: tuple[ErrorCode, str | None] | None,
) -> AuditEntry:
    # seq (the primary key) is assigned by append_entry under the chain-head lock.
    entry = AuditEntry(  # type: ignore[call-arg]
        request_id=safe_optional(ctx.request_id, 64),
        client_address=safe_optional(ctx.client_address, 64),
        actor_person_id=ctx.actor.person_id,
        actor_token_id=ctx.actor.token_id,
        actor_organisation_id=ctx.actor.partner_organisation_id,
        role=record.grant.role if record.grant else None,
        domain=record.grant.domain if record.grant else None,
        operation=record.operation,
        resource_type=record.resource_type,
        resource_id=safe_optional(record.resource_id, 64),
        organisation_id=record.organisation_id,
        organisation_path=record.organisation_path,
        compound_id=await _compound_of(session, record),
        resource_label=await _label_of(session, record),
        input=capped_input(record.input),
        changes=capped_changes(record.changes),
        outcome=outcome,
        error_code=error[0].value if error else None,
        error_message=safe_text(error[1] or "", 500) if error else None,
        prev_hash="",
        hash="",
    )
    return await append_entry(session, entry)


async def _compound_of(session: AsyncSession, record: AuditRecord) -> int | None:
    """The compound the entry's organisation lies in (none above compounds): as the handler
    knew it, else read."""
    if record.known_compound_id is not None:
        return record.known_compound_id
    if record.organisation_id is None:
        return None
    found = await session.execute(
        sa.select(col(Organisation.compound_id)).where(
            col(Organisation.id) == record.organisation_id
        )
    )
    return found.scalar_one_or_none()


async def _label_of(session: AsyncSession, record: AuditRecord) -> str | None:
    """The record's display name now (as the handler knew it, else read), or (deleted) the
    name its last entry kept."""
    if record.known_label is not None:
        return record.known_label
    if record.resource_id is None or not record.resource_id.isdigit():
        return None
    key = (record.resource_type, int(record.resource_id))
    found = await lookup(session.execute, [key])
    if key in found:
        return found[key]
    kept = await session.execute(
        sa.select(col(AuditEntry.resource_label))
        .where(
            col(AuditEntry.resource_type) == record.resource_type,
            col(AuditEntry.resource_id) == record.resource_id,
            col(AuditEntry.resource_label).is_not(None),
        )
        .order_by(col(AuditEntry.seq).desc())
        .limit(1)
    )
    return kept.scalar_one_or_none()


def _log_committed(entry: AuditEntry, ctx: RequestContext) -> None:
    """One JSON log line per committed entry, joinable with the table by seq and request id."""
    log.info(
        "audited",
        seq=entry.seq,
        operation=entry.operation,
        outcome=entry.outcome.value,
        resource_type=entry.resource_type,
        resource_id=entry.resource_id,
        actor_person_id=entry.actor_person_id,
        request_id=ctx.request_id,
    )


async def record_rejection(
    ctx: RequestContext,
    operation: str,
    resource_type: str,
    input: Mapping[str, Any],
    error: DomainError,
) -> None:
    """Audit an attempt refused before its handler could run (e.g. a malformed id)."""
    outcome = _outcome_of(error)
    record = AuditRecord(operation, resource_type, redact(input))
    await _audit_failure(ctx, record, outcome, error.code, error.message)
