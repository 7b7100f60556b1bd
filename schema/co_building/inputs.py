"""Inputs of the co-building lists (共建清單): one per mutation, plus the list filters."""

from __future__ import annotations

from datetime import date

import strawberry

import schema.co_building.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import ProjectStatus
from resolvers.co_building import actions
from resolvers.co_building import queries as co_building
from schema.ids import decode_id, decode_optional

VERSION = (
    "The version you last read; if the project changed since, the mutation fails with CONFLICT."
)


@strawberry.input(description="Narrow a list of needs; all given conditions apply.")
class CoBuildingNeedFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="Of this compound.")
    year: int | None = strawberry.field(default=None, description="On this year's list.")

    def to_domain(self) -> co_building.NeedFilter:
        return co_building.NeedFilter(
            compound_id=decode_optional(self.compound, "Organisation"), year=self.year
        )


@strawberry.input(description="Narrow a list of co-building projects; all conditions apply.")
class CoBuildingProjectFilter:
    compound: strawberry.ID | None = strawberry.field(
        default=None, description="For this compound."
    )
    partner: strawberry.ID | None = strawberry.field(
        default=None, description="By this partner unit or social organisation."
    )
    year: int | None = strawberry.field(default=None, description="For this year.")
    status: ProjectStatus | None = strawberry.field(default=None, description="In this status.")

    def to_domain(self) -> co_building.ProjectFilter:
        return co_building.ProjectFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            partner_id=decode_optional(self.partner, "Organisation"),
            year=self.year,
            status=self.status,
        )


@strawberry.input(description="A line for a compound's needs list of a year.")
class PublishNeedInput:
    compound: strawberry.ID = strawberry.field(description="The compound.")
    title: str = strawberry.field(description="What it needs (1–200 characters).")
    description: str | None = strawberry.field(default=None, description="Details (at most 2000).")
    category: str | None = strawberry.field(
        default=None, description="A free label (at most 40 characters)."
    )
    year: int = strawberry.field(description="The year of the list: last, this or next year.")

    def to_domain(self) -> actions.PublishNeed:
        return actions.PublishNeed(
            compound_id=decode_id(self.compound, "Organisation"),
            title=self.title,
            description=self.description,
            category=self.category,
            year=self.year,
        )


@strawberry.input(description="A partner's commitment to a compound for a year.")
class CommitProjectInput:
    need: strawberry.ID | None = strawberry.field(
        default=None, description="The need it answers: on the same compound's list, same year."
    )
    compound: strawberry.ID = strawberry.field(description="The compound.")
    partner: strawberry.ID = strawberry.field(
        description="The partner unit or social organisation: co-building (CO_BUILDS) with the "
        "compound today."
    )
    year: int = strawberry.field(description="The year: last, this or next year.")
    title: str = strawberry.field(description="What it will do (1–200 characters).")
    description: str | None = strawberry.field(default=None, description="Details (at most 2000).")
    due_on: date | None = strawberry.field(default=None, description="When due, within the year.")

    def to_domain(self) -> actions.CommitProject:
        return actions.CommitProject(
            need_id=decode_optional(self.need, "CoBuildingNeed"),
            compound_id=decode_id(self.compound, "Organisation"),
            partner_id=decode_id(self.partner, "Organisation"),
            year=self.year,
            title=self.title,
            description=self.description,
            due_on=self.due_on,
        )


@strawberry.input(description="A COMMITTED project delivered (→ COMPLETED).")
class CompleteProjectInput:
    project: strawberry.ID = strawberry.field(description="The project.")
    completed_on: date = strawberry.field(
        description="When it was delivered (not future, not before it was committed)."
    )
    outcome: str = strawberry.field(description="What was delivered (at most 2000 characters).")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> actions.CompleteProject:
        return actions.CompleteProject(
            project_id=decode_id(self.project, "CoBuildingProject"),
            completed_on=self.completed_on,
            outcome=self.outcome,
            expected_version=self.expected_version,
        )


@strawberry.input(description="A COMMITTED project called off (→ CANCELLED).")
class CancelProjectInput:
    project: strawberry.ID = strawberry.field(description="The project.")
    reason: str = strawberry.field(description="Why (at most 2000 characters).")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> actions.CancelProject:
        return actions.CancelProject(
            project_id=decode_id(self.project, "CoBuildingProject"),
            reason=self.reason,
            expected_version=self.expected_version,
        )
