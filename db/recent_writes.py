"""Who wrote within the read-your-writes window: their reads go to the primary meanwhile.

Kept in this process (free to ask) and, with Redis, in a key per caller that expires with
the window, so a caller's next request reads its writes whichever process serves it.
While Redis cannot be reached each process goes by what it saw itself (logged once per
outage); Redis is tried again after RETRY_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import redis.asyncio as redis
import structlog
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = structlog.get_logger("jinlin.replicas")

REDIS_TIMEOUT_SECONDS = 0.5
RETRY_SECONDS = 5.0


class RecentWrites:
    SWEEP_EVERY = 1024

    def __init__(
        self,
        window: float,
        redis_url: str | None = None,
        *,
        prefix: str = "jinlin:wrote:",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.prefix = prefix
        self._clock = clock
        self._until: dict[str, float] = {}  # caller -> end of its window in this process
        self._until_sweep = self.SWEEP_EVERY
        self._redis = (
            None
            if redis_url is None
            else redis.Redis.from_url(
                redis_url,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
        )
        self._down_until = float("-inf")
        self._down = False

    async def mark(self, caller: str) -> None:
        """CALLER has just committed a write."""
        self._sweep()
        self._until[caller] = self._clock() + self.window
        if self._redis is not None and self._shared():
            try:
                await self._redis.set(self.prefix + caller, 1, px=max(1, round(self.window * 1000)))
            except RedisError as error:
                self._went_down(error)
                return
            self._came_back()

    async def recent(self, caller: str) -> bool:
        """Did CALLER write within the window (here, or anywhere Redis heard of)?"""
        until = self._until.get(caller)
        if until is not None and until > self._clock():
            return True
        if self._redis is None or not self._shared():
            return False
        try:
            found = await self._redis.exists(self.prefix + caller)
        except RedisError as error:
            self._went_down(error)
            return False
        self._came_back()
        return bool(found)

    def _shared(self) -> bool:
        return not self._down or self._clock() >= self._down_until

    def _went_down(self, error: RedisError) -> None:
        self._down_until = self._clock() + RETRY_SECONDS
        if not self._down:
            self._down = True
            log.warning(
                "redis unreachable; read-your-writes holds only within this process",
                error=f"{type(error).__name__}: {error}",
                retry_seconds=RETRY_SECONDS,
            )

    def _came_back(self) -> None:
        if self._down:
            self._down = False
            log.info("redis reachable again; read-your-writes is shared again")

    def _sweep(self) -> None:
        self._until_sweep -= 1
        if self._until_sweep > 0:
            return
        self._until_sweep = self.SWEEP_EVERY
        now = self._clock()
        for caller in [c for c, until in self._until.items() if until <= now]:
            del self._until[caller]

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
