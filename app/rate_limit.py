"""Rate limiting by query cost over a sliding window, per token (or per address without one).

In process by default; with JINLIN_REDIS_URL every app process spends from one shared
budget in Redis (an atomic Lua script over a sorted set per caller).
"""

from __future__ import annotations

import time
import uuid
from collections import deque

import redis.asyncio as redis

from schema.cost import Budget


class MemoryRateLimiter:
    """One process's sliding windows: for each key, the (time, points) spent within it."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._spent: dict[str, deque[tuple[float, int]]] = {}

    async def spend(self, key: str, points: int) -> Budget:
        now = time.monotonic()
        log = self._spent.setdefault(key, deque())
        while log and log[0][0] <= now - self.window:
            log.popleft()
        used = sum(p for _, p in log)
        if used + points > self.limit:
            retry = (log[0][0] + self.window - now) if log else self.window
            return Budget(False, max(0, self.limit - used), max(retry, 0.0))
        log.append((now, points))
        return Budget(True, self.limit - used - points, 0.0)


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

    def __init__(self, url: str, limit: int, window: float, prefix: str = "jinlin:cost:") -> None:
        self.limit = limit
        self.window = window
        self.prefix = prefix
        self._client = redis.Redis.from_url(url)
        self._script = self._client.register_script(_SPEND)

    async def spend(self, key: str, points: int) -> Budget:
        member = f"{points}:{uuid.uuid4().hex}"
        allowed, remaining, retry_ms = await self._script(
            keys=[self.prefix + key], args=[time.time(), self.window, self.limit, points, member]
        )
        return Budget(bool(allowed), max(0, int(remaining)), int(retry_ms) / 1000)

    async def close(self) -> None:
        await self._client.aclose()
