"""Partner tokens over GraphQL: issue one for a partner unit, revoke it, list them.

A partner token is bounded three ways: the organisations it names, the scopes
it carries, and its issuer's own access, which is re-derived at every use
(policies.partner). Issuing needs token:issue over every named organisation,
so nobody can lend access they do not hold; expiry is mandatory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import ApiToken, ApiTokenOrganisation, Organisation, OrganisationKind
from db.types import utcnow
from policies.conditions import RowFacts
from policies.token_scopes import TokenScope
from resolvers.audited import AuditRecord
from resolvers.common import scoped, visible_by_ids, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import coded, tr
from resolvers.mutations import Mutation, Place, RowMutation
from resolvers.pagination import Page, Window, keyset_page
from resolvers.tokens.bearer import IssuedToken, issue_token, mark_revoked
from resolvers.validation import aware_utc

RESOURCE = "token"
MAX_ORGANISATIONS = 20
# Who may hold a partner token: bodies beside the compounds, not the compounds' own organs.
PARTNER_KINDS = frozenset(
    {
        OrganisationKind.PARTNER_UNIT,
        OrganisationKind.SOCIAL_ORGANISATION,
        OrganisationKind.PROPERTY_FIRM,
        OrganisationKind.DEPARTMENT,
    }
)


class TokenStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


def token_status(token: ApiToken, now: datetime) -> TokenStatus:
    if token.revoked_at is not None:
        return TokenStatus.REVOKED
    if token.expires_at <= now:
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


def one_year_after(moment: datetime) -> datetime:
    """The same instant a calendar year later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


@dataclass(frozen=True)
class IssuePartnerToken:
    name: str
    partner_id: int
    organisation_ids: list[int]
    scopes: list[TokenScope]
    expires_at: datetime


@dataclass(frozen=True)
class RevokeToken:
    id: int


@dataclass(frozen=True)
class TokenFilter:
    issuer_id: int | None = None
    partner_id: int | None = None
    organisation_id: int | None = None
    status: TokenStatus | None = None


def _validate(data: IssuePartnerToken, now: datetime) -> None:
    if not data.name.strip() or len(data.name) > 100:
        raise BadUserInput(tr("A token needs a name of 1 to 100 characters."))
    ids = data.organisation_ids
    if not 0 < len(ids) <= MAX_ORGANISATIONS or len(set(ids)) != len(ids):
        raise BadUserInput(
            tr(
                "Name between 1 and {MAX_ORGANISATIONS} different organisations the token may act "
                "on.",
                MAX_ORGANISATIONS=MAX_ORGANISATIONS,
            )
        )
    if not data.scopes or len(set(data.scopes)) != len(data.scopes):
        raise BadUserInput(tr("Name at least one scope, each once."))
    aware_utc(data.expires_at, tr("expiry (expiresAt)"))
    if data.expires_at <= now:
        raise BadUserInput(tr("The expiry must be in the future."))
    if data.expires_at > one_year_after(now):
        raise BadUserInput(
            tr("A partner token may live at most one year; choose an earlier expiry.")
        )


async def _token_place(ctx: RequestContext, session: AsyncSession, token: ApiToken) -> Place:
    """A token lies at each organisation it names; its issuer owns it."""
    paths = await _organisation_paths(session, token.id or 0)
    facts = RowFacts(paths=paths, owner_person_id=token.person_id)
    return Place(None, paths[0] if paths else None, facts)


ISSUE_TOKEN = Mutation(
    operation="issueToken",
    resource=RESOURCE,
    action="issue",
    what=tr("issue tokens here"),
    needs=" over every named organisation (the compound's secretary; admins)",
)
REVOKE_TOKEN = RowMutation(
    operation="revokeToken",
    resource=RESOURCE,
    action="revoke",
    what=tr("revoke this token"),
    needs=": its issuer, or the secretary or an admin over one of its organisations",
    model=ApiToken,
    noun=tr("token"),
    locate=_token_place,
)


async def issue_partner_token(ctx: RequestContext, data: IssuePartnerToken) -> IssuedToken:
    """Its own shape: the token needs the permission over every organisation it names."""

    async def handler(session: AsyncSession, record: AuditRecord) -> IssuedToken:
        now = utcnow()
        _validate(data, now)
        decision = ISSUE_TOKEN.decision(ctx)
        organisations: list[Organisation] = []
        for organisation_id in data.organisation_ids:
            organisation = await visible_one(
                ctx, session, Organisation, "organisation", organisation_id, tr("organisation")
            )
            organisations.append(organisation)
            if record.grant is None:
                record.target(None, organisation.id, organisation.path)
            record.authorize(
                decision,
                RowFacts(paths=(organisation.path,)),
                tr("issue tokens for {name}", name=organisation.name),
            )
        partner = await visible_one(
            ctx, session, Organisation, "organisation", data.partner_id, tr("partner organisation")
        )
        if partner.kind not in PARTNER_KINDS:
            raise BadUserInput(
                tr(
                    "A partner token is for a {kinds}; {name} is a {kind}.",
                    kinds=coded(*sorted(PARTNER_KINDS), joiner=" or "),
                    name=partner.name,
                    kind=coded(partner.kind),
                )
            )
        if not ctx.secret_key:
            raise RuntimeError("issuing a token needs the server's secret key in the context")
        issued = await issue_token(
            session,
            person_id=ctx.require_actor(),
            name=data.name.strip(),
            key=ctx.secret_key,
            lifetime=data.expires_at - now,
        )
        token = issued.token
        token.expires_at = data.expires_at
        token.partner_organisation_id = partner.id
        token.scopes = [scope.value for scope in data.scopes]
        assert token.id is not None
        session.add_all(
            ApiTokenOrganisation(token_id=token.id, organisation_id=org.id or 0)
            for org in organisations
        )
        await session.flush()
        record.resource_id = str(token.id)
        record.change("name", None, token.name)
        record.change("partner_organisation_id", None, partner.id)
        record.change("organisation_ids", None, sorted(data.organisation_ids))
        record.change("scopes", None, token.scopes)
        record.change("expires_at", None, token.expires_at)
        record.change("display_prefix", None, token.display_prefix)
        return issued

    input = {
        "name": data.name,
        "partner_id": data.partner_id,
        "organisation_ids": data.organisation_ids,
        "scopes": [scope.value for scope in data.scopes],
        "expires_at": data.expires_at,
    }
    return await ISSUE_TOKEN.run(ctx, input, handler)


async def _organisation_paths(session: AsyncSession, token_id: int) -> tuple[str, ...]:
    rows = await session.execute(
        sa.select(col(Organisation.path))
        .join(ApiTokenOrganisation, col(ApiTokenOrganisation.organisation_id) == Organisation.id)
        .where(col(ApiTokenOrganisation.token_id) == token_id)
        .order_by(col(Organisation.path))
    )
    return tuple(rows.scalars().all())


async def revoke_token(ctx: RequestContext, data: RevokeToken) -> ApiToken:
    async def apply(session: AsyncSession, token: ApiToken, record: AuditRecord) -> ApiToken:
        await mark_revoked(session, token, record)
        return token

    return await REVOKE_TOKEN.on(ctx, data.id, apply, data={"id": data.id})


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, ApiToken]:
    return await visible_by_ids(ctx, ApiToken, RESOURCE, ids)


async def list_tokens(ctx: RequestContext, filter: TokenFilter, window: Window) -> Page[ApiToken]:
    statement = scoped(ctx, ApiToken, RESOURCE)
    if filter.issuer_id is not None:
        statement = statement.where(col(ApiToken.person_id) == filter.issuer_id)
    if filter.partner_id is not None:
        statement = statement.where(col(ApiToken.partner_organisation_id) == filter.partner_id)
    if filter.organisation_id is not None:
        statement = statement.where(
            col(ApiToken.id).in_(
                sa.select(col(ApiTokenOrganisation.token_id)).where(
                    col(ApiTokenOrganisation.organisation_id) == filter.organisation_id
                )
            )
        )
    now = utcnow()
    if filter.status is TokenStatus.REVOKED:
        statement = statement.where(col(ApiToken.revoked_at).is_not(None))
    elif filter.status is TokenStatus.EXPIRED:
        statement = statement.where(
            col(ApiToken.revoked_at).is_(None), col(ApiToken.expires_at) <= now
        )
    elif filter.status is TokenStatus.ACTIVE:
        statement = statement.where(
            col(ApiToken.revoked_at).is_(None), col(ApiToken.expires_at) > now
        )
    return await keyset_page(
        ctx,
        statement,
        keys=[col(ApiToken.id)],
        key_of=lambda token: (token.id,),
        window=window,
        descending=True,
    )


async def organisation_ids_of(
    ctx: RequestContext, token_ids: Sequence[int]
) -> dict[int, list[int]]:
    """The organisations each token names (for a page of tokens, one statement)."""
    rows = await ctx.read(
        sa.select(col(ApiTokenOrganisation.token_id), col(ApiTokenOrganisation.organisation_id))
        .where(col(ApiTokenOrganisation.token_id).in_(set(token_ids)))
        .order_by(col(ApiTokenOrganisation.organisation_id))
    )
    found: dict[int, list[int]] = {token_id: [] for token_id in token_ids}
    pairs = cast("list[tuple[int, int]]", rows.all())
    for token_id, organisation_id in pairs:
        found[token_id].append(organisation_id)
    return found
