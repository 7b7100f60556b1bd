"""Webhook endpoints: register one for a partner token, disable, enable, delete, list.

An endpoint hears of what its partner token may read, decided per event when it is sent.
It lies where the token does (each organisation the token names), so the secretary over
those organisations manages it; the partner token itself (scope webhooks:manage) manages
only its own endpoints, never another token's, even of the same partner unit: a token
with wider scopes would otherwise show a narrower one what it hears of.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    ApiToken,
    ApiTokenOrganisation,
    DisabledReason,
    Organisation,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import scoped, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotVisible
from resolvers.i18n import Text, tr
from resolvers.mutations import Mutation, Place, RowMutation, bump
from resolvers.outbox import EventKind
from resolvers.pagination import Page, Window, keyset_page
from resolvers.webhooks.signing import DISPLAY_CHARS, new_salt, signing_secret
from resolvers.webhooks.urls import clean_url

RESOURCE = "webhook"
MAX_ENDPOINTS_PER_TOKEN = 10
NOT_FOUND = tr("No webhook endpoint with that id exists or you may not see it.")


@dataclass(frozen=True)
class RegisterWebhook:
    url: str
    kinds: list[EventKind]
    # The partner token it serves; a partner token registering leaves it out (itself).
    token_id: int | None = None


@dataclass(frozen=True)
class WebhookTarget:
    id: int


@dataclass(frozen=True)
class RegisteredWebhook:
    endpoint: WebhookEndpoint
    secret: str


@dataclass(frozen=True)
class WebhookFilter:
    partner_id: int | None = None
    token_id: int | None = None
    status: WebhookStatus | None = None


def readable(ctx: RequestContext) -> sa.Select[WebhookEndpoint]:
    """The endpoints the caller may read: by policy, and for a partner token its own only."""
    statement = scoped(ctx, WebhookEndpoint, RESOURCE)
    if ctx.actor.is_partner:
        statement = statement.where(col(WebhookEndpoint.token_id) == ctx.actor.token_id)
    return statement


def own_endpoint(ctx: RequestContext, endpoint: WebhookEndpoint) -> None:
    """A partner token reaches only its own endpoints: another's is NOT_FOUND (a denial)."""
    if ctx.actor.is_partner and endpoint.token_id != ctx.actor.token_id:
        raise NotVisible(NOT_FOUND)


async def token_places(session: AsyncSession, token_id: int) -> list[tuple[int, str]]:
    """(id, path) of each organisation the token names, in path order."""
    rows = await session.execute(
        sa.select(col(Organisation.id), col(Organisation.path))
        .join(ApiTokenOrganisation, col(ApiTokenOrganisation.organisation_id) == Organisation.id)
        .where(col(ApiTokenOrganisation.token_id) == token_id)
        .order_by(col(Organisation.path))
    )
    return [(int(org_id or 0), str(path)) for org_id, path in rows.all()]


async def endpoint_place(
    ctx: RequestContext, session: AsyncSession, endpoint: WebhookEndpoint
) -> Place:
    """An endpoint lies at each organisation its token names."""
    own_endpoint(ctx, endpoint)
    places = await token_places(session, endpoint.token_id)
    first = places[0] if places else (None, None)
    return Place(first[0], first[1], RowFacts(paths=tuple(path for _, path in places)))


REGISTER_WEBHOOK = Mutation(
    operation="registerWebhook",
    resource=RESOURCE,
    action="manage",
    what=tr("register webhooks for this token"),
    needs=" over every organisation the partner token names (the secretary, admins; a "
    "partner token with webhooks:manage for itself)",
)


def _endpoint_mutation(operation: str, what: Text) -> RowMutation[WebhookEndpoint]:
    return RowMutation(
        operation=operation,
        resource=RESOURCE,
        action="manage",
        what=what,
        needs=" over an organisation its partner token names (a partner token: its own)",
        model=WebhookEndpoint,
        noun=tr("webhook endpoint"),
        locate=endpoint_place,
    )


DISABLE_WEBHOOK = _endpoint_mutation("disableWebhook", tr("disable this webhook endpoint"))
ENABLE_WEBHOOK = _endpoint_mutation("enableWebhook", tr("enable this webhook endpoint"))
DELETE_WEBHOOK = _endpoint_mutation("deleteWebhook", tr("delete this webhook endpoint"))


def _clean_kinds(kinds: list[EventKind]) -> list[str]:
    if not kinds or len(set(kinds)) != len(kinds):
        raise BadUserInput(tr("Name at least one event kind, each once."))
    return sorted(kind.value for kind in kinds)


def token_is_active(token: ApiToken) -> bool:
    return token.revoked_at is None and token.expires_at > utcnow()


async def _partner_token(ctx: RequestContext, session: AsyncSession, token_id: int) -> ApiToken:
    """The token the endpoint serves: a partner token reads itself; others need token:read."""
    if ctx.actor.is_partner and token_id == ctx.actor.token_id:
        token = await session.get(ApiToken, token_id)
        assert token is not None  # the caller is signed in with it
    else:
        token = await visible_one(ctx, session, ApiToken, "token", token_id, tr("token"))
    if token.partner_organisation_id is None:
        raise BadUserInput(tr("A webhook serves a partner token; that is a personal token."))
    if not token_is_active(token):
        raise Conflict(tr("That token has expired or was revoked: issue a new one first."))
    return token


async def register_webhook(ctx: RequestContext, data: RegisterWebhook) -> RegisteredWebhook:
    """Its own shape: manage is needed over every organisation the token names, as issuing
    the token needed token:issue over each."""

    async def handler(session: AsyncSession, record: AuditRecord) -> RegisteredWebhook:
        url = clean_url(data.url)
        kinds = _clean_kinds(data.kinds)
        token_id = data.token_id if data.token_id is not None else ctx.actor.token_id
        if token_id is None or (data.token_id is None and not ctx.actor.is_partner):
            raise BadUserInput(tr("Name the partner token the endpoint serves (token)."))
        token = await _partner_token(ctx, session, token_id)
        partner_id = token.partner_organisation_id
        assert partner_id is not None
        if ctx.actor.is_partner and partner_id != ctx.actor.partner_organisation_id:
            raise Forbidden(tr("A partner token registers webhooks only for its own organisation."))
        decision = REGISTER_WEBHOOK.decision(ctx)
        for organisation_id, path in await token_places(session, token_id):
            if record.grant is None:
                record.target(None, organisation_id, path)
            record.authorize(decision, RowFacts(paths=(path,)), REGISTER_WEBHOOK.what)
        if record.grant is None:
            raise Forbidden(tr("You may not {what}.", what=REGISTER_WEBHOOK.what))
        count = await session.execute(
            sa.select(sa.func.count())
            .select_from(WebhookEndpoint)
            .where(col(WebhookEndpoint.token_id) == token_id)
        )
        if int(count.scalar_one()) >= MAX_ENDPOINTS_PER_TOKEN:
            raise BadUserInput(
                tr(
                    "A token has at most {MAX_ENDPOINTS_PER_TOKEN} webhook endpoints; delete one.",
                    MAX_ENDPOINTS_PER_TOKEN=MAX_ENDPOINTS_PER_TOKEN,
                )
            )
        if not ctx.secret_key:
            raise RuntimeError("registering a webhook needs the server's secret key")
        salt = new_salt()
        secret = signing_secret(ctx.secret_key, salt)
        latest = await session.execute(sa.select(sa.func.max(col(OutboxEvent.id))))
        endpoint = WebhookEndpoint(
            token_id=token_id,
            partner_organisation_id=partner_id,
            url=url,
            kinds=kinds,
            secret_salt=salt,
            secret_prefix=secret[:DISPLAY_CHARS],
            # Events from now on: what happened before is for the GraphQL API to tell.
            last_event_id=int(latest.scalar() or 0),
            created_by_id=ctx.require_actor(),
        )
        session.add(endpoint)
        await session.flush()
        record.made(endpoint.id)
        record.change("url", None, url)
        record.change("kinds", None, kinds)
        record.change("token_id", None, token_id)
        record.change("partner_organisation_id", None, partner_id)
        record.change("secret_prefix", None, endpoint.secret_prefix)
        return RegisteredWebhook(endpoint, secret)

    input = {"url": data.url, "kinds": [k.value for k in data.kinds], "token_id": data.token_id}
    return await REGISTER_WEBHOOK.run(ctx, input, handler)


async def disable_webhook(ctx: RequestContext, data: WebhookTarget) -> WebhookEndpoint:
    async def apply(
        session: AsyncSession, endpoint: WebhookEndpoint, record: AuditRecord
    ) -> WebhookEndpoint:
        if endpoint.status is WebhookStatus.DISABLED:
            raise Conflict(tr("That webhook endpoint is already disabled."))
        now = utcnow()
        record.change("status", endpoint.status, WebhookStatus.DISABLED)
        record.change("disabled_reason", endpoint.disabled_reason, DisabledReason.MANUAL)
        endpoint.status = WebhookStatus.DISABLED
        endpoint.disabled_reason = DisabledReason.MANUAL
        endpoint.disabled_at = now
        bump(endpoint)
        await session.flush()
        return endpoint

    return await DISABLE_WEBHOOK.on(ctx, data.id, apply, data={"id": data.id})


async def enable_webhook(ctx: RequestContext, data: WebhookTarget) -> WebhookEndpoint:
    """Enabled again, deliveries resume where they stopped and events since are sent."""

    async def apply(
        session: AsyncSession, endpoint: WebhookEndpoint, record: AuditRecord
    ) -> WebhookEndpoint:
        if endpoint.status is WebhookStatus.ACTIVE:
            raise Conflict(tr("That webhook endpoint is already enabled."))
        token = await session.get(ApiToken, endpoint.token_id)
        if token is None or not token_is_active(token):
            raise Conflict(tr("Its token has expired or was revoked: register with a new token."))
        record.change("status", endpoint.status, WebhookStatus.ACTIVE)
        record.change("disabled_reason", endpoint.disabled_reason, None)
        endpoint.status = WebhookStatus.ACTIVE
        endpoint.disabled_reason = None
        endpoint.disabled_at = None
        endpoint.consecutive_failures = 0
        endpoint.failing_since = None
        bump(endpoint)
        await session.flush()
        record.wake()  # its waiting deliveries are due: the dispatcher sends them now
        return endpoint

    return await ENABLE_WEBHOOK.on(ctx, data.id, apply, data={"id": data.id})


async def delete_webhook(ctx: RequestContext, data: WebhookTarget) -> int:
    """The endpoint goes, with its deliveries and their attempts (the audit log keeps what
    it was)."""

    async def apply(session: AsyncSession, endpoint: WebhookEndpoint, record: AuditRecord) -> int:
        deliveries = sa.select(col(WebhookDelivery.id)).where(
            col(WebhookDelivery.endpoint_id) == endpoint.id
        )
        await session.execute(
            sa.delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries))
        )
        # Redeliveries name the deliveries they repeat: those go first.
        await session.execute(
            sa.delete(WebhookDelivery).where(
                col(WebhookDelivery.endpoint_id) == endpoint.id,
                col(WebhookDelivery.redelivery_of).is_not(None),
            )
        )
        await session.execute(
            sa.delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint.id)
        )
        record.change("url", endpoint.url, None)
        record.change("kinds", endpoint.kinds, None)
        record.change("token_id", endpoint.token_id, None)
        await session.delete(endpoint)
        await session.flush()
        return data.id

    return await DELETE_WEBHOOK.on(ctx, data.id, apply, data={"id": data.id})


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, WebhookEndpoint]:
    if not ids:
        return {}
    rows: list[WebhookEndpoint] = await read_whole(
        ctx.read, readable(ctx).where(col(WebhookEndpoint.id).in_(set(ids)))
    )
    return {row.id: row for row in rows if row.id is not None}


async def list_endpoints(
    ctx: RequestContext, filter: WebhookFilter, window: Window
) -> Page[WebhookEndpoint]:
    statement = readable(ctx)
    if filter.partner_id is not None:
        statement = statement.where(
            col(WebhookEndpoint.partner_organisation_id) == filter.partner_id
        )
    if filter.token_id is not None:
        statement = statement.where(col(WebhookEndpoint.token_id) == filter.token_id)
    if filter.status is not None:
        statement = statement.where(col(WebhookEndpoint.status) == filter.status)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(WebhookEndpoint.id)],
        key_of=lambda endpoint: (endpoint.id,),
        window=window,
        descending=True,
    )
