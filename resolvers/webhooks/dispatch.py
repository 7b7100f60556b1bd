"""The webhook dispatcher: outbox events to the endpoints whose tokens may read them.

Two steps, both with their state in the database, so any number of dispatchers (a
`jinlin worker`, or each `serve` process) can run and stop at any moment: fan-out
(resolvers/webhooks/fan_out.py) queues a delivery for each new event an endpoint's token may
read, and sending (resolvers/webhooks/sending.py) claims what is due, POSTs it signed and
records the attempt.

Between passes a dispatcher does not poll: it waits on the outbox wake-ups the live feeds
wait on (db/outbox_signal.py: Redis pub/sub, PostgreSQL LISTEN/NOTIFY or in process) and on
the next delivery falling due (a retry's backoff, a lease running out), with a slow fallback
poll only for a lost wake-up.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
import structlog

from db import clock
from db.engine import Database
from db.outbox_signal import Ticket
from resolvers.webhooks.fan_out import fan_out
from resolvers.webhooks.pinning import Resolver, system_resolver
from resolvers.webhooks.policy import DispatchPolicy
from resolvers.webhooks.sending import Claimed, Render, Sender

__all__ = ["DispatchPolicy", "Dispatcher", "Pass", "Render"]

log = structlog.get_logger("jinlin.webhooks")

# After a failed pass (the database away) the next is tried this soon, whatever the poll.
RETRY_FAILED_PASS_SECONDS = 5.0


@dataclass(frozen=True)
class Pass:
    """What one pass did: deliveries made by fan-out, attempts made."""

    fanned_out: int
    attempted: int
    # A step filled its batch: run again at once rather than after the poll interval.
    busy: bool = False


class Dispatcher:
    def __init__(
        self,
        db: Database,
        *,
        server_key: str,
        render: Render,
        policy: DispatchPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolve: Resolver = system_resolver,
    ) -> None:
        self.db = db
        self.policy = policy or DispatchPolicy()
        self.sender = Sender(
            db,
            server_key=server_key,
            render=render,
            policy=self.policy,
            transport=transport,
            resolve=resolve,
        )

    async def aclose(self) -> None:
        await self.sender.aclose()

    async def run(self, *, poll_seconds: float, stop: asyncio.Event) -> None:
        """Pass after pass until STOP is set. Between passes it waits until an outbox event
        commits, the next delivery falls due or POLL_SECONDS pass (the fallback for a lost
        wake-up), whichever comes first; a failing pass (the database away) is logged and
        tried again within RETRY_FAILED_PASS_SECONDS."""
        while not stop.is_set():
            # Taken before the pass: an event committed during it wakes the wait after it.
            ticket = self.db.signal.ticket()
            wait = poll_seconds
            try:
                done = await self.run_once()
                if done.busy:
                    continue
                due = await self.sender.next_due()
                if due is not None:
                    wait = min(wait, max(0.0, (due - clock.now()).total_seconds()))
            except Exception:
                log.exception("webhook dispatch pass failed")
                wait = min(wait, RETRY_FAILED_PASS_SECONDS)
            await _woken(ticket, stop, wait)

    async def run_once(self) -> Pass:
        """Fan out the new events, then send what is due (a few POSTs at a time)."""
        fanned, fan_busy = await self.fan_out()
        claimed = await self.claim()
        limit = asyncio.Semaphore(self.policy.concurrency)

        async def attempt(one: Claimed) -> None:
            async with limit:
                await self.sender.attempt(one)

        await asyncio.gather(*(attempt(one) for one in claimed))
        return Pass(fanned, len(claimed), fan_busy or len(claimed) >= self.policy.batch)

    async def fan_out(self) -> tuple[int, bool]:
        return await fan_out(self.db, batch=self.policy.batch)

    async def claim(self) -> list[Claimed]:
        return await self.sender.claim()


async def _woken(ticket: Ticket, stop: asyncio.Event, seconds: float) -> None:
    """Until TICKET is woken, STOP is set or SECONDS pass."""
    woken = asyncio.ensure_future(ticket.wait(seconds))
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({woken, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        woken.cancel()
        stopped.cancel()
