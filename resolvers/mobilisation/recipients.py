"""Who a mobilisation calls on, resolved once when it is sent, in one statement.

A person is called on as the first of the requested groups they belong to, in the order of
MobilisationGroup (party member, service-post holder, volunteer), and recorded with the
compound they were found in (for the indicators):

- PARTY_MEMBER: party members who live in the subtree (their compound or building lies in
  it) or hold an active position in an organisation there;
- SERVICE_POST_HOLDER: people with an active claim on a service post of a compound there;
- VOLUNTEER: people holding an active position in a VOLUNTEER_TEAM there, or whose volunteer
  service in a compound there was confirmed in the last year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    MobilisationGroup,
    Organisation,
    OrganisationKind,
    PartyMembership,
    Person,
    Position,
    PostClaim,
    ServiceStatus,
    VolunteerService,
)
from policies.grants import active_on
from policies.subtrees import organisations_under

# How far back a volunteer's confirmed service makes them a volunteer.
VOLUNTEER_WINDOW = timedelta(days=365)
ORDER = tuple(MobilisationGroup)


@dataclass(frozen=True)
class Called:
    person_id: int
    group: MobilisationGroup
    compound_id: int | None


def _candidates(target_path: str, groups: frozenset[MobilisationGroup], today: date) -> Any:
    """(person, group, compound) rows for every way a person belongs to a requested group."""
    under = organisations_under([target_path])
    parts: list[Any] = []
    if MobilisationGroup.PARTY_MEMBER in groups:
        member = col(Person.party_membership) == PartyMembership.MEMBER
        parts.append(
            sa.select(
                col(Person.id),
                sa.literal(MobilisationGroup.PARTY_MEMBER.value),
                col(Person.residence_compound_id),
            ).where(
                member,
                sa.or_(
                    col(Person.residence_compound_id).in_(under),
                    col(Person.residence_building_id).in_(under),
                ),
            )
        )
        parts.append(
            sa.select(
                col(Person.id),
                sa.literal(MobilisationGroup.PARTY_MEMBER.value),
                col(Organisation.compound_id),
            )
            .join(Position, col(Position.person_id) == col(Person.id))
            .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
            .where(member, active_on(today), col(Organisation.id).in_(under))
        )
    if MobilisationGroup.SERVICE_POST_HOLDER in groups:
        parts.append(
            sa.select(
                col(PostClaim.person_id),
                sa.literal(MobilisationGroup.SERVICE_POST_HOLDER.value),
                col(PostClaim.compound_id),
            ).where(col(PostClaim.active), col(PostClaim.compound_id).in_(under))
        )
    if MobilisationGroup.VOLUNTEER in groups:
        parts.append(
            sa.select(
                col(Position.person_id),
                sa.literal(MobilisationGroup.VOLUNTEER.value),
                col(Organisation.compound_id),
            )
            .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
            .where(
                col(Organisation.kind) == OrganisationKind.VOLUNTEER_TEAM,
                active_on(today),
                col(Organisation.id).in_(under),
            )
        )
        parts.append(
            sa.select(
                col(VolunteerService.volunteer_id),
                sa.literal(MobilisationGroup.VOLUNTEER.value),
                col(VolunteerService.compound_id),
            ).where(
                col(VolunteerService.status) == ServiceStatus.CONFIRMED,
                col(VolunteerService.occurred_on) >= today - VOLUNTEER_WINDOW,
                col(VolunteerService.compound_id).in_(under),
            )
        )
    return sa.union_all(*parts)


async def resolve(
    session: AsyncSession,
    target_path: str,
    groups: frozenset[MobilisationGroup],
    today: date,
    *,
    sender_person_id: int | None,
) -> list[Called]:
    """The people called on, one each, in person order; the sender is never among them."""
    if not groups:
        return []
    rows: Any = await session.execute(_candidates(target_path, groups, today))
    best: dict[int, Called] = {}
    for person_id, group_name, compound_id in rows.all():
        if person_id is None or person_id == sender_person_id:
            continue
        group = MobilisationGroup(group_name)
        found = best.get(int(person_id))
        if (
            found is None
            or ORDER.index(group) < ORDER.index(found.group)
            or (found.compound_id is None and compound_id is not None and found.group is group)
        ):
            best[int(person_id)] = Called(int(person_id), group, compound_id)
    return [best[p] for p in sorted(best)]
