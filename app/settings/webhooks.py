"""The webhook dispatcher: where it runs, how it retries and when it gives up."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class WebhookSettings(BaseSettings):
    webhooks_in_serve: bool = Field(
        default=False,
        description="Run the webhook dispatcher inside each `serve` process as well (without "
        "it, run `jinlin worker`); any number of dispatchers may run at once.",
    )
    webhook_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the dispatcher looks for new events without a wake-up (it is "
        "woken when events commit, as live feeds are, and when a retry falls due): what an "
        "event waits at most when its wake-up is lost.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds one POST to a receiver may take."
    )
    webhook_retry_base_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Wait after a delivery's first failure; doubled after each further one, "
        "with jitter.",
    )
    webhook_retry_cap_seconds: float = Field(
        default=6 * 3600.0, gt=0, description="The longest wait between two attempts."
    )
    webhook_max_attempts: int = Field(
        default=12, gt=0, description="Attempts of one delivery before it is given up on."
    )
    webhook_disable_after_failures: int = Field(
        default=20, gt=0, description="Failed attempts in a row that disable an endpoint …"
    )
    webhook_disable_after_hours: float = Field(
        default=24.0, ge=0, description="… once they have gone on at least this long."
    )
    webhook_allow_private_addresses: bool = Field(
        default=False,
        description="Send to loopback and private addresses too (development); otherwise an "
        "endpoint resolving to one fails, so no partner can make the server call its own "
        "network.",
    )
