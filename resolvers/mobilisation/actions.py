"""Mobilisation, the changes: a compound's party branch or a street's or community's officer
sends a call to a subtree and closes it; each person called on acknowledges it and reports
back, themself only. All through the audited path.

Sending writes the call and one recipient row per person called on (resolved then, from that
day's positions, residences, post claims and volunteer teams: resolvers/mobilisation/
recipients.py) and announces `mobilisation.sent`, which myNotifications delivers to each of
them. A second acknowledgement changes nothing (a retry is safe); once closed, or once its
deadline (respondBy) has passed, a call takes no more acknowledgements or reports
(BAD_USER_INPUT with `extensions.reason`, audited as REJECTED).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    Mobilisation,
    MobilisationGroup,
    MobilisationOutcome,
    MobilisationRecipient,
    MobilisationStatus,
    MobilisationUrgency,
    Organisation,
    OrganisationKind,
)
from db.paths import in_subtree
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import coded, tr
from resolvers.mobilisation import recipients
from resolvers.mutations import Mutation, Place, RowMutation, bump
from resolvers.organisations.paths import path_of
from resolvers.outbox import EventKind
from resolvers.text import clean_text

SENDERS = frozenset(
    {OrganisationKind.PARTY_BRANCH, OrganisationKind.STREET, OrganisationKind.COMMUNITY}
)
INSTRUCTIONS_LIMIT = 5_000
REPORT_LIMIT = 2_000
# How long recipients have when the sender names no time, by urgency.
DEFAULT_WINDOW = {
    MobilisationUrgency.EMERGENCY: timedelta(hours=2),
    MobilisationUrgency.URGENT: timedelta(hours=24),
    MobilisationUrgency.ROUTINE: timedelta(days=7),
}
MAX_WINDOW = timedelta(days=30)
# extensions.reason of a refused answer: the call's deadline has passed, or its sender closed it.
PAST_DEADLINE = "MOBILISATION_PAST_DEADLINE"
CLOSED = "MOBILISATION_CLOSED"


@dataclass(frozen=True)
class SendMobilisation:
    sender_id: int
    title: str
    instructions: str
    urgency: MobilisationUrgency
    groups: tuple[MobilisationGroup, ...]
    target_id: int | None = None  # the sender's own subtree when not given
    respond_by: datetime | None = None  # by urgency when not given


@dataclass(frozen=True)
class AcknowledgeMobilisation:
    mobilisation_id: int


@dataclass(frozen=True)
class ReportMobilisation:
    mobilisation_id: int
    outcome: MobilisationOutcome
    report: str


@dataclass(frozen=True)
class CloseMobilisation:
    mobilisation_id: int
    expected_version: int | None = None


SEND_MOBILISATION = Mutation(
    operation="sendMobilisation",
    resource="mobilisation",
    action="send",
    what=tr("send a mobilisation from this body to there"),
    needs=" (the party branch's secretary, or the street's or community's officer, for the "
    "body they hold a position in, to a subtree under their grant)",
    announces=EventKind.MOBILISATION_SENT,
)
# Acknowledging and reporting: the person called on, for themself (mobilisation_recipient).
ACKNOWLEDGE_MOBILISATION = Mutation(
    operation="acknowledgeMobilisation",
    resource="mobilisation_recipient",
    action="respond",
    what=tr("answer this mobilisation"),
    audited_as="mobilisation_recipient",
    needs=" (only a person it called on, for themself)",
)
REPORT_MOBILISATION = Mutation(
    operation="reportMobilisation",
    resource="mobilisation_recipient",
    action="respond",
    what=tr("answer this mobilisation"),
    audited_as="mobilisation_recipient",
    needs=" (only a person it called on, for themself)",
)


async def _call_place(ctx: RequestContext, session: AsyncSession, call: Mobilisation) -> Place:
    target = await path_of(session, call.target_id) or "/"
    sender = await path_of(session, call.sender_id)
    return Place(call.target_id, target, RowFacts(paths=(target,), body_path=sender))


CLOSE_MOBILISATION = RowMutation(
    operation="closeMobilisation",
    resource="mobilisation",
    action="close",
    what=tr("close this mobilisation"),
    needs=" (a member of the body that sent it)",
    model=Mobilisation,
    noun=tr("mobilisation"),
    locate=_call_place,
    checks_version=True,
)


def _root_of(sender: Organisation) -> int:
    """What a sender may call on: a branch its compound, a street or community itself."""
    if sender.kind not in SENDERS:
        raise BadUserInput(
            tr(
                "A mobilisation is sent by a compound's party branch, a street or a community; "
                "{name} is a {kind}.",
                name=sender.name,
                kind=coded(sender.kind),
            )
        )
    if sender.kind is OrganisationKind.PARTY_BRANCH:
        return sender.compound_id or 0
    return sender.id or 0


def _respond_by(data: SendMobilisation, now: datetime) -> datetime:
    respond_by = data.respond_by or now + DEFAULT_WINDOW[data.urgency]
    if respond_by <= now:
        raise BadUserInput(tr("respondBy must lie in the future."))
    if respond_by - now > MAX_WINDOW:
        raise BadUserInput(tr("respondBy may be at most {days} days ahead.", days=MAX_WINDOW.days))
    return respond_by


async def send_mobilisation(ctx: RequestContext, data: SendMobilisation) -> Mobilisation:
    """Send a call to the chosen groups of the target subtree."""

    async def handler(session: AsyncSession, record: AuditRecord) -> Mobilisation:
        label = tr("organisation")
        sender = await visible_one(
            ctx, session, Organisation, "organisation", data.sender_id, label
        )
        root_id = _root_of(sender)
        target = await visible_one(
            ctx, session, Organisation, "organisation", data.target_id or root_id, label
        )
        record.target(None, target.id, target.path, compound_id=target.compound_id)
        SEND_MOBILISATION.authorize(
            ctx, record, RowFacts(paths=(target.path,), body_path=sender.path)
        )
        root = await path_of(session, root_id) or ""
        if not in_subtree(target.path, root):
            raise BadUserInput(
                tr(
                    "{sender} calls on its own part of the tree; {target} lies outside it.",
                    sender=sender.name,
                    target=target.name,
                )
            )
        if not data.groups:
            raise BadUserInput(tr("Name at least one group to call on."))
        now = utcnow()
        call = Mobilisation(
            sender_id=sender.id or 0,
            target_id=target.id or 0,
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            instructions=clean_text(
                data.instructions, tr("instructions"), required=True, limit=INSTRUCTIONS_LIMIT
            )
            or "",
            urgency=data.urgency,
            groups=[g.value for g in MobilisationGroup if g in data.groups],
            respond_by=_respond_by(data, now),
            sent_by_id=ctx.actor.person_id,
            sent_at=now,
        )
        session.add(call)
        await session.flush()
        called = await recipients.resolve(
            session,
            target.path,
            frozenset(data.groups),
            ctx.today,
            sender_person_id=ctx.actor.person_id,
        )
        if not called:
            raise BadUserInput(
                tr("Nobody in {target} belongs to the groups named.", target=target.name)
            )
        await session.execute(
            sa.insert(MobilisationRecipient),
            [
                {
                    "mobilisation_id": call.id,
                    "person_id": c.person_id,
                    "group": c.group,
                    "compound_id": c.compound_id,
                    "version": 1,
                }
                for c in called
            ],
        )
        record.made(call.id)
        for name in ("sender_id", "target_id", "title", "urgency", "groups", "respond_by"):
            record.change(name, None, getattr(call, name))
        record.change("status", None, call.status)
        record.change("recipients", None, len(called))
        return call

    return await SEND_MOBILISATION.run(ctx, data, handler)


async def _my_row(
    ctx: RequestContext,
    session: AsyncSession,
    record: AuditRecord,
    mutation: Mutation,
    call_id: int,
) -> tuple[Mobilisation, MobilisationRecipient]:
    """The call (if the caller sees it) and the caller's own row of it, locked; FORBIDDEN
    (audited) for anyone it did not call on."""
    call = await visible_one(
        ctx, session, Mobilisation, "mobilisation", call_id, tr("mobilisation")
    )
    target = await path_of(session, call.target_id) or "/"
    found = (
        await session.execute(
            sa.select(MobilisationRecipient)
            .where(
                col(MobilisationRecipient.mobilisation_id) == call_id,
                col(MobilisationRecipient.person_id) == (ctx.actor.person_id or 0),
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    record.target(None if found is None else found.id, call.target_id, target)
    owner = None if found is None else found.person_id
    mutation.authorize(ctx, record, RowFacts(paths=(target,), owner_person_id=owner))
    assert found is not None  # authorized: the caller's own row
    refuse_late_answer(call, utcnow())
    return call, found


def refuse_late_answer(call: Mobilisation, now: datetime) -> None:
    """A call takes answers until its deadline (then `jinlin worker` closes it: resolvers/
    mobilisation/sweep.py) or until its sender closes it, whichever comes first; the deadline
    is read from the clock here, so a late answer is refused before the sweep has run."""
    if now >= call.respond_by:
        raise BadUserInput(
            tr(
                "“{title}” asked for answers by {deadline}; it takes no more.",
                title=call.title,
                deadline=call.respond_by,
            ),
            reason=PAST_DEADLINE,
        )
    if call.status is MobilisationStatus.CLOSED:
        raise BadUserInput(
            tr("This mobilisation was closed; it takes no more answers."), reason=CLOSED
        )


def _acknowledge(call: Mobilisation, row: MobilisationRecipient, record: AuditRecord) -> None:
    if row.acknowledged_at is not None:
        return  # a retry: already acknowledged, nothing changes
    now = utcnow()
    row.acknowledged_at = now
    row.response_seconds = max(0, int((now - call.sent_at).total_seconds()))
    record.change("acknowledged_at", None, now)
    record.change("response_seconds", None, row.response_seconds)


async def acknowledge_mobilisation(
    ctx: RequestContext, data: AcknowledgeMobilisation
) -> MobilisationRecipient:
    """The caller acknowledges a call they received; a second time changes nothing."""

    async def handler(session: AsyncSession, record: AuditRecord) -> MobilisationRecipient:
        call, row = await _my_row(
            ctx, session, record, ACKNOWLEDGE_MOBILISATION, data.mobilisation_id
        )
        before = row.acknowledged_at
        _acknowledge(call, row, record)
        if before is None:
            bump_recipient(row)
            await session.flush()
        return row

    return await ACKNOWLEDGE_MOBILISATION.run(ctx, data, handler)


async def report_mobilisation(
    ctx: RequestContext, data: ReportMobilisation
) -> MobilisationRecipient:
    """The caller reports back (acknowledging, if they had not); a later report while the call
    is open replaces the earlier one, both kept in the audit log."""

    async def handler(session: AsyncSession, record: AuditRecord) -> MobilisationRecipient:
        call, row = await _my_row(ctx, session, record, REPORT_MOBILISATION, data.mobilisation_id)
        report = clean_text(data.report, tr("report"), required=True, limit=REPORT_LIMIT)
        _acknowledge(call, row, record)
        now = utcnow()
        record.change("outcome", row.outcome, data.outcome)
        record.change("report", row.report, report)
        record.change("reported_at", row.reported_at, now)
        row.outcome, row.report, row.reported_at = data.outcome, report, now
        bump_recipient(row)
        await session.flush()
        return row

    return await REPORT_MOBILISATION.run(ctx, data, handler)


def bump_recipient(row: MobilisationRecipient) -> None:
    row.version += 1


async def close_mobilisation(ctx: RequestContext, data: CloseMobilisation) -> Mobilisation:
    """The sending body closes the call: no more answers; the figures stand as they are."""

    async def apply(session: AsyncSession, call: Mobilisation, record: AuditRecord) -> Mobilisation:
        if call.status is MobilisationStatus.CLOSED:
            raise BadUserInput(tr("This mobilisation is already closed."))
        call.status = MobilisationStatus.CLOSED
        call.closed_at = utcnow()
        call.closed_by_id = ctx.actor.person_id
        record.change("status", MobilisationStatus.OPEN, MobilisationStatus.CLOSED)
        record.change("closed_at", None, call.closed_at)
        bump(call)
        await session.flush()
        return call

    return await CLOSE_MOBILISATION.on(
        ctx, data.mobilisation_id, apply, data=data, expected_version=data.expected_version
    )
