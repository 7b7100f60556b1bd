"""GET /readyz: may this process take traffic, and in what state are its dependencies?

The database is required: unreachable, or its schema not at the migrations' head, makes
the process unready (503), so a load balancer sends its traffic elsewhere. Redis is not:
without it the rate limit falls back to each process (app/rate_limit.py) and requests are
still served, so an unreachable Redis leaves the process ready (200) but "degraded"; so do
read replicas of which none is fit to read from (reads go to the primary meanwhile).
The body names each dependency's state either way. A process told to stop (SIGTERM,
app/draining.py) is unready from that moment, whatever its dependencies say.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.draining import Draining
from app.rate_limit import MemoryRateLimiter, SharedRateLimiter
from db.engine import Database

# Each check gives up after this long; a probe must answer well within its own timeout.
CHECK_SECONDS = 3.0


class Readiness:
    def __init__(
        self,
        db: Database,
        expected_revision: str | None,
        limiter: MemoryRateLimiter | SharedRateLimiter,
        draining: Draining | None = None,
    ) -> None:
        self.draining = draining or Draining(0)
        self.db = db
        self.expected_revision = expected_revision
        self.limiter = limiter

    async def database(self) -> dict[str, Any]:
        try:
            async with asyncio.timeout(CHECK_SECONDS), self.db.read_sessions() as session:
                current = (
                    await session.execute(sa.text("SELECT version_num FROM alembic_version"))
                ).scalar_one_or_none()
        except Exception:  # whatever the cause, the database cannot serve this process
            return {"status": "unreachable"}
        migrations = {"current": current, "head": self.expected_revision}
        if current != self.expected_revision:
            return {"status": "migrations pending", "migrations": migrations}
        return {"status": "ok", "migrations": migrations}

    async def redis(self) -> dict[str, Any]:
        if not isinstance(self.limiter, SharedRateLimiter):
            return {"status": "not configured", "rateLimit": "per process"}
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                reachable = await self.limiter.check()
        except TimeoutError:
            reachable = False
        if reachable:
            return {"status": "ok", "rateLimit": "shared"}
        return {"status": "unreachable", "rateLimit": "per process"}

    async def replicas(self) -> list[dict[str, object]] | None:
        """The read replicas' states, measured now if the last check is old; None without."""
        routing = self.db.routing
        if routing is None:
            return None
        if routing.replicas.due():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CHECK_SECONDS):
                    await routing.replicas.check()
        return routing.replicas.states()

    async def endpoint(self, request: Request) -> JSONResponse:
        if self.draining.active:
            return JSONResponse({"status": "draining"}, status_code=503)
        database, redis, replicas = await asyncio.gather(
            self.database(), self.redis(), self.replicas()
        )
        # Replicas are not required either: without one in use every read goes to the primary.
        no_replica = replicas is not None and all(r["status"] != "in use" for r in replicas)
        if database["status"] != "ok":
            status, code = "unavailable", 503
        elif redis["status"] == "unreachable" or no_replica:
            status, code = "degraded", 200
        else:
            status, code = "ok", 200
        body: dict[str, Any] = {"status": status, "database": database, "redis": redis}
        if replicas is not None:
            body["replicas"] = replicas
        return JSONResponse(body, status_code=code)
