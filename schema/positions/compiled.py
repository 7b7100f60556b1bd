"""The Position fields compiled reads build in SQL (schema/compiled)."""

from __future__ import annotations

from sqlmodel import col

from db.models import Position, PositionTitle
from policies.grants import active_on
from schema.audit.compiled import audit_trail
from schema.compiled.objects import (
    ObjectSpec,
    day,
    enum,
    global_id,
    on_request_day,
    plain,
    related,
    timestamp,
)
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person

POSITION = ObjectSpec(
    "Position",
    {
        "id": global_id("Position", col(Position.id)),
        "title": enum(col(Position.title), PositionTitle),
        "startDate": day(col(Position.start_date)),
        "endDate": day(col(Position.end_date)),
        "version": plain(col(Position.version)),
        "createdAt": timestamp(col(Position.created_at)),
        # In force on the request's day, as is_active reads it.
        "active": on_request_day(active_on),
        "person": related(lambda: PERSON, readable_person(col(Position.person_id))),
        "organisation": related(
            lambda: ORGANISATION, readable_organisation(col(Position.organisation_id))
        ),
        "auditTrail": audit_trail("position", col(Position.id)),
    },
)
