"""Redis unreachable: the rate limit falls back to the process, says so once, and comes back."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import redis.asyncio as redis

from app.factory import create_app
from app.logging import configure_logging
from app.observability import Metrics
from app.rate_limit import RedisRateLimiter, SharedRateLimiter
from app.settings import Settings
from db.engine import Database
from tests.app.conftest import ClientFactory, bearer
from tests.app.processes import free_port
from tests.app.test_rate_limit import REDIS_URL, THREE
from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH, Api


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _closed_redis_url() -> str:
    """A Redis URL on a port of 127.0.0.1 where nothing listens: refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture(autouse=True)
def json_logs() -> None:
    # As the app does; in the setup phase, so pytest's capture handler is added after it.
    configure_logging("INFO")


def _events(caplog: pytest.LogCaptureFixture, prefix: str) -> list[dict[str, Any]]:
    return [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, dict) and str(r.msg.get("event", "")).startswith(prefix)
    ]


def _value(metrics: Metrics, name: str) -> float:
    value = metrics.registry.get_sample_value(name)
    assert value is not None, name
    return value


def _limiter(url: str, clock: Clock, limit: int = 10) -> tuple[SharedRateLimiter, Metrics]:
    metrics = Metrics()
    return SharedRateLimiter(RedisRateLimiter(url, limit, 60), metrics, clock=clock), metrics


async def test_spends_locally_while_redis_is_unreachable_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter, metrics = _limiter(_closed_redis_url(), Clock())
    spent = [await limiter.spend("token:1", 4) for _ in range(3)]
    # The process's own window enforces the same budget: 4 + 4, then 4 more is refused.
    assert [b.allowed for b in spent] == [True, True, False]
    assert [b.remaining for b in spent] == [6, 2, 2]
    assert limiter.degraded
    warnings = _events(caplog, "redis unreachable")
    assert len(warnings) == 1
    assert warnings[0]["level"] == "warning" and "ConnectionError" in warnings[0]["error"]
    assert _value(metrics, "jinlin_redis_outages_total") == 1
    assert _value(metrics, "jinlin_rate_limit_local_spends_total") == 3
    assert _value(metrics, "jinlin_rate_limit_shared") == 0
    await limiter.close()


async def test_a_dead_redis_is_tried_once_per_back_off(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    limiter, _ = _limiter(_closed_redis_url(), clock)
    tries = 0
    real_spend = limiter.shared.spend

    async def counting_spend(key: str, points: int) -> Any:
        nonlocal tries
        tries += 1
        return await real_spend(key, points)

    monkeypatch.setattr(limiter.shared, "spend", counting_spend)
    await limiter.spend("token:1", 1)
    for _ in range(5):  # within the back-off: straight to the process's budget
        clock.now += limiter.retry_seconds / 10
        await limiter.spend("token:1", 1)
    assert tries == 1
    clock.now += limiter.retry_seconds
    await limiter.spend("token:1", 1)  # the back-off is over: one request tries again
    await limiter.spend("token:1", 1)
    assert tries == 2
    await limiter.close()


@pytest.fixture
def redis_port() -> Iterator[int]:
    port = free_port()
    yield port
    subprocess.run(  # noqa: S603 - stop the server the test may have left running
        [_redis_cli(), "-p", str(port), "shutdown", "nosave"], capture_output=True, check=False
    )


def _redis_cli() -> str:
    path = shutil.which("redis-cli")
    assert path, "redis-cli is needed (CI installs and starts redis-server)"
    return path


def _start_redis(port: int) -> subprocess.Popen[bytes]:
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (CI installs and starts it)"
    return subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )


async def _wait_for_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                await client.ping()
                return
            except redis.ConnectionError:
                await asyncio.sleep(0.05)
        raise AssertionError("redis-server did not start")
    finally:
        await client.aclose()


async def test_goes_back_to_redis_when_it_returns_and_falls_back_again(
    redis_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"redis://127.0.0.1:{redis_port}/0"
    clock = Clock()
    limiter, metrics = _limiter(url, clock)
    await limiter.spend("token:1", 4)
    assert limiter.degraded

    process = _start_redis(redis_port)
    try:
        await _wait_for_redis(url)
        await limiter.spend("token:1", 1)  # still backing off: not tried yet
        assert limiter.degraded
        clock.now += limiter.retry_seconds
        shared = await limiter.spend("token:1", 3)
        assert not limiter.degraded
        assert shared.remaining == 7  # the shared window starts empty: 10 - 3
        client = redis.Redis.from_url(url)
        assert await client.zcard("jinlin:cost:token:1") == 1
        await client.aclose()
        assert len(_events(caplog, "redis reachable again")) == 1
        assert _value(metrics, "jinlin_rate_limit_shared") == 1
    finally:
        process.terminate()
        process.wait(timeout=10)

    await limiter.spend("token:1", 1)  # gone again: a second outage, logged once more
    await limiter.spend("token:1", 1)
    assert limiter.degraded
    assert len(_events(caplog, "redis unreachable")) == 2
    assert _value(metrics, "jinlin_redis_outages_total") == 2
    await limiter.close()


@pytest.fixture
def running_app(db: Database, database_url: str) -> ClientFactory:
    """Like app_client, but through the app's lifespan, which closes its Redis client."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = Settings(database_url=database_url, secret_key=SECRET_KEY, **overrides)
        app = create_app(settings, database=db)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                headers=ENGLISH,
                transport=httpx.ASGITransport(app=app),
                base_url="http://jinlin.test",
            ) as client,
        ):
            yield client

    return make


async def test_the_app_serves_requests_while_redis_is_unreachable(
    running_app: ClientFactory, api: Api
) -> None:
    async with running_app(redis_url=_closed_redis_url(), rate_limit_points=10) as client:
        answers = [
            (
                await client.post(
                    "/graphql", json={"query": THREE}, headers=bearer(api.tokens["secretary"])
                )
            ).json()
            for _ in range(4)
        ]
        metrics = (await client.get("/metrics")).text
        ready = await client.get("/readyz")
    # Served, and still limited, by the process's own budget.
    assert ["errors" in a for a in answers[:3]] == [False, False, False]
    assert [a["extensions"]["cost"]["remaining"] for a in answers[:3]] == [7, 4, 1]
    assert answers[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert "jinlin_redis_outages_total 1.0" in metrics
    assert "jinlin_rate_limit_local_spends_total 4.0" in metrics
    assert "jinlin_rate_limit_shared 0.0" in metrics
    # Ready (requests are served) but degraded, and the body says why.
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["database"]["status"] == "ok"
    assert body["redis"] == {"status": "unreachable", "rateLimit": "per process"}


async def test_readiness_names_each_dependency(running_app: ClientFactory) -> None:
    async with running_app(redis_url=REDIS_URL) as client:
        shared = await client.get("/readyz")
    async with running_app() as client:
        alone = await client.get("/readyz")
    assert shared.status_code == 200 and alone.status_code == 200
    assert shared.json()["status"] == "ok" and alone.json()["status"] == "ok"
    assert shared.json()["redis"] == {"status": "ok", "rateLimit": "shared"}
    assert alone.json()["redis"] == {"status": "not configured", "rateLimit": "per process"}
    database = shared.json()["database"]
    assert database["status"] == "ok"
    assert database["migrations"]["current"] == database["migrations"]["head"] is not None


async def test_a_redis_error_is_no_longer_internal(running_app: ClientFactory) -> None:
    # Anonymous callers spend by address: the same fallback applies to them.
    async with running_app(redis_url=_closed_redis_url()) as client:
        response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {
        "data": {"__typename": "Query"},
        "extensions": response.json()["extensions"],
    }
