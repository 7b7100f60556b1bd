"""The CompoundMeeting fields compiled reads build in SQL (schema/compiled); the agenda
and the attendance are answered by the resolvers."""

from __future__ import annotations

from sqlmodel import col

from db.models import CompoundMeeting, CompoundMeetingKind, MeetingStatus
from schema.audit.compiled import audit_trail
from schema.compiled.objects import ObjectSpec, enum, global_id, plain, related, timestamp
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person

COMPOUND_MEETING = ObjectSpec(
    "CompoundMeeting",
    {
        "id": global_id("CompoundMeeting", col(CompoundMeeting.id)),
        "kind": enum(col(CompoundMeeting.kind), CompoundMeetingKind),
        "title": plain(col(CompoundMeeting.title)),
        "scheduledFor": timestamp(col(CompoundMeeting.scheduled_for)),
        "location": plain(col(CompoundMeeting.location)),
        "status": enum(col(CompoundMeeting.status), MeetingStatus),
        "minutes": plain(col(CompoundMeeting.minutes)),
        "heldAt": timestamp(col(CompoundMeeting.held_at)),
        "cancelReason": plain(col(CompoundMeeting.cancel_reason)),
        "version": plain(col(CompoundMeeting.version)),
        "compound": related(
            lambda: ORGANISATION, readable_organisation(col(CompoundMeeting.compound_id))
        ),
        "body": related(lambda: ORGANISATION, readable_organisation(col(CompoundMeeting.body_id))),
        "convenedBy": related(lambda: PERSON, readable_person(col(CompoundMeeting.convened_by_id))),
        "auditTrail": audit_trail("compound_meeting", col(CompoundMeeting.id)),
    },
)
