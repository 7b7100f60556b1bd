"""Inputs of positions: the list filter and the appoint / end mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from db.models import PositionTitle
from resolvers.positions import actions as positions_actions
from resolvers.positions import queries as positions
from schema.common.inputs import VERSION
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of positions; all given conditions apply.")
class PositionFilter:
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="In this organisation."
    )
    person: strawberry.ID | None = strawberry.field(
        default=None, description="Held by this person."
    )
    titles: list[PositionTitle] | None = strawberry.field(
        default=None, description="Any of these titles."
    )
    active_on: date | None = strawberry.field(
        default=None, description="Active on this day (start ≤ day < end)."
    )
    subtree: strawberry.ID | None = strawberry.field(
        default=None, description="In this organisation or any below it."
    )

    def to_domain(self) -> positions.PositionFilter:
        return positions.PositionFilter(
            organisation_id=decode_optional(self.organisation, "Organisation"),
            person_id=decode_optional(self.person, "Person"),
            titles=self.titles,
            active_on=self.active_on,
            subtree_of=decode_optional(self.subtree, "Organisation"),
        )


@strawberry.input(description="Appoint a person to a title in an organisation.")
class AppointPositionInput:
    person: strawberry.ID = strawberry.field(description="Who is appointed.")
    organisation: strawberry.ID = strawberry.field(
        description="Where; the title must fit its kind."
    )
    title: PositionTitle = strawberry.field(description="The title.")
    start_date: date | None = strawberry.field(
        default=None, description="First day; today when omitted."
    )
    end_date: date | None = strawberry.field(
        default=None, description="The day the term ends, if already known."
    )

    def to_domain(self) -> positions_actions.AppointPosition:
        return positions_actions.AppointPosition(
            person_id=decode_id(self.person, "Person"),
            organisation_id=decode_id(self.organisation, "Organisation"),
            title=self.title,
            start_date=self.start_date,
            end_date=self.end_date,
        )


@strawberry.input(description="End a position; access that came with it ends on that day.")
class EndPositionInput:
    id: strawberry.ID = strawberry.field(description="The position.")
    end_date: date | None = strawberry.field(
        default=None, description="The day it ends (no longer active from it); today when omitted."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> positions_actions.EndPosition:
        return positions_actions.EndPosition(
            id=decode_id(self.id, "Position"),
            end_date=self.end_date,
            expected_version=self.expected_version,
        )
