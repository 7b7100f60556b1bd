"""Test helpers: run GraphQL as a demo role with a real token; count SQL; read the audit log."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.settings import get_settings
from db import clock
from db.engine import Database, PoolOptions
from db.models import AuditEntry
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.live import LiveContext
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate
from schema.ids import decode_id, encode_id
from schema.schema import schema

_request_ids = itertools.count(1)

# The suite reads messages in English (the catalogue's source text); a request without
# Accept-Language is answered in Simplified Chinese (tests/resolvers/i18n cover the others).
ENGLISH = {"Accept-Language": "en"}


@dataclass
class Oracle:
    """Every query a compiled read answered is run again through the resolvers, and both
    answers must be the same to the byte (issue 14's differential test, over the whole
    suite). Off while a test counts statements (the second run would add its own)."""

    enabled: bool = True
    compared: int = 0


ORACLE = Oracle()


@dataclass(frozen=True)
class FromToday:
    """A parameter's date (or year) relative to today, resolved when the test runs: one
    computed at collection goes stale when the run crosses midnight."""

    days: int = 0
    years: int | None = None  # a year number (this year + YEARS) instead of a date

    def value(self) -> str | int:
        if self.years is not None:
            return clock.today().year + self.years
        return (clock.today() + timedelta(days=self.days)).isoformat()


def resolved(values: dict[str, Any]) -> dict[str, Any]:
    """VALUES with each FromToday replaced by its value today."""
    return {k: v.value() if isinstance(v, FromToday) else v for k, v in values.items()}


@dataclass
class Result:
    data: Any
    errors: list[dict[str, Any]]
    extensions: dict[str, Any]

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]

    def ok(self) -> Any:
        assert not self.errors, self.errors
        return self.data


def pool_options() -> PoolOptions:
    """The suite's engines as the app's: no server-side prepared statements behind PgBouncer."""
    return PoolOptions(pgbouncer=get_settings().pgbouncer)


@dataclass
class StatementCounter:
    count: int = 0
    sql: list[str] = field(default_factory=list)

    def on_execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.count += 1
        self.sql.append(statement)

    def reset(self) -> None:
        self.count = 0
        self.sql.clear()


@dataclass(frozen=True)
class Executed:
    result: Result
    # The root fields compiled reads answered.
    served: list[str]


def assert_same_answer(compiled: Result, resolved: Result, query: str) -> None:
    """Same data (keys in the same order), errors and extensions, whichever path ran."""
    assert json.dumps(compiled.data, ensure_ascii=False) == json.dumps(
        resolved.data, ensure_ascii=False
    ), f"compiled and resolved data differ for:\n{query}"
    assert compiled.errors == resolved.errors, query
    assert compiled.extensions == resolved.extensions, query


@dataclass
class Api:
    db: Database
    tokens: dict[str, str]
    ids: dict[str, str]
    secret_key: str
    # As a server process keeps them: every test's requests go through the actor cache.
    actors: ActorCache = field(default_factory=ActorCache)
    # The language of messages, as Accept-Language would negotiate it (both oracle paths).
    locale: str = "en"

    async def context(self, as_: str | None, today: date | None = None) -> RequestContext:
        ctx = RequestContext(
            db=self.db,
            actor=ANONYMOUS,
            request_id=f"test-{next(_request_ids)}",
            client_address="127.0.0.1",
            locale=self.locale,
            secret_key=self.secret_key,
            today=today or clock.today(),
        )
        if as_ is not None:
            secret = self.tokens.get(as_, as_)
            ctx.actor = await authenticate(
                await ctx.token_reader(),
                secret,
                key=self.secret_key,
                today=ctx.today,
                actors=self.actors,
            )
        return ctx

    @asynccontextmanager
    async def live(self, as_: str) -> AsyncIterator[LiveContext]:
        """A live connection's context for AS_, as a subscription's reads see it."""
        ctx = await self.context(as_)
        live = LiveContext(
            db=self.db,
            actor=ctx.actor,
            request_id="test-live",
            client_address="127.0.0.1",
            secret_key=self.secret_key,
        )
        try:
            yield live
        finally:
            await live.close()
            await ctx.close()

    async def sign_in(self, as_: str) -> None:
        """Derive AS_'s actor once, as a server does on a caller's first request, so that
        statement counts compare a query's own statements."""
        await (await self.context(as_)).close()

    async def run(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: str | None,
        today: date | None = None,
    ) -> Result:
        compiled = await self._execute(query, variables, as_, today, compiled_reads=True)
        if compiled.served and ORACLE.enabled:
            resolved = await self._execute(query, variables, as_, today, compiled_reads=False)
            assert resolved.served == [], resolved.served
            assert_same_answer(compiled.result, resolved.result, query)
            ORACLE.compared += 1
        return compiled.result

    async def answered(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: str | None
    ) -> Executed:
        """The compiled-reads answer and the root or object fields compiled SQL served."""
        return await self._execute(query, variables, as_, None, compiled_reads=True)

    async def _execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        as_: str | None,
        today: date | None,
        *,
        compiled_reads: bool,
    ) -> Executed:
        ctx = await self.context(as_, today)
        ctx.compiled_reads = compiled_reads
        try:
            result = await schema.execute(query, variable_values=variables, context_value=ctx)
        finally:
            await ctx.close()
        errors = [e.formatted for e in result.errors or []]
        return Executed(Result(result.data, errors, result.extensions or {}), ctx.compiled_fields)

    async def audit_entries(self) -> list[AuditEntry]:
        async with self.db.read_sessions() as session:
            rows = await session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq))
            return list(rows.scalars().all())

    async def scalar(self, statement: Any) -> Any:
        async with self.db.read_sessions() as session:
            return (await session.execute(statement)).scalar()

    def compound(self, key: str) -> int:
        return decode_id(self.ids[f"compound_{key}"], "Organisation")


def gid(type_name: str, node_id: int) -> str:
    return str(encode_id(type_name, node_id))
