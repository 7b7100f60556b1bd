"""Webhook endpoints the tests register through the real mutations."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api
from tests.issue_helpers import ok
from tests.partner_setup import issue

ENDPOINT_FIELDS = "id url kinds status disabledReason secretPrefix version"
REGISTERED = f"secret endpoint {{ {ENDPOINT_FIELDS} }}"
RECEIVER = "https://partner.example/hooks/jinlin"
ISSUE_KINDS = ["ISSUE_REPORTED", "ISSUE_CLAIMED", "ISSUE_COMMENTED"]


async def partner_token(api: Api, scopes: list[str] | None = None) -> dict[str, Any]:
    """A new token for A's partner unit over compound A: {secret, token {id}}."""
    return await issue(api, scopes=scopes or ["ISSUES_READ", "WEBHOOKS_MANAGE"])


async def register(
    api: Api,
    *,
    as_: str = "secretary",
    token: str | None = None,
    url: str = RECEIVER,
    kinds: list[str] | None = None,
) -> dict[str, Any]:
    """Register an endpoint; returns {secret, endpoint {...}}."""
    input: dict[str, Any] = {"url": url, "kinds": kinds or ISSUE_KINDS}
    if token is not None:
        input["token"] = token
    return await ok(api, "registerWebhook", input, as_=as_, selection=REGISTERED)


async def registered_for_new_token(
    api: Api, *, url: str = RECEIVER, kinds: list[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the token, the registration) of an endpoint A's secretary registers for a new token."""
    token = await partner_token(api)
    return token, await register(api, token=token["token"]["id"], url=url, kinds=kinds)
