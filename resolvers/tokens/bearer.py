"""Bearer tokens: random secrets with a recognisable prefix, stored only as an HMAC."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.direct_reads import Reader, execute_read
from db.engine import Database
from db.models import AccessEpoch, ApiToken, ApiTokenOrganisation, Organisation, Person
from db.types import utcnow
from policies.actor import ANONYMOUS, Actor
from policies.grants import load_actor
from policies.partner import partner_actor
from resolvers.audited import AuditRecord, run_operator_change
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, NotFound, Unauthenticated
from resolvers.i18n import tr
from resolvers.tokens.actors import ActorCache, TokenFacts

TOKEN_PREFIX = "jl_"  # noqa: S105 (a public marker, not a secret)
DISPLAY_CHARS = 10
MAX_LIFETIME = timedelta(days=366)
# How precisely a token's last use is kept: one write per token per interval at most.
LAST_USE_INTERVAL = timedelta(minutes=5)


def hash_secret(secret: str, key: str) -> str:
    return hmac.new(key.encode(), secret.encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


async def issue_token(
    session: AsyncSession, *, person_id: int, name: str, key: str, lifetime: timedelta
) -> IssuedToken:
    secret = new_secret()
    token = ApiToken(
        person_id=person_id,
        name=name,
        display_prefix=secret[:DISPLAY_CHARS],
        secret_hash=hash_secret(secret, key),
        expires_at=utcnow() + lifetime,
    )
    session.add(token)
    await session.flush()
    return IssuedToken(token, secret)


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an 'Authorization: Bearer …' header, or None when there is no header."""
    if authorization is None or not authorization.strip():
        return None
    scheme, _, secret = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip().startswith(TOKEN_PREFIX):
        raise Unauthenticated(tr("The Authorization header must be 'Bearer jl_…'."))
    return secret.strip()


# The token with this secret's hash and the access epoch, in one statement (built once;
# :secret_hash is bound per request).
TOKEN_STATEMENT = (
    sa.select(
        col(ApiToken.id),
        col(ApiToken.person_id),
        col(ApiToken.expires_at),
        col(ApiToken.revoked_at),
        col(ApiToken.last_used_at),
        col(ApiToken.partner_organisation_id),
        col(ApiToken.scopes),
        sa.type_coerce(col(AccessEpoch.value), sa.BigInteger).label("epoch"),
    )
    .select_from(ApiToken)
    .join(AccessEpoch, col(AccessEpoch.id) == 1)
    .where(col(ApiToken.secret_hash) == sa.bindparam("secret_hash", type_=sa.String))
)


async def authenticate(
    session: Reader,
    secret: str | None,
    *,
    key: str,
    today: date,
    now: datetime | None = None,
    actors: ActorCache | None = None,
) -> Actor:
    """The actor behind SECRET, with grants loaded for TODAY; anonymous without a secret.

    With ACTORS, an actor this process derived before is reused while the access epoch
    read with the token says nothing it derives from has changed."""
    if secret is None:
        return ANONYMOUS
    token = (
        await execute_read(session, TOKEN_STATEMENT, {"secret_hash": hash_secret(secret, key)})
    ).one_or_none()
    moment = now or utcnow()
    if token is None:
        raise Unauthenticated(tr("This token is not known."))
    if token.revoked_at is not None:
        raise Unauthenticated(tr("This token was revoked."))
    if token.expires_at <= moment:
        raise Unauthenticated(tr("This token has expired."))
    facts = TokenFacts(
        person_id=token.person_id,
        partner_organisation_id=token.partner_organisation_id,
        scopes=tuple(token.scopes) if token.scopes is not None else None,
    )
    actor = actors.get(token.id, today, token.epoch, facts) if actors is not None else None
    if actor is None:
        actor = await load_actor(session, token.person_id, token.id, today)
        if facts.partner_organisation_id is not None:
            actor = await _as_partner(session, actor, token.id, facts)
        actor = replace(actor, epoch=token.epoch)
        if actors is not None:
            actors.keep(token.id, today, token.epoch, facts, actor)
    stale = token.last_used_at is None or moment - token.last_used_at >= LAST_USE_INTERVAL
    return actor if actor.record_use == stale else replace(actor, record_use=stale)


async def actor_of_token(
    session: AsyncSession, token_id: int, *, today: date, now: datetime | None = None
) -> Actor | None:
    """The actor a request with token TOKEN_ID's secret would get today, or None once the
    token is revoked or expired: for work done on a token's behalf without its secret (the
    webhook dispatcher sends only what the token could read at that moment)."""
    row = (
        await session.execute(
            sa.select(
                col(ApiToken.person_id),
                col(ApiToken.expires_at),
                col(ApiToken.revoked_at),
                col(ApiToken.partner_organisation_id),
                col(ApiToken.scopes),
            ).where(col(ApiToken.id) == token_id)
        )
    ).one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= (now or utcnow()):
        return None
    actor = await load_actor(session, row.person_id, token_id, today)
    if row.partner_organisation_id is None:
        return actor
    facts = TokenFacts(
        person_id=row.person_id,
        partner_organisation_id=row.partner_organisation_id,
        scopes=tuple(row.scopes) if row.scopes is not None else None,
    )
    return await _as_partner(session, actor, token_id, facts)


def partner_statement(token_id: int, partner_id: int) -> sa.Select[int | None, str, bool]:
    """(organisation id, path, listed) of the token's organisations and its partner unit."""
    return (
        sa.select(
            col(Organisation.id),
            col(Organisation.path),
            col(ApiTokenOrganisation.token_id).is_not(None),
        )
        .outerjoin(
            ApiTokenOrganisation,
            sa.and_(
                col(ApiTokenOrganisation.organisation_id) == Organisation.id,
                col(ApiTokenOrganisation.token_id) == token_id,
            ),
        )
        .where(
            sa.or_(
                col(ApiTokenOrganisation.token_id).is_not(None),
                col(Organisation.id) == partner_id,
            )
        )
    )


async def _as_partner(session: Reader, issuer: Actor, token_id: int, facts: TokenFacts) -> Actor:
    """The issuer's access narrowed to the token's organisations and scopes (one statement)."""
    partner_id = facts.partner_organisation_id
    assert partner_id is not None
    rows = (await session.execute(partner_statement(token_id, partner_id))).all()
    partner_path = next((str(path) for org_id, path, _ in rows if org_id == partner_id), "")
    listed_paths = tuple(sorted(str(path) for _, path, listed in rows if listed))
    return partner_actor(
        issuer,
        partner_organisation_id=partner_id,
        partner_path=partner_path,
        organisation_paths=listed_paths,
        scopes=list(facts.scopes or ()),
    )


async def note_token_use(ctx: RequestContext) -> None:
    """Record the caller's token use when its last recorded use is old enough (rarely writes)."""
    if ctx.actor.record_use and ctx.actor.token_id is not None:
        await ctx.release_reads()
        await record_token_use(ctx.db, ctx.actor.token_id)


async def record_token_use(db: Database, token_id: int, now: datetime | None = None) -> None:
    """Note a token's use, at most once per LAST_USE_INTERVAL, whoever else is writing it.

    The conditional UPDATE makes concurrent requests of one token write once; the
    interval keeps the write off the path of almost every request.
    """
    moment = now or utcnow()
    async with db.write() as session:
        await session.execute(
            sa.update(ApiToken)
            .where(
                col(ApiToken.id) == token_id,
                sa.or_(
                    col(ApiToken.last_used_at).is_(None),
                    col(ApiToken.last_used_at) <= moment - LAST_USE_INTERVAL,
                ),
            )
            .values(last_used_at=moment)
        )


async def issue_operator_token(
    db: Database, *, person_id: int, name: str, key: str, lifetime: timedelta
) -> IssuedToken:
    """Issue a personal token from the command line (audited as the operator)."""

    async def handler(session: AsyncSession, record: AuditRecord) -> IssuedToken:
        if lifetime <= timedelta(0) or lifetime > MAX_LIFETIME:
            raise BadUserInput(
                tr("A token lives between 1 day and {days} days.", days=MAX_LIFETIME.days)
            )
        if await session.get(Person, person_id) is None:
            raise NotFound(tr("No person with that id exists."))
        issued = await issue_token(
            session, person_id=person_id, name=name, key=key, lifetime=lifetime
        )
        record.target(issued.token.id, None, None)
        record.change("person_id", None, person_id)
        record.change("name", None, name)
        record.change("expires_at", None, issued.token.expires_at)
        return issued

    return await run_operator_change(
        db,
        operation="issueToken",
        resource_type="token",
        input={"person_id": person_id, "name": name, "lifetime_days": lifetime.days},
        handler=handler,
    )


async def mark_revoked(session: AsyncSession, token: ApiToken, record: AuditRecord) -> None:
    """Revoke TOKEN now (a CONFLICT if it already was), noting the change for the audit log."""
    if token.revoked_at is not None:
        raise Conflict(
            tr(
                "That token was already revoked at {revoked_at} (China time).",
                revoked_at=token.revoked_at,
            )
        )
    token.revoked_at = utcnow()
    record.change("revoked_at", None, token.revoked_at)
    await session.flush()


async def revoke_operator_token(db: Database, *, display_prefix: str) -> ApiToken:
    """Revoke the one token whose secret starts with DISPLAY_PREFIX (audited as the operator)."""

    async def handler(session: AsyncSession, record: AuditRecord) -> ApiToken:
        matches = (
            (
                await session.execute(
                    sa.select(ApiToken).where(col(ApiToken.display_prefix) == display_prefix)
                )
            )
            .scalars()
            .all()
        )
        if len(matches) != 1:
            raise BadUserInput(
                tr(
                    "{count_matches} tokens start with '{display_prefix}'; name exactly one.",
                    count_matches=len(matches),
                    display_prefix=display_prefix,
                )
            )
        token = matches[0]
        record.target(token.id, None, None)
        await mark_revoked(session, token, record)
        return token

    return await run_operator_change(
        db,
        operation="revokeToken",
        resource_type="token",
        input={"display_prefix": display_prefix},
        handler=handler,
    )
