"""The Person fields compiled reads build in SQL (schema/compiled); the sensitive ones
(phone, idNumber) are answered by the resolvers."""

from __future__ import annotations

from sqlmodel import col

from db.models import Person
from schema.compiled.objects import ObjectSpec, global_id, plain, timestamp

PERSON = ObjectSpec(
    "Person",
    {
        "id": global_id("Person", col(Person.id)),
        "name": plain(col(Person.name)),
        "version": plain(col(Person.version)),
        "createdAt": timestamp(col(Person.created_at)),
        "updatedAt": timestamp(col(Person.updated_at)),
    },
)
