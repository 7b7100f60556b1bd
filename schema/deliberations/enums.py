"""GraphQL names and descriptions of the compound meeting enums."""

from __future__ import annotations

import strawberry

from db.models import AttendanceStatus, CompoundMeetingKind, ResolutionOutcome

CompoundMeetingKindEnum = strawberry.enum(
    CompoundMeetingKind,
    name="CompoundMeetingKind",
    description="BRANCH: a meeting of the compound's party branch, which deliberates a matter "
    "first (支部先議). COMMITTEE: a meeting of its owners' committee (業委會會議), which takes a "
    "matter only once the branch has resolved it, with the branch secretary sitting in (列席).",
)
ResolutionOutcomeEnum = strawberry.enum(
    ResolutionOutcome,
    name="ResolutionOutcome",
    description="ADOPTED or REJECTED: the matter was deliberated to a conclusion. DEFERRED: put "
    "off (a branch's DEFERRED resolution does not open the matter to the committee).",
)
AttendanceStatusEnum = strawberry.enum(
    AttendanceStatus,
    name="AttendanceStatus",
    description="PRESENT, ABSENT, or SITTING_IN (列席: attends without a vote, as the branch "
    "secretary does at the owners' committee's meetings).",
)
