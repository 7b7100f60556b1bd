"""Inputs of mentoring and commendations: one per mutation, plus the list filters."""

from __future__ import annotations

from datetime import date

import strawberry

import schema.recognition.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import CommendationKind
from resolvers.recognition import commendations, mentoring
from resolvers.recognition import queries as recognition
from schema.ids import decode_id, decode_optional

VERSION = "The version you last read; if it changed since, the mutation fails with CONFLICT."


@strawberry.input(description="Narrow a list of mentoring pairs; all given conditions apply.")
class MentorPairFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    mentor: strawberry.ID | None = strawberry.field(default=None, description="With this mentor.")
    mentee: strawberry.ID | None = strawberry.field(default=None, description="With this mentee.")
    active_on: date | None = strawberry.field(
        default=None, description="Only pairings running on this day (start ≤ day < end)."
    )

    def to_domain(self) -> recognition.PairFilter:
        return recognition.PairFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            mentor_id=decode_optional(self.mentor, "Person"),
            mentee_id=decode_optional(self.mentee, "Person"),
            active_on=self.active_on,
        )


@strawberry.input(description="Narrow a list of commendations; all given conditions apply.")
class CommendationFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    year: int | None = strawberry.field(default=None, description="For this year.")
    kind: CommendationKind | None = strawberry.field(default=None, description="Of this kind.")
    include_withdrawn: bool = strawberry.field(
        default=False, description="Also those withdrawn (left out by default)."
    )

    def to_domain(self) -> recognition.CommendationFilter:
        return recognition.CommendationFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            year=self.year,
            kind=self.kind,
            include_withdrawn=self.include_withdrawn,
        )


@strawberry.input(description="Pair an experienced secretary with a new one of a branch.")
class PairMentorInput:
    branch: strawberry.ID = strawberry.field(description="The mentee's PARTY_BRANCH.")
    mentor: strawberry.ID = strawberry.field(
        description="A person who has held a SECRETARY position for at least a year when the "
        "mentoring starts (in any branch)."
    )
    mentee: strawberry.ID = strawberry.field(
        description="A SECRETARY, DEPUTY_SECRETARY or BRANCH_COMMITTEE_MEMBER of that branch."
    )
    start_date: date | None = strawberry.field(
        default=None, description="The first day; today when omitted (at most a year away)."
    )
    end_date: date | None = strawberry.field(
        default=None, description="The planned end (after the start); open-ended when omitted."
    )
    note: str | None = strawberry.field(
        default=None, description="What the mentoring is for (at most 300 characters)."
    )

    def to_domain(self) -> mentoring.PairMentor:
        return mentoring.PairMentor(
            branch_id=decode_id(self.branch, "Organisation"),
            mentor_id=decode_id(self.mentor, "Person"),
            mentee_id=decode_id(self.mentee, "Person"),
            start_date=self.start_date,
            end_date=self.end_date,
            note=self.note,
        )


@strawberry.input(description="End a mentoring.")
class EndMentoringInput:
    id: strawberry.ID = strawberry.field(description="The MentorPair.")
    end_date: date | None = strawberry.field(
        default=None, description="Its last day is the day before; today when omitted."
    )
    note: str | None = strawberry.field(
        default=None, description="How it went (at most 300 characters)."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> mentoring.EndMentoring:
        return mentoring.EndMentoring(
            id=decode_id(self.id, "MentorPair"),
            end_date=self.end_date,
            note=self.note,
            expected_version=self.expected_version,
        )


@strawberry.input(description="Record an honour of 兩優一先; name a person or a branch.")
class CommendInput:
    kind: CommendationKind = strawberry.field(description="Which honour.")
    year: int = strawberry.field(description="The year it is for (up to this year).")
    title: str = strawberry.field(description="Its title as awarded (at most 200 characters).")
    citation: str = strawberry.field(description="What it was given for (at most 2000 characters).")
    awarded_by: strawberry.ID = strawberry.field(
        description="The CITY, DISTRICT, STREET or COMMUNITY above the compound that awarded it."
    )
    person: strawberry.ID | None = strawberry.field(
        default=None, description="The party member honoured (for the two personal honours)."
    )
    organisation: strawberry.ID | None = strawberry.field(
        default=None,
        description="The compound's PARTY_BRANCH honoured (for ADVANCED_PARTY_ORGANISATION).",
    )

    def to_domain(self) -> commendations.Commend:
        return commendations.Commend(
            kind=self.kind,
            year=self.year,
            title=self.title,
            citation=self.citation,
            awarded_by_id=decode_id(self.awarded_by, "Organisation"),
            person_id=decode_optional(self.person, "Person"),
            organisation_id=decode_optional(self.organisation, "Organisation"),
        )


@strawberry.input(description="Withdraw a commendation recorded in error; it stays on record.")
class WithdrawCommendationInput:
    id: strawberry.ID = strawberry.field(description="The Commendation.")
    reason: str = strawberry.field(description="Why (at most 2000 characters).")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commendations.WithdrawCommendation:
        return commendations.WithdrawCommendation(
            id=decode_id(self.id, "Commendation"),
            reason=self.reason,
            expected_version=self.expected_version,
        )
