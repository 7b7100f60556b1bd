"""Webhook endpoints and deliveries in compounds A and B, for the matrix to find (the demo
city has none): each registered by its compound's secretary for a partner token over it (A's
partner unit, B's firm),
with a delivery queued for an issue reported there."""

from __future__ import annotations

from app.webhooks import render
from resolvers.webhooks.dispatch import Dispatcher
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import FIRM_B, PARTNER, org, report
from tests.partner_setup import issue
from tests.webhook_helpers import register


async def webhooks_in_a_and_b(api: Api) -> None:
    for key, secretary, partner in (("a", "secretary", PARTNER), ("b", "secretary_b", FIRM_B)):
        token = await issue(
            api,
            scopes=["ISSUES_READ", "WEBHOOKS_MANAGE"],
            as_=secretary,
            partner=await org(api, partner),
            organisations=[api.ids[f"compound_{key}"]],
        )
        await register(api, as_=secretary, token=token["token"]["id"])
        await report(api, as_="resident" if key == "a" else "resident_b", compound=key)
    dispatcher = Dispatcher(api.db, server_key=SECRET_KEY, render=render)
    try:
        made, _ = await dispatcher.fan_out()
    finally:
        await dispatcher.aclose()
    assert made == 2
