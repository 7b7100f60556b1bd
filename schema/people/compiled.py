"""The Person fields compiled reads build in SQL (schema/compiled); the sensitive ones
(phone, idNumber) are answered by the resolvers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import Person
from resolvers.context import RequestContext
from schema.audit.compiled import audit_trail
from schema.compiled.objects import ObjectSpec, Related, global_id, plain, timestamp
from schema.positions.nested import positions_of

PERSON = ObjectSpec(
    "Person",
    {
        "id": global_id("Person", col(Person.id)),
        "name": plain(col(Person.name)),
        "version": plain(col(Person.version)),
        "createdAt": timestamp(col(Person.created_at)),
        "updatedAt": timestamp(col(Person.updated_at)),
        "auditTrail": audit_trail("person", col(Person.id)),
        "positions": positions_of(person=col(Person.id), filters=frozenset({"activeOn"})),
    },
)


def readable_person(column: sa.SQLColumnExpression[int | None]) -> Related:
    """The person COLUMN names, if the caller may read them (as the person loader reads them)."""

    def rows(ctx: RequestContext) -> sa.Select[Any]:
        # Its own reading of the table, also below a row of it (a person's positions).
        statement = sa.select(Person).where(
            col(Person.id) == column, ctx.auth.decide("person", "read").where()
        )
        return statement.correlate_except(Person)

    return rows
