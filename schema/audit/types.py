"""The AuditEntry type: one mutation attempt, as supervisors review it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from db.models import AuditEntry, AuditOutcome
from db.paths import ids_on_path
from resolvers.audit import queries as audit
from schema.audit import loaders
from schema.common.connection import Connection, to_connection
from schema.common.nodes import load_node, register_node, resource_type_name
from schema.context import Info
from schema.ids import encode_id
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType


@strawberry.type(description="One field a mutation changed; sensitive values show as [redacted].")
class AuditChange:
    field: str = strawberry.field(description="The field (as stored).")
    before: JSON | None = strawberry.field(description="Its value before (null when created).")
    after: JSON | None = strawberry.field(description="Its value after.")


@strawberry.type(
    name="AuditEntry",
    description="One mutation attempt, written in the same transaction as its change (or after "
    "its rollback when refused) and chained by SHA-256 to the entry before it. Readable by "
    "supervisors for their subtree, the secretary for the compound, admins, and everyone for the "
    "entries they made or that are about their own person record (permission audit:read).",
)
class AuditEntryType(relay.Node):
    id: relay.NodeID[int]
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")
    operation: str = strawberry.field(description="The mutation (or command) attempted.")
    resource_type: str = strawberry.field(
        description="What kind of record it concerned: organisation, person, position, link, "
        "issue, meeting, token."
    )
    outcome: AuditOutcome = strawberry.field(description="What came of it.")
    error_code: str | None = strawberry.field(description="The error code, when refused or failed.")
    error_message: str | None = strawberry.field(description="The message the caller got.")
    role: str | None = strawberry.field(description="The role whose grant allowed it.")
    request_id: str | None = strawberry.field(description="The request id, as in the logs.")
    client_address: str | None = strawberry.field(description="Where the request came from.")
    input: JSON = strawberry.field(description="The input as sent, sensitive values redacted.")
    changes: list[AuditChange] = strawberry.field(
        description="Each changed field, before and after."
    )
    hash: str = strawberry.field(description="SHA-256 of this entry's canonical form.")
    prev_hash: str = strawberry.field(description="The hash of the entry before it in the chain.")
    _row: strawberry.Private[AuditEntry]

    @classmethod
    def from_row(cls, row: AuditEntry) -> Self:
        changes: list[dict[str, Any]] = list(row.changes or [])
        return cls(
            id=row.seq,
            occurred_at=row.occurred_at,
            operation=row.operation,
            resource_type=row.resource_type,
            outcome=row.outcome,
            error_code=row.error_code,
            error_message=row.error_message,
            role=row.role,
            request_id=row.request_id,
            client_address=row.client_address,
            input=cast(JSON, row.input),
            changes=[
                AuditChange(field=c["field"], before=c.get("before"), after=c.get("after"))
                for c in changes
            ],
            hash=row.hash,
            prev_hash=row.prev_hash,
            _row=row,
        )

    @strawberry.field(description="Position in the chain (1 is the first entry ever).")
    def sequence(self) -> int:
        return self._row.seq

    @strawberry.field(description="Who acted, if you may see them (null for the command line).")
    async def actor(self, info: Info) -> PersonType | None:
        if self._row.actor_person_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.actor_person_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(
        description="The partner organisation that acted through a scoped token, if you may "
        "see it; the actor is then the token's issuer, whose access bounded the call."
    )
    async def partner(self, info: Info) -> OrganisationType | None:
        if self._row.actor_organisation_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(
            self._row.actor_organisation_id
        )
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The global id of the token the actor used, if any.")
    def token(self) -> strawberry.ID | None:
        token_id = self._row.actor_token_id
        return None if token_id is None else encode_id("ApiToken", token_id)

    @strawberry.field(description="The organisation whose subtree the allowing grant covered.")
    async def domain(self, info: Info) -> OrganisationType | None:
        return await _organisation_at(info, self._row.domain)

    @strawberry.field(description="The organisation the change happened in, if you may see it.")
    async def organisation(self, info: Info) -> OrganisationType | None:
        if self._row.organisation_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(self._row.organisation_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The global id of the record concerned (even if it is gone).")
    def resource_id(self) -> strawberry.ID | None:
        type_name = resource_type_name(self._row.resource_type)
        if type_name is None or self._row.resource_id is None:
            return None
        return encode_id(type_name, int(self._row.resource_id))

    @strawberry.field(description="The record concerned, if it still exists and you may see it.")
    async def resource(self, info: Info) -> relay.Node | None:
        type_name = resource_type_name(self._row.resource_type)
        if type_name is None or self._row.resource_id is None:
            return None
        return await load_node(info.context, type_name, int(self._row.resource_id))


async def _organisation_at(info: Info, path: str | None) -> OrganisationType | None:
    ids = ids_on_path(path) if path else []
    if not ids:
        return None
    row = await organisations_loaders.organisation(info.context).load(ids[-1])
    return OrganisationType.from_row(row) if row else None


async def audit_trail(
    info: Info, resource_type: str, resource_id: int, first: int | None, after: str | None
) -> Connection[AuditEntryType]:
    """The history of one record, newest first, as far as the caller may read the log."""
    page = await audit.list_entries(
        info.context,
        audit.AuditFilter(resource_type=resource_type, resource_id=str(resource_id)),
        first,
        after,
    )
    return to_connection(page, AuditEntryType.from_row)


register_node("audit_entry", AuditEntryType, loaders.audit_entry)
