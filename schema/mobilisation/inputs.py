"""Inputs of mobilisation: one per mutation, plus the list filters."""

from __future__ import annotations

from datetime import datetime

import strawberry

import schema.mobilisation.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import (
    MobilisationGroup,
    MobilisationOutcome,
    MobilisationStatus,
    MobilisationUrgency,
)
from resolvers.mobilisation import actions
from resolvers.mobilisation import queries as mobilisation
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of mobilisations; all given conditions apply.")
class MobilisationFilter:
    sender: strawberry.ID | None = strawberry.field(default=None, description="Sent by this body.")
    target: strawberry.ID | None = strawberry.field(
        default=None, description="Sent to the subtree rooted at this organisation."
    )
    status: MobilisationStatus | None = strawberry.field(
        default=None, description="In this status."
    )
    urgency: MobilisationUrgency | None = strawberry.field(
        default=None, description="Of this urgency."
    )
    called_on_me: bool | None = strawberry.field(
        default=None,
        description="True: only those that called on you (your own tasks); false: only those "
        "that did not.",
    )

    def to_domain(self) -> mobilisation.MobilisationFilter:
        return mobilisation.MobilisationFilter(
            sender_id=decode_optional(self.sender, "Organisation"),
            target_id=decode_optional(self.target, "Organisation"),
            status=self.status,
            urgency=self.urgency,
            called_on_me=self.called_on_me,
        )


@strawberry.input(description="Narrow the people a mobilisation called on.")
class RecipientFilter:
    group: MobilisationGroup | None = strawberry.field(default=None, description="Of this group.")
    acknowledged: bool | None = strawberry.field(
        default=None, description="True: those who acknowledged; false: those who have not."
    )
    reported: bool | None = strawberry.field(
        default=None, description="True: those who reported back; false: those who have not."
    )

    def to_domain(self) -> mobilisation.RecipientFilter:
        return mobilisation.RecipientFilter(
            group=self.group, acknowledged=self.acknowledged, reported=self.reported
        )


@strawberry.input(description="A call to action sent to a subtree (一聲令下).")
class SendMobilisationInput:
    sender: strawberry.ID = strawberry.field(
        description="The sending body: a compound's PARTY_BRANCH, a STREET or a COMMUNITY; "
        "you must hold a position in it."
    )
    target: strawberry.ID | None = strawberry.field(
        default=None,
        description="The root of the subtree to call on (a compound, building, community...), "
        "within the sender's own: a branch's compound, the street or community itself (the "
        "default).",
    )
    title: str = strawberry.field(description="Its title (at most 200 characters).")
    instructions: str = strawberry.field(
        description="What to do, where and when (at most 5,000 characters)."
    )
    urgency: MobilisationUrgency = strawberry.field(description="How soon.")
    groups: list[MobilisationGroup] = strawberry.field(
        description="The groups to call on (at least one)."
    )
    respond_by: datetime | None = strawberry.field(
        default=None,
        description="Answers are asked for by then: in the future, at most 30 days ahead; by "
        "urgency when omitted (EMERGENCY 2 hours, URGENT 24 hours, ROUTINE 7 days).",
    )

    def to_domain(self) -> actions.SendMobilisation:
        return actions.SendMobilisation(
            sender_id=decode_id(self.sender, "Organisation"),
            target_id=decode_optional(self.target, "Organisation"),
            title=self.title,
            instructions=self.instructions,
            urgency=self.urgency,
            groups=tuple(self.groups),
            respond_by=self.respond_by,
        )


@strawberry.input(description="Acknowledge a mobilisation that called on you.")
class AcknowledgeMobilisationInput:
    mobilisation: strawberry.ID = strawberry.field(description="The mobilisation.")

    def to_domain(self) -> actions.AcknowledgeMobilisation:
        return actions.AcknowledgeMobilisation(
            mobilisation_id=decode_id(self.mobilisation, "Mobilisation")
        )


@strawberry.input(description="Report back on a mobilisation that called on you.")
class ReportMobilisationInput:
    mobilisation: strawberry.ID = strawberry.field(description="The mobilisation.")
    outcome: MobilisationOutcome = strawberry.field(description="How it went.")
    report: str = strawberry.field(description="What you did (at most 2,000 characters).")

    def to_domain(self) -> actions.ReportMobilisation:
        return actions.ReportMobilisation(
            mobilisation_id=decode_id(self.mobilisation, "Mobilisation"),
            outcome=self.outcome,
            report=self.report,
        )


@strawberry.input(description="Close a mobilisation: it takes no more answers.")
class CloseMobilisationInput:
    mobilisation: strawberry.ID = strawberry.field(description="The mobilisation.")
    expected_version: int | None = strawberry.field(
        default=None, description="Refused (CONFLICT) if the mobilisation's version differs."
    )

    def to_domain(self) -> actions.CloseMobilisation:
        return actions.CloseMobilisation(
            mobilisation_id=decode_id(self.mobilisation, "Mobilisation"),
            expected_version=self.expected_version,
        )
