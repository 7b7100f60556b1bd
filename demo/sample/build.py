"""Building the demo through the API's operations: the city under construction and the
operator's helpers that make its organisations, links and positions by key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from db.engine import Database
from db.models import LinkKind, Organisation, Person, Position
from db.models import OrganisationKind as K
from db.models import PositionTitle as T
from resolvers.context import RequestContext
from resolvers.operator import operator_context, person_context
from resolvers.organisations.actions import CreateOrganisation, create_organisation
from resolvers.organisations.links import LinkOrganisations, link_organisations
from resolvers.positions.actions import AppointPosition, appoint_position

REQUEST_ID = "demo"  # every change of the demo's load carries it in the audit log


@dataclass
class DemoCity:
    """The demo as it is built: where it is written and what was made so far, by key."""

    db: Database
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def operator(self) -> RequestContext:
        """The operator's context for the next change (its day read from the clock now)."""
        return operator_context(self.db, REQUEST_ID)

    async def as_person(self, key: str) -> RequestContext:
        """A context acting as person KEY, with their grants on the clock's day."""
        return await person_context(self.db, self.people[key].id or 0, REQUEST_ID)


async def create_org(city: DemoCity, key: str, name: str, kind: K, parent: str | None) -> None:
    """Create organisation KEY under PARENT (a key) with createOrganisation, as the operator."""
    parent_id = city.organisations[parent].id if parent else None
    city.organisations[key] = await create_organisation(
        city.operator(), CreateOrganisation(name=name, kind=kind, parent_id=parent_id)
    )


async def link(
    city: DemoCity, kind: LinkKind, source: str, target: str, start: date, end: date | None
) -> None:
    """Link two organisations (keys) with linkOrganisations, as the operator."""
    await link_organisations(
        city.operator(),
        LinkOrganisations(
            kind=kind,
            source_id=city.organisations[source].id or 0,
            target_id=city.organisations[target].id or 0,
            start_date=start,
            end_date=end,
        ),
    )


async def appoint(
    city: DemoCity, person: str, org: str, title: T, start: date, end: date | None = None
) -> None:
    """Appoint person PERSON to ORG (keys) with appointPosition, as the operator."""
    if city.people[person].residence_compound_id is None:
        await _appoint_unseen(city, person, org, title, start, end)
        return
    await appoint_position(
        city.operator(),
        AppointPosition(
            person_id=city.people[person].id or 0,
            organisation_id=city.organisations[org].id or 0,
            title=title,
            start_date=start,
            end_date=end,
        ),
    )


async def _appoint_unseen(
    city: DemoCity, person: str, org: str, title: T, start: date, end: date | None
) -> None:
    """Written directly: appointPosition must first see the person, and people are seen through
    their residence compound (policies/scopes.py PERSON), so nobody, not even an admin over the
    whole tree, can appoint someone who lives outside the demo's compounds (the street officer,
    the firms' managers) through the API today. The row is what the operation would write."""
    async with city.db.write() as session:
        session.add(
            Position(
                person_id=city.people[person].id or 0,
                organisation_id=city.organisations[org].id or 0,
                title=title,
                start_date=start,
                end_date=end,
            )
        )
