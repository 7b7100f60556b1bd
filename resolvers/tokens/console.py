"""Web console sessions: an operator's one-time sign-in code, exchanged for a session.

The operator issues a short-lived code for a person (`jinlin console link`); only its
HMAC is stored. Exchanging it makes a personal token whose secret goes only into the
browser's HttpOnly cookie, so a session authenticates like any token and acts with
exactly the person's grants. Issuing, signing in (granted or refused) and signing out
are audited. The console is for people who govern: residents and partner tokens get
no session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import Database
from db.models import ApiToken, ConsoleSignIn, Person
from db.types import utcnow
from policies.actor import Actor
from policies.grants import load_actor
from resolvers.audited import AuditRecord, run_mutation, run_operator_change
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Forbidden, NotFound, Unauthenticated
from resolvers.i18n import tr
from resolvers.tokens.bearer import hash_secret, issue_token, mark_revoked

CODE_PREFIX = "jlc_"
SESSION_NAME = "console session"
SESSION_LIFETIME = timedelta(hours=8)
DEFAULT_CODE_LIFETIME = timedelta(minutes=15)
MAX_CODE_LIFETIME = timedelta(hours=24)
# Roles the console serves; anyone else (a resident, a firm's staff) is refused.
CONSOLE_ROLES = frozenset({"admin", "supervisor", "grid_worker", "secretary", "committee_member"})
REFUSED = tr("The console is for supervisors, secretaries and committee members.")

log = structlog.get_logger("jinlin.console")


def may_use_console(actor: Actor) -> bool:
    return not actor.is_partner and bool(actor.roles & CONSOLE_ROLES)


@dataclass(frozen=True)
class IssuedCode:
    sign_in: ConsoleSignIn
    code: str


async def issue_sign_in_code(
    db: Database, *, person_id: int, key: str, lifetime: timedelta = DEFAULT_CODE_LIFETIME
) -> IssuedCode:
    """A one-time sign-in code for PERSON_ID (audited as the operator); shown once."""

    async def handler(session: AsyncSession, record: AuditRecord) -> IssuedCode:
        if lifetime <= timedelta(0) or lifetime > MAX_CODE_LIFETIME:
            raise BadUserInput(tr("A sign-in code lives between 1 minute and 24 hours."))
        if await session.get(Person, person_id) is None:
            raise NotFound(tr("No person with that id exists."))
        code = CODE_PREFIX + secrets.token_urlsafe(24)
        row = ConsoleSignIn(
            person_id=person_id, code_hash=hash_secret(code, key), expires_at=utcnow() + lifetime
        )
        session.add(row)
        await session.flush()
        # About the person it lets sign in, so their trail shows their console sign-ins.
        record.target(person_id, None, None)
        record.change("sign_in_code", None, row.id)
        record.change("expires_at", None, row.expires_at)
        return IssuedCode(row, code)

    return await run_operator_change(
        db,
        operation="issueConsoleSignIn",
        resource_type="person",
        input={"person_id": person_id, "lifetime_minutes": int(lifetime.total_seconds() // 60)},
        handler=handler,
    )


@dataclass(frozen=True)
class Session:
    secret: str
    token: ApiToken


async def sign_in(
    db: Database,
    code: str,
    *,
    key: str,
    today: date,
    request_id: str,
    client_address: str | None,
) -> Session:
    """Exchange CODE for a session, audited as the person it was issued for.

    An unknown code names nobody, so it is refused without an entry (and never logged)."""
    code_hash = hash_secret(code.strip(), key)
    async with db.read_sessions() as session:
        found = (
            await session.execute(
                sa.select(col(ConsoleSignIn.id), col(ConsoleSignIn.person_id)).where(
                    col(ConsoleSignIn.code_hash) == code_hash
                )
            )
        ).one_or_none()
        if found is None:
            log.warning("console sign-in refused: unknown code", request_id=request_id)
            raise Unauthenticated(tr("This sign-in code is not known: ask for a new link."))
        actor = await load_actor(session, found.person_id, None, today)
    ctx = RequestContext(
        db=db,
        actor=actor,
        request_id=request_id,
        client_address=client_address,
        secret_key=key,
        today=today,
    )

    async def handler(session: AsyncSession, record: AuditRecord) -> Session:
        row = (
            await session.execute(
                sa.select(ConsoleSignIn).where(col(ConsoleSignIn.id) == found.id).with_for_update()
            )
        ).scalar_one()
        record.target(row.person_id, None, None)
        record.change("sign_in_code", None, row.id)
        if row.used_at is not None:
            raise Unauthenticated(tr("This sign-in code was already used: ask for a new link."))
        if row.expires_at <= utcnow():
            raise Unauthenticated(tr("This sign-in code has expired: ask for a new link."))
        if not may_use_console(actor):
            raise Forbidden(REFUSED)
        issued = await issue_token(
            session, person_id=row.person_id, name=SESSION_NAME, key=key, lifetime=SESSION_LIFETIME
        )
        row.used_at = utcnow()
        row.session_token_id = issued.token.id
        record.change("used_at", None, row.used_at)
        record.change("session_token_id", None, issued.token.id)
        record.change("session_expires_at", None, issued.token.expires_at)
        await session.flush()
        return Session(issued.secret, issued.token)

    return await run_mutation(
        ctx,
        operation="consoleSignIn",
        resource_type="person",
        input={"sign_in": found.id},
        handler=handler,
    )


async def sign_out(ctx: RequestContext) -> None:
    """End the caller's console session: its token is revoked (audited)."""
    token_id = ctx.actor.token_id

    async def handler(session: AsyncSession, record: AuditRecord) -> None:
        token = await session.get(ApiToken, token_id)
        if token is None or token.name != SESSION_NAME or token.person_id != ctx.actor.person_id:
            raise Forbidden(tr("Only a console session signs out here."))
        record.target(token.id, None, None)
        await mark_revoked(session, token, record)

    await run_mutation(
        ctx, operation="consoleSignOut", resource_type="token", input={}, handler=handler
    )
