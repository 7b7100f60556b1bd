"""Subscriptions: how live feeds poll, check their callers and bound what they hold."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class LiveSettings(BaseSettings):
    live_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often a subscription looks for new events in the outbox without a "
        "wake-up (one indexed statement per look): what an event waits at most when its "
        "wake-up is lost.",
    )
    live_access_check_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often an open WebSocket connection checks its token and grants while "
        "idle, and how old that check may be at a delivery: a revoked or expired token "
        "closes it (4401), an ended position (4403), within this time.",
    )
    live_max_backlog: int = Field(
        default=500,
        gt=0,
        description="Events one WebSocket connection may leave undelivered; a client further "
        "behind is closed with code 4413 (it resumes with `after`).",
    )
    max_subscriptions_per_connection: int = Field(
        default=10, gt=0, description="Subscriptions one WebSocket connection may run at once."
    )
    max_subscriptions_per_token: int = Field(
        default=20,
        gt=0,
        description="Subscriptions one token may run at once in one app process, over all its "
        "connections (beyond: RATE_LIMITED).",
    )
