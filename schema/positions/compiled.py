"""The Position fields compiled reads build in SQL (schema/compiled)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import Organisation, Person, Position, PositionTitle
from policies.grants import active_on
from resolvers.context import RequestContext
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
from schema.organisations.compiled import ORGANISATION
from schema.people.compiled import PERSON


def _active(build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
    # In force on the request's day, as is_active reads it (plans are kept per day).
    return build.json.boolean(active_on(build.ctx.today))


def _holder(ctx: RequestContext) -> sa.Select[Any]:
    """The holder, if the caller may read them (as the person loader reads them)."""
    return sa.select(Person).where(
        col(Person.id) == col(Position.person_id), ctx.auth.decide("person", "read").where()
    )


def _organisation(ctx: RequestContext) -> sa.Select[Any]:
    """The organisation, if the caller may read it (as the organisation loader reads it)."""
    return sa.select(Organisation).where(
        col(Organisation.id) == col(Position.organisation_id),
        ctx.auth.decide("organisation", "read").where(),
    )


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
        "person": related(lambda: PERSON, _holder),
        "organisation": related(lambda: ORGANISATION, _organisation),
    },
)
