"""A mutation declared once: its operation, the permission it needs, and for the common
shapes the row it works on.

The declaration is the one place the operation name, the permission (resource:action) and
the permission sentence of the field's description come from; the schema reads them from
it. For a change to an existing row (``RowMutation.on``) and for a row made under a parent
(``CreateMutation.under``) the shared path here finds the row if visible, locks it, places
it for the audit entry, authorizes it and checks its version; the domain's ``apply`` does
the rest. Mutations of other shapes still take their operation and permission from their
declaration (``Mutation.run``, ``Mutation.authorize``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from db.models import Organisation
from db.types import utcnow
from policies.authorizer import Decision
from policies.conditions import RowFacts
from policies.grants import Grant
from resolvers.audited import AuditRecord, Handler, run_mutation
from resolvers.common import (
    Extend,
    check_version,
    visible_locked,
    visible_locked_with,
    visible_one,
)
from resolvers.context import RequestContext
from resolvers.i18n import Text
from resolvers.outbox import Announces

M = TypeVar("M", bound=SQLModel)
T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Mutation:
    """What every mutation declares."""

    operation: str  # the GraphQL field and the audit entry's operation
    resource: str  # the permission needed is resource:action
    action: str
    what: Text  # the refusal reads "You may not {what}."
    audited_as: str | None = None  # the audit entry's resource type, when not `resource`
    needs: str = ""  # the rest of the permission sentence after "Needs resource:action"
    sentence: str | None = None  # a permission sentence in other words than "Needs ..."
    announces: Announces | None = None  # the outbox event a success writes

    @property
    def resource_type(self) -> str:
        return self.audited_as or self.resource

    @property
    def permission_sentence(self) -> str:
        return self.sentence or f"Needs {self.resource}:{self.action}{self.needs}."

    def decision(self, ctx: RequestContext) -> Decision:
        return ctx.auth.decide(self.resource, self.action)

    def authorize(
        self, ctx: RequestContext, record: AuditRecord, facts: RowFacts, what: Text | None = None
    ) -> Grant:
        return record.authorize(self.decision(ctx), facts, what or self.what)

    async def run(self, ctx: RequestContext, data: object, handler: Handler[T]) -> T:
        """Run HANDLER audited as this operation; DATA (a dataclass or a mapping) is the input
        the entry records."""
        return await run_mutation(
            ctx,
            operation=self.operation,
            resource_type=self.resource_type,
            input=audit_input(data),
            handler=handler,
            announces=self.announces,
        )


def audit_input(data: object) -> Mapping[str, Any]:
    return data if isinstance(data, Mapping) else vars(data)


@dataclass(frozen=True)
class Place:
    """Where a row lies: the audit entry's organisation and path, the row check's facts."""

    organisation_id: int | None
    path: str | None
    facts: RowFacts
    # The compound the organisation lies in, when the locator read it (spares the audit
    # entry a lookup); None: not known.
    compound_id: int | None = None


def place(organisation_id: int | None, path: str, owner_person_id: int | None = None) -> Place:
    """The usual place: the row lies at PATH (an organisation's), perhaps owned by a person."""
    return Place(organisation_id, path, RowFacts(paths=(path,), owner_person_id=owner_person_id))


Locate = Callable[[RequestContext, AsyncSession, M], Awaitable[Place]]


@dataclass(frozen=True)
class PlaceRead(Generic[M]):
    """A place read with the row, in the row's own (locked) statement: EXTEND joins what
    the place needs and adds its columns; PLACE makes the place of the row and their
    values. Spares the locator's round trip."""

    extend: Extend
    place: Callable[[M, tuple[Any, ...]], Place]


Guard = Callable[[RequestContext, M], None]
Apply = Callable[[AsyncSession, M, AuditRecord], Awaitable[T]]
Lock = Callable[[AsyncSession, int], Awaitable[M]]


@dataclass(frozen=True, kw_only=True)
class RowMutation(Mutation, Generic[M]):
    """A change to one existing row of MODEL."""

    model: type[M]
    noun: Text  # what the row is called in NOT_FOUND and CONFLICT messages
    locate: Locate[M] | PlaceRead[M]  # a place read with the row needs the usual lock
    reads: str | None = None  # the resource whose read scope finds the row, when not `resource`
    checks_version: bool = False  # refuse a stale expectedVersion
    guard: Guard[M] | None = None  # a further refusal once authorized (before the version)
    lock: Lock[M] | None = None  # how the row is locked, when not FOR UPDATE

    def __post_init__(self) -> None:
        if self.lock is not None and isinstance(self.locate, PlaceRead):
            raise TypeError(f"{self.operation}: a place read with the row takes its usual lock")

    async def on(
        self,
        ctx: RequestContext,
        row_id: int,
        apply: Apply[M, T],
        *,
        data: object,
        expected_version: int | None = None,
    ) -> T:
        """Find row ROW_ID if the caller sees it, lock it, authorize it, check its version,
        then APPLY the change; audited with DATA as the input."""

        async def handler(session: AsyncSession, record: AuditRecord) -> T:
            where: Place
            if isinstance(self.locate, PlaceRead):
                row, values = await visible_locked_with(
                    ctx,
                    session,
                    self.model,
                    self.reads or self.resource,
                    row_id,
                    self.noun,
                    extend=self.locate.extend,
                )
                where = self.locate.place(row, values)
            else:
                if self.lock is not None:
                    await visible_one(
                        ctx, session, self.model, self.reads or self.resource, row_id, self.noun
                    )
                    row = await self.lock(session, row_id)
                else:
                    row = await visible_locked(
                        ctx, session, self.model, self.reads or self.resource, row_id, self.noun
                    )
                where = await self.locate(ctx, session, row)
            record.target(row_id, where.organisation_id, where.path, compound_id=where.compound_id)
            self.authorize(ctx, record, where.facts)
            if self.guard is not None:
                self.guard(ctx, row)
            if self.checks_version:
                check_version(row, expected_version, self.noun)
            result = await apply(session, row, record)
            record.named(row)  # as changed: the entry need not read its name back
            return result

        return await self.run(ctx, data, handler)


@dataclass(frozen=True, kw_only=True)
class CreateMutation(Mutation, Generic[M]):
    """A new row made under an existing parent row of MODEL (a compound, a station, a post)."""

    model: type[M]
    reads: str  # the resource whose read scope finds the parent
    noun: Text  # what the parent is called in NOT_FOUND messages
    locate: Locate[M]  # may refuse a parent of the wrong kind
    locks: bool = False  # lock the parent (what the new row counts against lives on it)

    async def under(
        self, ctx: RequestContext, parent_id: int, apply: Apply[M, T], *, data: object
    ) -> T:
        """Find parent PARENT_ID if the caller sees it, authorize making a row there, then
        APPLY (which makes the row and names it as the entry's target); audited with DATA."""

        async def handler(session: AsyncSession, record: AuditRecord) -> T:
            if self.locks:
                parent = await visible_locked(
                    ctx, session, self.model, self.reads, parent_id, self.noun
                )
            else:
                parent = await visible_one(
                    ctx, session, self.model, self.reads, parent_id, self.noun
                )
            where = await self.locate(ctx, session, parent)
            record.target(None, where.organisation_id, where.path)
            self.authorize(ctx, record, where.facts)
            return await apply(session, parent, record)

        return await self.run(ctx, data, handler)


class Versioned(Protocol):
    version: int
    updated_at: Any


def bump(row: Versioned) -> None:
    """A changed row's next version."""
    row.version += 1
    row.updated_at = utcnow()


async def organisation_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    """A row made in (or an action on) an organisation lies at its path."""
    return place(organisation.id, organisation.path)
