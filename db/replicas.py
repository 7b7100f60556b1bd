"""Read replicas: which of them may serve a read now, measured off the request path.

A replica is used while its lag, measured at most ``stale_after`` ago, is within
``max_lag``. The lag is measured the way the WAL orders commits, not by clocks: each
check reads the primary's position (``pg_current_wal_lsn()``), then every replica's
replayed position (``pg_last_wal_replay_lsn()``); a replica that has replayed the
position the primary had at moment t holds every commit made before t, so its lag is
the time since the latest such t the set remembers. Checks run in the background when
a read asks for a replica and the last one is older than ``check_seconds``: one
statement on the primary and one per replica per interval, none per request, none
while idle.

A server that is not in recovery (``pg_last_wal_replay_lsn()`` is NULL) is taken as
current: the tests' stand-in replica is a second database that does not replicate.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import PoolOptions, create_engine
from db.recent_writes import RecentWrites

log = structlog.get_logger("jinlin.replicas")


class Positions(Protocol):
    """Where the primary's WAL is and how far a replica has replayed it (bytes)."""

    async def primary(self) -> int: ...

    async def replayed(self, replica: AsyncEngine) -> int | None:
        """None: the server is not a standby (nothing to wait for)."""
        ...


_PRIMARY_LSN = sa.text("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
_REPLAYED_LSN = sa.text("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")


@dataclass(frozen=True)
class WalPositions:
    primary_engine: AsyncEngine

    async def primary(self) -> int:
        async with self.primary_engine.connect() as connection:
            return int((await connection.execute(_PRIMARY_LSN)).scalar_one())

    async def replayed(self, replica: AsyncEngine) -> int | None:
        async with replica.connect() as connection:
            value = (await connection.execute(_REPLAYED_LSN)).scalar_one()
        return None if value is None else int(value)


@dataclass
class Replica:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    name: str  # the URL without its password, for the log
    lag: float | None = None  # seconds; None: unknown or unreachable
    measured_at: float = float("-inf")
    usable: bool | None = None  # None until first measured


class ReplicaSet:
    """The replicas of one primary and their health, shared by every request of a process."""

    def __init__(
        self,
        engines: Sequence[AsyncEngine],
        positions: Positions,
        *,
        max_lag: float,
        check_seconds: float,
        check_timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.replicas = [
            Replica(
                engine=engine,
                sessions=async_sessionmaker(engine, expire_on_commit=False),
                name=engine.url.render_as_string(hide_password=True),
            )
            for engine in engines
        ]
        self.positions = positions
        self.max_lag = max_lag
        self.check_seconds = check_seconds
        # A measurement older than this says nothing about now: the replica is not used.
        self.stale_after = 2 * check_seconds
        self.check_timeout = check_timeout
        self._clock = clock
        # (moment, primary position) of recent checks, oldest first: enough to see a lag
        # up to max_lag plus the time between checks.
        self._history: deque[tuple[float, int]] = deque(maxlen=int(max_lag / check_seconds) + 4)
        self._turn = itertools.count()
        self._checking: asyncio.Task[None] | None = None
        self._checked_at = float("-inf")

    def pick(self) -> async_sessionmaker[AsyncSession] | None:
        """Sessions of a replica fit to read from now (in turn), or None: read the primary."""
        now = self._clock()
        if self.due():
            self._check_soon()
        usable = [r for r in self.replicas if self._fit(r, now)]
        if not usable:
            return None
        return usable[next(self._turn) % len(usable)].sessions

    def due(self) -> bool:
        """The last check is older than check_seconds."""
        return self._clock() - self._checked_at >= self.check_seconds

    def _fit(self, replica: Replica, now: float) -> bool:
        return bool(replica.usable) and now - replica.measured_at <= self.stale_after

    def states(self) -> list[dict[str, object]]:
        """Each replica, whether reads use it now, and its lag as last measured (for /readyz)."""
        now = self._clock()
        return [
            {"replica": r.name, "status": self._state(r, now), "lagSeconds": r.lag}
            for r in self.replicas
        ]

    def _state(self, replica: Replica, now: float) -> str:
        if self._fit(replica, now):
            return "in use"
        return "skipped" if replica.usable is False else "not measured"

    def _check_soon(self) -> None:
        if self._checking is None or self._checking.done():
            self._checked_at = self._clock()
            self._checking = asyncio.get_running_loop().create_task(self.check())

    async def check(self) -> None:
        """Measure every replica's lag now."""
        # The position is dated when it was asked for: it holds every commit made before
        # then (dated on the answer, a slow answer would understate the lag).
        at = self._checked_at = self._clock()
        try:
            async with asyncio.timeout(self.check_timeout):
                position = await self.positions.primary()
        except Exception as error:  # the primary itself: no replica can be judged
            log.warning("replica check: primary position unknown", error=_describe(error))
            return
        self._history.append((at, position))
        await asyncio.gather(*(self._measure(replica) for replica in self.replicas))

    async def _measure(self, replica: Replica) -> None:
        try:
            async with asyncio.timeout(self.check_timeout):
                replayed = await self.positions.replayed(replica.engine)
        except Exception as error:
            self._judge(replica, None, f"unreachable: {_describe(error)}")
            return
        now = self._clock()
        if replayed is None:
            self._judge(replica, 0.0, None)
            return
        caught_up_at = max((at for at, p in self._history if p <= replayed), default=None)
        if caught_up_at is None:  # behind every position remembered
            self._judge(replica, None, "lagging beyond the positions remembered")
            return
        self._judge(replica, max(0.0, now - caught_up_at), None)

    def unreachable(self, sessions: async_sessionmaker[AsyncSession], error: BaseException) -> None:
        """A request could not connect to the replica SESSIONS come from: skip it until a
        check finds it back."""
        for replica in self.replicas:
            if replica.sessions is sessions:
                self._judge(replica, None, f"unreachable: {_describe(error)}")

    def _judge(self, replica: Replica, lag: float | None, problem: str | None) -> None:
        replica.lag = lag
        replica.measured_at = self._clock()
        usable = lag is not None and lag <= self.max_lag
        if usable == replica.usable:
            return
        replica.usable = usable
        if usable:
            log.info("replica in use", replica=replica.name, lag_seconds=lag)
        else:
            log.warning(
                "replica skipped; reads go to the primary",
                replica=replica.name,
                reason=problem or f"lag {lag:.3f} s over {self.max_lag:g} s",
                lag_seconds=lag,
            )

    async def dispose(self) -> None:
        if self._checking is not None and not self._checking.done():
            self._checking.cancel()
            await asyncio.gather(self._checking, return_exceptions=True)
        for replica in self.replicas:
            await replica.engine.dispose()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0][:300]


@dataclass
class ReadRouting:
    """Where a caller's reads go: the primary within its read-your-writes window or while
    no replica is fit, else a replica."""

    replicas: ReplicaSet
    recent: RecentWrites

    async def sessions_for(self, caller: str | None) -> async_sessionmaker[AsyncSession] | None:
        """A replica's sessions, or None for the primary."""
        if caller is not None and await self.recent.recent(caller):
            return None
        return self.replicas.pick()

    async def close(self) -> None:
        await self.replicas.dispose()
        await self.recent.close()


def read_routing(
    primary: AsyncEngine,
    urls: Sequence[str],
    *,
    pool: PoolOptions,
    max_lag: float,
    check_seconds: float,
    window: float,
    redis_url: str | None,
) -> ReadRouting:
    """Engines for the replicas (sized as the primary's), their health, and the callers'
    write windows."""
    # A replica's connections are pinged at every checkout: a standby gone since its last
    # check is then found before a statement, and the reads go to the primary unseen.
    always_pinged = replace(pool, ping_after_idle_seconds=0)
    replicas = ReplicaSet(
        [create_engine(url, pool=always_pinged) for url in urls],
        WalPositions(primary),
        max_lag=max_lag,
        check_seconds=check_seconds,
    )
    return ReadRouting(replicas, RecentWrites(window, redis_url))
