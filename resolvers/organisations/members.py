"""Who belongs to a compound, for the rosters and the love bank: its residents and the people
holding an active position in it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, OrganisationKind, Person, Position
from db.paths import subtree_clause
from policies.grants import active_on
from resolvers.common import visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import Text, coded, tr
from resolvers.mutations import CreateMutation, Place, place
from resolvers.outbox import Announces


async def visible_compound(
    ctx: RequestContext, session: AsyncSession, organisation_id: int
) -> Organisation:
    """A compound the caller may see (NOT_FOUND otherwise; BAD_USER_INPUT for another kind)."""
    organisation = await visible_one(
        ctx, session, Organisation, "organisation", organisation_id, tr("compound")
    )
    _check_compound(organisation)
    return organisation


def _check_compound(organisation: Organisation) -> None:
    if organisation.kind is not OrganisationKind.COMPOUND:
        raise BadUserInput(
            tr(
                "Expected a compound; {name} is a {kind}, not a compound.",
                name=organisation.name,
                kind=coded(organisation.kind),
            )
        )


async def _compound_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    _check_compound(organisation)
    return place(organisation.id, organisation.path)


def in_compound(
    *,
    operation: str,
    resource: str,
    action: str,
    what: Text,
    needs: str = "",
    announces: Announces | None = None,
) -> CreateMutation[Organisation]:
    """A row made in a compound the caller sees (found as visible_compound finds it)."""
    return CreateMutation(
        operation=operation,
        resource=resource,
        action=action,
        what=what,
        needs=needs,
        model=Organisation,
        reads="organisation",
        noun=tr("compound"),
        locate=_compound_place,
        announces=announces,
    )


async def compound_member(
    session: AsyncSession, person_id: int, compound: Organisation, day: date
) -> Person:
    """PERSON_ID if they live in COMPOUND or hold a position in it on DAY.

    Anyone else, and an id that names nobody, get the same answer, so the check reveals
    nothing about people outside the compound.
    """
    holders = (
        sa.select(col(Position.person_id))
        .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
        .where(active_on(day), subtree_clause(col(Organisation.path), compound.path))
    )
    person = (
        await session.execute(
            sa.select(Person).where(
                col(Person.id) == person_id,
                sa.or_(
                    col(Person.residence_compound_id) == compound.id,
                    col(Person.id).in_(holders),
                ),
            )
        )
    ).scalar_one_or_none()
    if person is None:
        raise BadUserInput(
            tr("No person with that id lives or holds a position in {name}.", name=compound.name)
        )
    return person
