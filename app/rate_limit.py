"""Rate limiting by query cost over a sliding window, per token (or per address without one).

In process by default; with JINLIN_REDIS_URL every app process spends from one shared
budget in Redis (an atomic Lua script over a sorted set per caller). While Redis cannot
be reached the budget falls back to the process (SharedRateLimiter), so an outage of the
rate limit's store degrades the limit instead of failing every request.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import redis.asyncio as redis
import structlog
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from app.observability import Metrics
from schema.cost import Budget

log = structlog.get_logger("jinlin.rate_limit")

# Redis sits next to the app: a healthy one answers in a millisecond, so a server that
# takes longer than this to accept or answer is treated as down.
REDIS_TIMEOUT_SECONDS = 0.5
# While Redis is down, one request per this many seconds tries it again; the others go
# straight to the process's budget and pay no connect timeout.
REDIS_RETRY_SECONDS = 5.0


@dataclass
class _Window:
    """What one key spent within the window: each (time, points), and their running sum."""

    spends: deque[tuple[float, int]] = field(default_factory=deque)
    used: int = 0

    def forget_before(self, cutoff: float) -> None:
        while self.spends and self.spends[0][0] <= cutoff:
            self.used -= self.spends.popleft()[1]


class MemoryRateLimiter:
    """One process's sliding windows, per key. A spend costs the same however many requests
    the window holds (a running sum, not a sum over them), and keys idle for a whole window
    are forgotten, so a stream of new addresses cannot grow the process without bound."""

    SWEEP_EVERY = 1024

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._windows: dict[str, _Window] = {}
        self._until_sweep = self.SWEEP_EVERY

    async def spend(self, key: str, points: int) -> Budget:
        now = self._clock()
        self._sweep(now)
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = _Window()
        window.forget_before(now - self.window)
        if window.used + points > self.limit:
            oldest = window.spends[0][0] if window.spends else now
            retry = oldest + self.window - now if window.spends else self.window
            return Budget(False, max(0, self.limit - window.used), max(retry, 0.0))
        window.spends.append((now, points))
        window.used += points
        return Budget(True, self.limit - window.used, 0.0)

    def _sweep(self, now: float) -> None:
        self._until_sweep -= 1
        if self._until_sweep > 0:
            return
        self._until_sweep = self.SWEEP_EVERY
        cutoff = now - self.window
        idle = [k for k, w in self._windows.items() if not w.spends or w.spends[-1][0] <= cutoff]
        for key in idle:
            del self._windows[key]

    @property
    def keys_held(self) -> int:
        return len(self._windows)


# KEYS[1] the caller's set; ARGV: now, window, limit, points, member. Members are
# "<points>:<uuid>" scored by time; returns {allowed, remaining, retry_after_ms}.
_SPEND = """
local key, now, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local limit, points, member = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = 0
for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do
  used = used + tonumber(string.match(m, '^(%d+):'))
end
if used + points > limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local retry = window
  if oldest[2] then retry = tonumber(oldest[2]) + window - now end
  return {0, limit - used, math.ceil(retry * 1000)}
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return {1, limit - used - points, 0}
"""


class RedisRateLimiter:
    """Sliding windows in Redis, shared by every app process using the same server."""

    def __init__(
        self,
        url: str,
        limit: int,
        window: float,
        prefix: str = "jinlin:cost:",
        timeout: float = REDIS_TIMEOUT_SECONDS,
        # Wall-clock seconds: every process scores the shared windows on the same scale.
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.window = window
        self.prefix = prefix
        self._clock = clock
        # No retries inside the client: SharedRateLimiter owns the retry policy, and
        # redis-py's default (three retries with back-off) would add seconds to a request.
        self._client = redis.Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._script = self._client.register_script(_SPEND)

    async def spend(self, key: str, points: int) -> Budget:
        member = f"{points}:{uuid.uuid4().hex}"
        allowed, remaining, retry_ms = await self._script(
            keys=[self.prefix + key], args=[self._clock(), self.window, self.limit, points, member]
        )
        return Budget(bool(allowed), max(0, int(remaining)), int(retry_ms) / 1000)

    async def ping(self) -> None:
        """Raises RedisError unless the server answers."""
        await self._client.ping()

    async def close(self) -> None:
        await self._client.aclose()


class SharedRateLimiter:
    """Redis when it answers, the process's own windows while it does not.

    The first failure of an outage is logged (a warning) and counted; then for
    RETRY_SECONDS every request spends locally without touching Redis; after that one
    request tries Redis again (the others keep spending locally meanwhile). When Redis
    answers again that is logged once and the shared budget is back. Budgets spent
    locally during the outage are not carried over: each process limits on its own.
    """

    def __init__(
        self,
        shared: RedisRateLimiter,
        metrics: Metrics,
        *,
        retry_seconds: float = REDIS_RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.shared = shared
        self.local = MemoryRateLimiter(shared.limit, shared.window)
        self.limit = shared.limit
        self.window = shared.window
        self.metrics = metrics
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._down = False
        self._retry_at = 0.0
        metrics.rate_limit_shared.set(1)

    @property
    def degraded(self) -> bool:
        """True while the budget is kept in this process because Redis is unreachable."""
        return self._down

    async def spend(self, key: str, points: int) -> Budget:
        if self._down:
            now = self._clock()
            if now < self._retry_at:
                return await self._spend_locally(key, points)
            self._retry_at = now + self.retry_seconds  # this request probes; others wait
        try:
            budget = await self.shared.spend(key, points)
        except RedisError as error:
            self._went_down(error)
            return await self._spend_locally(key, points)
        self._came_back()
        return budget

    async def check(self) -> bool:
        """Ping Redis now (for /readyz), updating the state as a request would."""
        try:
            await self.shared.ping()
        except RedisError as error:
            self._went_down(error)
            return False
        self._came_back()
        return True

    async def close(self) -> None:
        await self.shared.close()

    async def _spend_locally(self, key: str, points: int) -> Budget:
        self.metrics.rate_limit_fallbacks.inc()
        return await self.local.spend(key, points)

    def _went_down(self, error: RedisError) -> None:
        self._retry_at = self._clock() + self.retry_seconds
        if self._down:
            return
        self._down = True
        self.metrics.rate_limit_shared.set(0)
        self.metrics.redis_outages.inc()
        log.warning(
            "redis unreachable; the rate limit falls back to this process",
            error=f"{type(error).__name__}: {error}",
            retry_seconds=self.retry_seconds,
        )

    def _came_back(self) -> None:
        if not self._down:
            return
        self._down = False
        self.metrics.rate_limit_shared.set(1)
        log.info("redis reachable again; the rate limit is shared again")
