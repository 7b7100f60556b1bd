"""The AuditEntry type: one mutation attempt, as supervisors review it."""

from __future__ import annotations

from datetime import datetime
from typing import Self, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from db.models import AuditEntry, AuditOutcome
from db.paths import ids_on_path
from resolvers.audit import queries as audit
from resolvers.audit.readable import ReadableChange, ReadableEntry, china_time, readable, wanted
from schema.audit import loaders
from schema.common.connection import Connection, to_connection
from schema.common.nodes import load_node, register_node, resource_type_name
from schema.context import Info
from schema.ids import encode_id
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType


@strawberry.type(
    description="One field a mutation changed, raw and as people read it; sensitive values "
    "show as [redacted]."
)
class AuditChange:
    field: str = strawberry.field(description="The field (as stored).")
    before: JSON | None = strawberry.field(description="Its value before (null when created).")
    after: JSON | None = strawberry.field(description="Its value after.")
    label: str = strawberry.field(description="What the field is called, in Chinese (承办单位).")
    label_en: str = strawberry.field(
        description="What the field is called, in English (Assigned organisation)."
    )
    before_text: str | None = strawberry.field(
        description="`before` as people read it: referenced records by name with their id "
        "(e.g. 幸福里物业 (#16)), enum values with their Chinese label, times in China time "
        "(YYYY-MM-DD HH:MM:SS, UTC+8). Names are today's; null when there was no value."
    )
    after_text: str | None = strawberry.field(description="`after`, as `beforeText` reads.")

    @classmethod
    def of(cls, change: ReadableChange) -> Self:
        return cls(
            field=change.field,
            before=cast(JSON, change.before),
            after=cast(JSON, change.after),
            label=change.label,
            label_en=change.label_en,
            before_text=change.before_text,
            after_text=change.after_text,
        )


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
    hash: str = strawberry.field(description="SHA-256 of this entry's canonical form.")
    prev_hash: str = strawberry.field(description="The hash of the entry before it in the chain.")
    _row: strawberry.Private[AuditEntry]

    @classmethod
    def from_row(cls, row: AuditEntry) -> Self:
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
            hash=row.hash,
            prev_hash=row.prev_hash,
            _row=row,
        )

    async def _readable(self, info: Info) -> ReadableEntry:
        keys = sorted(wanted(self._row))
        found = await loaders.names(info.context).load_many(keys)
        return readable(self._row, {k: v for k, v in zip(keys, found, strict=True) if v})

    @strawberry.field(
        description="Each changed field: raw before and after, the field's label and the values "
        "as people read them."
    )
    async def changes(self, info: Info) -> list[AuditChange]:
        return [AuditChange.of(change) for change in (await self._readable(info)).changes]

    @strawberry.field(
        description="The acting person's name, shown even where you may not open their "
        "person record (firm staff, a partner token's issuer); 服务器操作员 (operator) for the "
        "command line; 系统 (system) for what the server did by itself (the webhook "
        "dispatcher disabling a failing endpoint); null for an anonymous attempt."
    )
    async def actor_name(self, info: Info) -> str | None:
        return (await self._readable(info)).actor_name

    @strawberry.field(
        description="The organisation the actor acted for: the partner unit for a partner "
        "token, otherwise the organisation whose subtree the allowing grant covered (the firm "
        "for its staff, the street for its officers)."
    )
    async def acting_organisation_name(self, info: Info) -> str | None:
        return (await self._readable(info)).acting_organisation_name

    @strawberry.field(
        description="The partner unit's name when it acted through a scoped token (then "
        "`actorName` is the token's issuer, and `tokenName` the token)."
    )
    async def partner_name(self, info: Info) -> str | None:
        return (await self._readable(info)).partner_name

    @strawberry.field(description="The name of the token the actor used, if any.")
    async def token_name(self, info: Info) -> str | None:
        return (await self._readable(info)).token_name

    @strawberry.field(description="The name of the organisation the change happened in.")
    async def organisation_name(self, info: Info) -> str | None:
        return (await self._readable(info)).organisation_name

    @strawberry.field(
        description="The record's display name as it was when the entry was written (an "
        "organisation's or person's name, an issue's title, ...): it survives later renames "
        "and deletion. Entries written before names were kept show the current name."
    )
    async def resource_label(self, info: Info) -> str | None:
        return (await self._readable(info)).resource_label

    @strawberry.field(description="When it was committed, in China time (YYYY-MM-DD HH:MM:SS).")
    def occurred_at_china(self) -> str:
        return china_time(self._row.occurred_at)

    @strawberry.field(description="Position in the chain (1 is the first entry ever).")
    def sequence(self) -> int:
        return self._row.seq

    @strawberry.field(
        description="Who acted, if you may open their person record (permission person:read; "
        "otherwise null, noted in `extensions.maskedFields`, and `actorName` still names them). "
        "Null for the command line."
    )
    async def actor(self, info: Info) -> PersonType | None:
        if self._row.actor_person_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.actor_person_id)
        if row is None:
            info.context.masked_fields.add("AuditEntry.actor")
            return None
        return PersonType.from_row(row)

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
    info: Info,
    resource_type: str,
    resource_id: int,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
) -> Connection[AuditEntryType]:
    """The history of one record, newest first, as far as the caller may read the log."""
    page = await audit.list_entries(
        info.context,
        audit.AuditFilter(resource_type=resource_type, resource_id=str(resource_id)),
        first,
        after,
        last=last,
        before=before,
    )
    return to_connection(page, AuditEntryType.from_row)


register_node("audit_entry", AuditEntryType, loaders.audit_entry)
