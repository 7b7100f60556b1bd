"""Commendations (兩優一先): the street's or community's organisation officer records the honour
a party organisation above a compound gave one of its party members or party workers (優秀共產
黨員, 優秀黨務工作者) or its party branch (先進基層黨組織), and withdraws one given in error.
A commendation lies in the recipient's compound and stays on record when withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    PERSONAL_KINDS,
    Commendation,
    CommendationKind,
    Organisation,
    OrganisationKind,
    PartyMembership,
    Person,
)
from db.paths import in_subtree
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import organisation_path, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import coded, tr
from resolvers.mutations import Mutation, Place, RowMutation, bump
from resolvers.text import clean_text

RESOURCE = "commendation"
CITATION_LIMIT = 2_000
FIRST_YEAR = 1921  # the party's founding: no honour of 兩優一先 is older
# The party committees above a compound that award 兩優一先.
AWARDERS = frozenset(
    {
        OrganisationKind.CITY,
        OrganisationKind.DISTRICT,
        OrganisationKind.STREET,
        OrganisationKind.COMMUNITY,
    }
)
# extensions.reason of the refusals, stable for clients to branch on.
WRONG_RECIPIENT = "WRONG_RECIPIENT"
NOT_A_PARTY_MEMBER = "NOT_A_PARTY_MEMBER"
NOT_ABOVE = "AWARDER_NOT_ABOVE"
ALREADY_COMMENDED = "ALREADY_COMMENDED"
ALREADY_WITHDRAWN = "ALREADY_WITHDRAWN"


@dataclass(frozen=True)
class Commend:
    kind: CommendationKind
    year: int
    title: str
    citation: str
    awarded_by_id: int
    person_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class WithdrawCommendation:
    id: int
    reason: str
    expected_version: int | None = None


async def _commendation_place(
    ctx: RequestContext, session: AsyncSession, row: Commendation
) -> Place:
    path = await organisation_path(session, row.compound_id)
    owner = row.person_id
    return Place(
        row.compound_id, path, RowFacts(paths=(path,), owner_person_id=owner), row.compound_id
    )


COMMEND = Mutation(
    operation="commend",
    resource=RESOURCE,
    action="commend",
    what=tr("record a commendation in this compound"),
    needs=" (the street's or community's organisation officer, held above the compound)",
)
WITHDRAW_COMMENDATION = RowMutation(
    operation="withdrawCommendation",
    resource=RESOURCE,
    action="withdraw",
    what=tr("withdraw this commendation"),
    needs=" (the street's or community's organisation officer, held above the compound)",
    model=Commendation,
    noun=tr("commendation"),
    locate=_commendation_place,
    checks_version=True,
)


async def _recipient(
    ctx: RequestContext, session: AsyncSession, data: Commend
) -> tuple[Person | None, Organisation | None, int]:
    """The person or organisation honoured (if the caller sees it), and the compound the
    honour lies in; whether it may receive this kind is checked once the caller is allowed."""
    if (data.person_id is None) == (data.organisation_id is None):
        raise BadUserInput(
            tr("Name exactly one recipient: a person or a party branch."), reason=WRONG_RECIPIENT
        )
    if data.person_id is not None:
        person = await visible_one(ctx, session, Person, "person", data.person_id, tr("person"))
        if person.residence_compound_id is None:
            raise BadUserInput(
                tr(
                    "A person is honoured in the compound they live in; {name} lives in none.",
                    name=person.name,
                ),
                reason=WRONG_RECIPIENT,
            )
        return person, None, person.residence_compound_id
    branch = await visible_one(
        ctx, session, Organisation, "organisation", data.organisation_id or 0, tr("party branch")
    )
    if branch.kind is not OrganisationKind.PARTY_BRANCH or branch.compound_id is None:
        raise BadUserInput(
            tr(
                "An organisation honoured is a compound's party branch; {name} is a {kind}.",
                name=branch.name,
                kind=coded(branch.kind),
            ),
            reason=WRONG_RECIPIENT,
        )
    return None, branch, branch.compound_id


def _check_kind(data: Commend, person: Person | None) -> None:
    """優秀共產黨員 and 優秀黨務工作者 go to party members, 先進基層黨組織 to a branch."""
    personal = data.kind in PERSONAL_KINDS
    if personal != (person is not None):
        raise BadUserInput(
            tr(
                "{kind} goes to {recipient}.",
                kind=coded(data.kind),
                recipient=tr("a party member") if personal else tr("a party branch"),
            ),
            reason=WRONG_RECIPIENT,
        )
    if person is not None and person.party_membership is not PartyMembership.MEMBER:
        raise BadUserInput(
            tr("{name} is not a party member.", name=person.name), reason=NOT_A_PARTY_MEMBER
        )


async def _awarder(
    ctx: RequestContext, session: AsyncSession, data: Commend, compound_path: str
) -> Organisation:
    awarder = await visible_one(
        ctx,
        session,
        Organisation,
        "organisation",
        data.awarded_by_id,
        tr("awarding organisation"),
    )
    above = in_subtree(compound_path, awarder.path) and awarder.path != compound_path
    if awarder.kind not in AWARDERS or not above:
        raise BadUserInput(
            tr(
                "The awarding organisation is a city, district, street or community above the "
                "compound; {name} is not.",
                name=awarder.name,
            ),
            reason=NOT_ABOVE,
        )
    return awarder


async def _check_once(session: AsyncSession, data: Commend) -> None:
    """An organisation gives one person or branch one honour of a kind a year."""
    recipient = (
        col(Commendation.person_id) == data.person_id
        if data.person_id is not None
        else col(Commendation.organisation_id) == data.organisation_id
    )
    found = await session.execute(
        sa.select(col(Commendation.id))
        .where(
            recipient,
            col(Commendation.kind) == data.kind,
            col(Commendation.year) == data.year,
            col(Commendation.awarded_by_id) == data.awarded_by_id,
            col(Commendation.withdrawn_at).is_(None),
        )
        .limit(1)
    )
    if found.first() is not None:
        raise Conflict(
            tr("That honour for {year} is already on record.", year=data.year),
            reason=ALREADY_COMMENDED,
        )


async def commend(ctx: RequestContext, data: Commend) -> Commendation:
    async def handler(session: AsyncSession, record: AuditRecord) -> Commendation:
        person, branch, compound_id = await _recipient(ctx, session, data)
        compound_path = await organisation_path(session, compound_id)
        record.target(None, compound_id, compound_path, compound_id=compound_id)
        COMMEND.authorize(
            ctx,
            record,
            RowFacts(paths=(compound_path,), owner_person_id=person.id if person else None),
        )
        _check_kind(data, person)
        if not FIRST_YEAR <= data.year <= ctx.today.year:
            raise BadUserInput(
                tr(
                    "A commendation's year is from {first} to this year, {this_year}.",
                    first=FIRST_YEAR,
                    this_year=ctx.today.year,
                )
            )
        awarder = await _awarder(ctx, session, data, compound_path)
        await _check_once(session, data)
        row = Commendation(
            kind=data.kind,
            year=data.year,
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            citation=clean_text(data.citation, tr("citation"), required=True, limit=CITATION_LIMIT)
            or "",
            awarded_by_id=awarder.id or 0,
            person_id=person.id if person else None,
            organisation_id=branch.id if branch else None,
            compound_id=compound_id,
            created_by_id=ctx.actor.person_id,
        )
        session.add(row)
        await session.flush()
        record.made(row.id)
        record.named(row)
        for name in (
            "kind",
            "year",
            "title",
            "awarded_by_id",
            "person_id",
            "organisation_id",
            "compound_id",
        ):
            record.change(name, None, getattr(row, name))
        return row

    return await COMMEND.run(ctx, data, handler)


async def withdraw_commendation(ctx: RequestContext, data: WithdrawCommendation) -> Commendation:
    async def apply(session: AsyncSession, row: Commendation, record: AuditRecord) -> Commendation:
        if row.withdrawn_at is not None:
            raise BadUserInput(
                tr("This commendation was withdrawn on {day}.", day=row.withdrawn_at),
                reason=ALREADY_WITHDRAWN,
            )
        reason = clean_text(data.reason, tr("reason"), required=True, limit=CITATION_LIMIT)
        now = utcnow()
        record.change("withdrawn_at", None, now)
        record.change("withdrawal_reason", None, reason)
        row.withdrawn_at, row.withdrawal_reason = now, reason
        bump(row)
        await session.flush()
        return row

    return await WITHDRAW_COMMENDATION.on(
        ctx, data.id, apply, data=data, expected_version=data.expected_version
    )
