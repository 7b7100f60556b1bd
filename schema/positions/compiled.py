"""The Position fields compiled reads build in SQL (schema/compiled)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import Position, PositionTitle
from policies.grants import active_on
from schema.compiled.objects import (
    Build,
    ObjectSpec,
    day,
    enum,
    global_id,
    plain,
    related,
    timestamp,
)
from schema.compiled.selection import Selected
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person


def _active(build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
    # In force on the request's day, as is_active reads it (plans are kept per day).
    return build.json.boolean(active_on(build.ctx.today))


POSITION = ObjectSpec(
    "Position",
    {
        "id": global_id("Position", col(Position.id)),
        "title": enum(col(Position.title), PositionTitle),
        "startDate": day(col(Position.start_date)),
        "endDate": day(col(Position.end_date)),
        "version": plain(col(Position.version)),
        "createdAt": timestamp(col(Position.created_at)),
        "active": _active,
        "person": related(lambda: PERSON, readable_person(col(Position.person_id))),
        "organisation": related(
            lambda: ORGANISATION, readable_organisation(col(Position.organisation_id))
        ),
    },
)
