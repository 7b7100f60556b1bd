"""Mutations of compound meetings (小區黨支部先議); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.deliberations import agenda, holding, meetings
from resolvers.deliberations.agenda import (
    ADD_COMPOUND_MEETING_ITEM,
    REMOVE_COMPOUND_MEETING_ITEM,
)
from resolvers.deliberations.holding import (
    HOLD_COMPOUND_MEETING,
    RECORD_COMPOUND_MEETING_ATTENDANCE,
)
from resolvers.deliberations.meetings import CANCEL_COMPOUND_MEETING, SCHEDULE_COMPOUND_MEETING
from schema.context import Info
from schema.deliberations.inputs import (
    AddCompoundMeetingItemInput,
    CancelCompoundMeetingInput,
    HoldCompoundMeetingInput,
    RecordCompoundMeetingAttendanceInput,
    RemoveCompoundMeetingItemInput,
    ScheduleCompoundMeetingInput,
)
from schema.deliberations.types import CompoundMeetingType
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type(description="Compound meetings.")
class CompoundMeetingMutation:
    @declared(
        SCHEDULE_COMPOUND_MEETING,
        "Schedule a meeting of a compound's party branch or owners' committee, perhaps with "
        "matters on its agenda; announced to its attendees (compound_meeting.scheduled).",
    )
    async def schedule_compound_meeting(
        self,
        info: Info,
        input: Annotated[ScheduleCompoundMeetingInput, strawberry.argument(description=INPUT)],
    ) -> CompoundMeetingType:
        data = await decode_input(info, SCHEDULE_COMPOUND_MEETING, input, input.to_domain)
        return CompoundMeetingType.from_row(await meetings.schedule_meeting(info.context, data))

    @declared(
        ADD_COMPOUND_MEETING_ITEM,
        "Add a matter to a scheduled meeting's agenda. An owners' committee meeting takes it "
        "only once the party branch has resolved it (BAD_USER_INPUT, reason "
        "BRANCH_NOT_CONSULTED, otherwise).",
    )
    async def add_compound_meeting_item(
        self,
        info: Info,
        input: Annotated[AddCompoundMeetingItemInput, strawberry.argument(description=INPUT)],
    ) -> CompoundMeetingType:
        data = await decode_input(info, ADD_COMPOUND_MEETING_ITEM, input, input.to_domain)
        return CompoundMeetingType.from_row(await agenda.add_item(info.context, data))

    @declared(REMOVE_COMPOUND_MEETING_ITEM, "Take a matter off a scheduled meeting's agenda.")
    async def remove_compound_meeting_item(
        self,
        info: Info,
        input: Annotated[RemoveCompoundMeetingItemInput, strawberry.argument(description=INPUT)],
    ) -> CompoundMeetingType:
        data = await decode_input(info, REMOVE_COMPOUND_MEETING_ITEM, input, input.to_domain)
        return CompoundMeetingType.from_row(await agenda.remove_item(info.context, data))

    @declared(
        RECORD_COMPOUND_MEETING_ATTENDANCE,
        "Record who is present, absent or sitting in (列席) at a scheduled meeting; recording "
        "a person again corrects their entry.",
    )
    async def record_compound_meeting_attendance(
        self,
        info: Info,
        input: Annotated[
            RecordCompoundMeetingAttendanceInput, strawberry.argument(description=INPUT)
        ],
    ) -> CompoundMeetingType:
        data = await decode_input(info, RECORD_COMPOUND_MEETING_ATTENDANCE, input, input.to_domain)
        return CompoundMeetingType.from_row(await holding.record_attendance(info.context, data))

    @declared(
        HOLD_COMPOUND_MEETING,
        "Record that a meeting has met: its minutes and a resolution on every matter; it is "
        "then HELD, disclosed to the compound's residents and announced "
        "(compound_meeting.held). An owners' committee meeting is refused (BAD_USER_INPUT, "
        "reason SECRETARY_NOT_SITTING_IN) until the branch secretary's attendance is recorded.",
    )
    async def hold_compound_meeting(
        self,
        info: Info,
        input: Annotated[HoldCompoundMeetingInput, strawberry.argument(description=INPUT)],
    ) -> CompoundMeetingType:
        data = await decode_input(info, HOLD_COMPOUND_MEETING, input, input.to_domain)
        return CompoundMeetingType.from_row(await holding.hold_meeting(info.context, data))

    @declared(CANCEL_COMPOUND_MEETING, "Call off a scheduled meeting.")
    async def cancel_compound_meeting(
        self,
        info: Info,
        input: Annotated[CancelCompoundMeetingInput, strawberry.argument(description=INPUT)],
    ) -> CompoundMeetingType:
        data = await decode_input(info, CANCEL_COMPOUND_MEETING, input, input.to_domain)
        return CompoundMeetingType.from_row(await meetings.cancel_meeting(info.context, data))
