"""Events someone should hear of, written to the outbox in the transaction of their change.

A mutation's declaration names the event its success announces (``announces``); the kind
may depend on the state the change led to (a confirmation closes or reopens an issue).
``run_mutation`` writes the event right after the SUCCESS audit entry, under the chain
lock, so the change, its entry and its event commit together or not at all, and event ids
follow commit order. The payload holds ids and status values only: whoever delivers an
event renders it for its recipient, so masked fields stay masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import AuditEntry, Issue, Organisation, OutboxEvent

if TYPE_CHECKING:
    from resolvers.audited import AuditRecord


class EventKind(StrEnum):
    ISSUE_REPORTED = "issue.reported"
    ISSUE_CLAIMED = "issue.claimed"
    ISSUE_ASSIGNED = "issue.assigned"
    ISSUE_STARTED = "issue.started"
    ISSUE_RESOLVED = "issue.resolved"
    ISSUE_CLOSED = "issue.closed"
    ISSUE_REOPENED = "issue.reopened"
    ISSUE_REJECTED = "issue.rejected"
    ISSUE_MARKED_DUPLICATE = "issue.marked_duplicate"
    ISSUE_ESCALATED = "issue.escalated"
    ISSUE_COMMENTED = "issue.commented"
    ISSUE_TRIAGED = "issue.triaged"
    MEETING_SCHEDULED = "meeting.scheduled"
    MEETING_DECIDED = "meeting.decided"
    COMPOUND_MEETING_SCHEDULED = "compound_meeting.scheduled"
    COMPOUND_MEETING_HELD = "compound_meeting.held"
    EVALUATION_OPENED = "evaluation.opened"
    EVALUATION_CLOSED = "evaluation.closed"
    VOLUNTEER_SERVICE_RECORDED = "volunteer_service.recorded"
    VOLUNTEER_SERVICE_CONFIRMED = "volunteer_service.confirmed"
    MOBILISATION_SENT = "mobilisation.sent"
    NOTICE_PUBLISHED = "notice.published"
    NOTICE_QUESTION_ANSWERED = "notice_question.answered"
    # Time-driven: written by a sweep (resolvers.tokens.expiring), not by a declaration.
    TOKEN_EXPIRING = "token.expiring"  # noqa: S105 (an event kind, not a secret)
    # The dispatcher disabled an endpoint by itself (resolvers.webhooks.disabling).
    WEBHOOK_DISABLED = "webhook.disabled"


# One kind, or the kind by the status the change led to.
Announces = EventKind | Mapping[str, EventKind]

# Changed fields an event carries: ids and status values, never text a person wrote.
_CARRIED = frozenset({"status", "timeline"})


@dataclass(frozen=True)
class Emitted:
    """An event a handler emits itself (a change announcing several, or by what it found)."""

    kind: EventKind
    resource_type: str
    resource_id: int
    payload: dict[str, Any]
    compound_id: int | None = None
    organisation_path: str | None = None


async def write_emitted(session: AsyncSession, emitted: Emitted, entry: AuditEntry) -> None:
    session.add(
        OutboxEvent(
            occurred_at=entry.occurred_at,
            kind=emitted.kind.value,
            resource_type=emitted.resource_type,
            resource_id=str(emitted.resource_id),
            compound_id=emitted.compound_id,
            organisation_path=emitted.organisation_path,
            payload=emitted.payload,
            audit_seq=entry.seq,
        )
    )
    await session.flush()


def kind_of(announces: Announces, record: AuditRecord) -> EventKind:
    if isinstance(announces, EventKind):
        return announces
    status = next((str(c["after"]) for c in record.changes if c["field"] == "status"), "")
    kind = announces.get(status)
    if kind is None:
        raise LookupError(f"{record.operation} announces nothing for status {status!r}")
    return kind


async def announce(
    session: AsyncSession, announces: Announces, record: AuditRecord, entry: AuditEntry
) -> OutboxEvent:
    """Insert the event of RECORD's change, linked to its SUCCESS ENTRY, in SESSION."""
    compound_id, path = await _where(session, record, entry)
    event = OutboxEvent(
        occurred_at=entry.occurred_at,
        kind=kind_of(announces, record).value,
        resource_type=record.resource_type,
        resource_id=record.resource_id,
        compound_id=compound_id,
        organisation_path=path,
        payload=await _payload(session, record, entry),
        audit_seq=entry.seq,
    )
    session.add(event)
    await session.flush()
    return event


async def _where(
    session: AsyncSession, record: AuditRecord, entry: AuditEntry
) -> tuple[int | None, str | None]:
    """An issue's events lie in its compound (a meeting's decision is audited at the
    meeting's host, perhaps a community); others where their entry lies."""
    issue_id = _issue_id(record)
    if issue_id is None:
        return entry.compound_id, entry.organisation_path
    # The change has loaded its issue (so this reads nothing); when its entry lies in the
    # issue's compound, the entry's path is the compound's.
    issue = await session.get(Issue, issue_id)
    if issue is not None and issue.compound_id == entry.organisation_id:
        return issue.compound_id, entry.organisation_path
    found = await session.execute(
        sa.select(col(Issue.compound_id), col(Organisation.path))
        .join(Organisation, col(Organisation.id) == col(Issue.compound_id))
        .where(col(Issue.id) == issue_id)
    )
    compound_id, path = found.one()
    return compound_id, path


async def _payload(session: AsyncSession, record: AuditRecord, entry: AuditEntry) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "operation": record.operation,
        "actor": {
            "person_id": entry.actor_person_id,
            "organisation_id": entry.actor_organisation_id,
        },
        "ids": {k: v for k, v in record.input.items() if _is_id(k) and isinstance(v, int)},
        "changes": {
            c["field"]: {"before": c["before"], "after": c["after"]}
            for c in record.changes
            if c["field"] in _CARRIED or _is_id(c["field"])
        },
    }
    issue_id = _issue_id(record)
    if issue_id is not None:
        issue = await session.get(Issue, issue_id)
        if issue is not None:
            # Who the policy asks about at delivery: the reporter owns it, the assignee works it.
            payload["issue"] = {
                "status": issue.status.value,
                "reporter_id": issue.reporter_id,
                "assignee_organisation_id": issue.assignee_organisation_id,
                "assignee_person_id": issue.assignee_person_id,
                "version": issue.version,
            }
    return payload


def _is_id(name: str) -> bool:
    return name.endswith(("_id", "Id")) or name == "id"


def _issue_id(record: AuditRecord) -> int | None:
    if record.resource_type != "issue" or record.resource_id is None:
        return None
    return int(record.resource_id) if record.resource_id.isdigit() else None
