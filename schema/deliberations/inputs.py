"""Inputs of compound meetings: one per mutation, plus the list filter."""

from __future__ import annotations

from datetime import datetime

import strawberry

import schema.deliberations.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import AttendanceStatus, CompoundMeetingKind, MeetingStatus, ResolutionOutcome
from resolvers.deliberations import agenda, holding, meetings
from resolvers.deliberations import queries as deliberations
from schema.ids import decode_id, decode_optional

ITEM = "CompoundMeetingItem"
MEETING = "CompoundMeeting"


@strawberry.input(description="Narrow a list of compound meetings; all given conditions apply.")
class CompoundMeetingFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="Of this compound.")
    kind: CompoundMeetingKind | None = strawberry.field(default=None, description="Of this kind.")
    status: MeetingStatus | None = strawberry.field(default=None, description="In this status.")

    def to_domain(self) -> deliberations.CompoundMeetingFilter:
        return deliberations.CompoundMeetingFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            kind=self.kind,
            status=self.status,
        )


@strawberry.input(
    description="A matter for a meeting's agenda: about an issue, in words, or resting on the "
    "party branch's resolved item. On an owners' committee meeting the branch must have "
    "resolved it first (ADOPTED or REJECTED at a held BRANCH meeting): name that item, or the "
    "issue it resolved; otherwise BAD_USER_INPUT with `reason: BRANCH_NOT_CONSULTED`."
)
class CompoundMeetingItemInput:
    issue: strawberry.ID | None = strawberry.field(
        default=None, description="The compound's issue it is about."
    )
    matter: str | None = strawberry.field(
        default=None,
        description="What is to be deliberated (at most 2,000 characters); by default the "
        "branch item's matter or the issue's title.",
    )
    branch_item: strawberry.ID | None = strawberry.field(
        default=None,
        description="For an owners' committee meeting: the party branch's resolved item.",
    )

    def to_entry(self) -> agenda.AgendaEntry:
        return agenda.AgendaEntry(
            issue_id=decode_optional(self.issue, "Issue"),
            matter=self.matter,
            branch_item_id=decode_optional(self.branch_item, ITEM),
        )


@strawberry.input(description="A meeting of a compound's party branch or owners' committee.")
class ScheduleCompoundMeetingInput:
    body: strawberry.ID = strawberry.field(
        description="The compound's PARTY_BRANCH (a BRANCH meeting) or OWNERS_COMMITTEE (a "
        "COMMITTEE meeting), or a joint branch (聯合黨支部: a BRANCH meeting, with `compound`); "
        "you must hold a position in it."
    )
    title: str = strawberry.field(description="What the meeting is about.")
    scheduled_for: datetime = strawberry.field(description="When, with its time zone.")
    location: str | None = strawberry.field(default=None, description="Where.")
    agenda: list[CompoundMeetingItemInput] = strawberry.field(
        default_factory=list, description="Matters to put on its agenda (at most 30)."
    )
    compound: strawberry.ID | None = strawberry.field(
        default=None,
        description="The compound the meeting is for: required when the body is a joint branch "
        "(聯合黨支部, a grid's PARTY_BRANCH), which must serve it (the meeting lies in that "
        "compound: its matters, its residents reading the held minutes); a compound's own body "
        "meets for its compound only. Otherwise BAD_USER_INPUT.",
    )

    def to_domain(self) -> meetings.ScheduleCompoundMeeting:
        return meetings.ScheduleCompoundMeeting(
            body_id=decode_id(self.body, "Organisation"),
            title=self.title,
            scheduled_for=self.scheduled_for,
            location=self.location,
            agenda=[entry.to_entry() for entry in self.agenda],
            compound_id=decode_optional(self.compound, "Organisation"),
        )


@strawberry.input(description="A matter to add to a scheduled compound meeting's agenda.")
class AddCompoundMeetingItemInput:
    meeting: strawberry.ID = strawberry.field(description="The meeting.")
    item: CompoundMeetingItemInput = strawberry.field(description="The matter.")

    def to_domain(self) -> agenda.AddAgendaItem:
        entry = self.item.to_entry()
        return agenda.AddAgendaItem(
            meeting_id=decode_id(self.meeting, MEETING),
            issue_id=entry.issue_id,
            matter=entry.matter,
            branch_item_id=entry.branch_item_id,
        )


@strawberry.input(description="A matter to take off a scheduled compound meeting's agenda.")
class RemoveCompoundMeetingItemInput:
    meeting: strawberry.ID = strawberry.field(description="The meeting.")
    item: strawberry.ID = strawberry.field(description="The agenda item.")

    def to_domain(self) -> agenda.RemoveAgendaItem:
        return agenda.RemoveAgendaItem(
            meeting_id=decode_id(self.meeting, MEETING), item_id=decode_id(self.item, ITEM)
        )


@strawberry.input(description="One person's attendance.")
class AttendeeInput:
    person: strawberry.ID = strawberry.field(description="The person.")
    status: AttendanceStatus = strawberry.field(description="PRESENT, ABSENT or SITTING_IN.")
    role: str | None = strawberry.field(
        default=None,
        description="In what role (at most 100 characters); by default their position's title "
        "in the compound.",
    )


@strawberry.input(
    description="Attendance at a scheduled compound meeting (recorded again: corrected)."
)
class RecordCompoundMeetingAttendanceInput:
    meeting: strawberry.ID = strawberry.field(description="The meeting.")
    attendees: list[AttendeeInput] = strawberry.field(description="Each person once, at most 60.")

    def to_domain(self) -> holding.RecordAttendance:
        return holding.RecordAttendance(
            meeting_id=decode_id(self.meeting, MEETING),
            attendees=[
                holding.Attendee(decode_id(a.person, "Person"), a.status, a.role)
                for a in self.attendees
            ],
        )


@strawberry.input(description="The resolution on one agenda item.")
class ResolutionInput:
    item: strawberry.ID = strawberry.field(description="The agenda item.")
    outcome: ResolutionOutcome = strawberry.field(description="ADOPTED, REJECTED or DEFERRED.")
    resolution: str | None = strawberry.field(
        default=None, description="The resolution's words (at most 2,000 characters)."
    )
    votes_for: int | None = strawberry.field(
        default=None,
        description="Votes for: required with votesAgainst and votesAbstain at a COMMITTEE "
        "meeting (ADOPTED needs more for than against), optional at a BRANCH meeting.",
    )
    votes_against: int | None = strawberry.field(default=None, description="Votes against.")
    votes_abstain: int | None = strawberry.field(default=None, description="Abstentions.")


@strawberry.input(description="A compound meeting that has met: its minutes and resolutions.")
class HoldCompoundMeetingInput:
    id: strawberry.ID = strawberry.field(description="The meeting.")
    minutes: str = strawberry.field(description="The minutes (at most 20,000 characters).")
    resolutions: list[ResolutionInput] = strawberry.field(
        description="One resolution for every agenda item."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The meeting's version you last read."
    )

    def to_domain(self) -> holding.HoldMeeting:
        return holding.HoldMeeting(
            meeting_id=decode_id(self.id, MEETING),
            minutes=self.minutes,
            resolutions=[
                holding.Resolution(
                    item_id=decode_id(r.item, ITEM),
                    outcome=r.outcome,
                    resolution=r.resolution,
                    votes_for=r.votes_for,
                    votes_against=r.votes_against,
                    votes_abstain=r.votes_abstain,
                )
                for r in self.resolutions
            ],
            expected_version=self.expected_version,
        )


@strawberry.input(description="A scheduled compound meeting to call off.")
class CancelCompoundMeetingInput:
    id: strawberry.ID = strawberry.field(description="The meeting.")
    reason: str = strawberry.field(description="Why (at most 2,000 characters).")
    expected_version: int | None = strawberry.field(
        default=None, description="The meeting's version you last read."
    )

    def to_domain(self) -> meetings.CancelCompoundMeeting:
        return meetings.CancelCompoundMeeting(
            meeting_id=decode_id(self.id, MEETING),
            reason=self.reason,
            expected_version=self.expected_version,
        )
