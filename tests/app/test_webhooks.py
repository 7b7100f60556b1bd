"""The app's share of webhooks: a dispatcher inside `serve` when the settings ask for it."""

from __future__ import annotations

import asyncio

from app.settings import Settings
from app.webhooks import delivering, dispatch_policy
from db.engine import Database
from tests.conftest import AUDIT_KEY, AUDIT_SIGNING_KEY, SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import report
from tests.webhook_helpers import partner_token, register
from tests.webhook_receiver import running_receiver


def settings(database_url: str, **changes: object) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        audit_key=AUDIT_KEY,
        audit_signing_key=AUDIT_SIGNING_KEY,
        webhook_allow_private_addresses=True,
        webhook_poll_seconds=0.05,
        **changes,  # type: ignore[arg-type]
    )


async def requests_within(seconds: float, count: int, received: list[object]) -> int:
    """How many requests arrived, waiting up to SECONDS for COUNT of them (no database use
    meanwhile: the dispatcher has the test's one connection)."""
    for _ in range(int(seconds / 0.05)):
        if len(received) >= count:
            break
        await asyncio.sleep(0.05)
    return len(received)


async def test_serve_dispatches_webhooks_when_asked(
    api: Api, db: Database, database_url: str
) -> None:
    with running_receiver() as receiver:
        token = await partner_token(api)
        await register(api, as_=token["secret"], url=receiver.url)
        await report(api)
        async with delivering(settings(database_url), db):
            assert await requests_within(0.5, 1, receiver.requests) == 0  # not asked
        async with delivering(settings(database_url, webhooks_in_serve=True), db):
            assert await requests_within(10, 1, receiver.requests) == 1


def test_the_policy_comes_from_the_settings(database_url: str) -> None:
    policy = dispatch_policy(
        settings(
            database_url,
            webhook_retry_base_seconds=5,
            webhook_max_attempts=3,
            webhook_disable_after_failures=7,
            webhook_disable_after_hours=2,
        )
    )
    assert (policy.retry.base_seconds, policy.retry.max_attempts) == (5, 3)
    assert (policy.disable.failures, policy.disable.window.total_seconds()) == (7, 7200)
    assert policy.allow_private_addresses
