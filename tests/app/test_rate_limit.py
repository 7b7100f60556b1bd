"""Rate limiting by query cost: per token, over a sliding window, shared through Redis."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import redis.asyncio as redis

from app.rate_limit import MemoryRateLimiter, RedisRateLimiter
from tests.app.conftest import ClientFactory, bearer
from tests.app.processes import app_env, free_ports, running, uvicorn_command, wait_ready
from tests.helpers import ENGLISH, Api

REDIS_URL = os.environ.get("JINLIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
THREE = "{ positions(first: 3) { edges { node { id } } } }"  # costs 3


@pytest.fixture
async def clean_redis() -> AsyncIterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield REDIS_URL
    await client.flushdb()
    await client.aclose()


@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_a_budget_runs_out_and_comes_back(kind: str, clean_redis: str) -> None:
    seconds = [1000.0]

    def clock() -> float:
        return seconds[0]

    limiter = (
        MemoryRateLimiter(10, 2.0, clock)
        if kind == "memory"
        else RedisRateLimiter(clean_redis, 10, 2.0, clock=clock)
    )
    spent = [await limiter.spend("token:1", 4) for _ in range(3)]
    assert [b.allowed for b in spent] == [True, True, False]
    assert [b.remaining for b in spent] == [6, 2, 2]
    assert 0 < spent[-1].retry_after <= 2.0
    assert (await limiter.spend("token:2", 4)).allowed  # another caller, another budget
    seconds[0] += 2.1  # the window passes, without waiting for it
    assert (await limiter.spend("token:1", 10)).allowed
    if isinstance(limiter, RedisRateLimiter):
        await limiter.close()


async def test_processes_share_one_budget_in_redis(clean_redis: str) -> None:
    first = RedisRateLimiter(clean_redis, 10, 5)
    second = RedisRateLimiter(clean_redis, 10, 5)
    assert (await first.spend("token:9", 6)).allowed
    refused = await second.spend("token:9", 6)
    assert not refused.allowed and refused.remaining == 4
    await first.close()
    await second.close()


async def test_the_app_refuses_over_budget_and_reports_what_is_left(
    app_client: ClientFactory, api: Api
) -> None:
    async with app_client(rate_limit_points=10) as client:
        answers = [
            (
                await client.post(
                    "/graphql", json={"query": THREE}, headers=bearer(api.tokens["secretary"])
                )
            ).json()
            for _ in range(4)
        ]
        other = (
            await client.post(
                "/graphql", json={"query": THREE}, headers=bearer(api.tokens["supervisor"])
            )
        ).json()
    assert [a["extensions"]["cost"]["remaining"] for a in answers[:3]] == [7, 4, 1]
    refused = answers[3]
    assert refused["data"] is None
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] > 0
    assert "try again in" in error["message"]
    assert "errors" not in other  # the supervisor's token has its own budget


@pytest.fixture
def two_servers(database_url: str, clean_redis: str) -> Iterator[list[str]]:
    env = app_env(
        database_url,
        redis_url=clean_redis,
        rate_limit_points="10",
        rate_limit_window_seconds="30",
    )
    ports = free_ports(2)
    with running([uvicorn_command(port) for port in ports], env):
        yield [f"http://127.0.0.1:{port}" for port in ports]


async def test_two_app_processes_spend_one_budget(two_servers: list[str], api: Api) -> None:
    for url in two_servers:
        await wait_ready(url)
    codes = []
    async with httpx.AsyncClient(headers=ENGLISH, timeout=30) as client:
        for n in range(4):
            response = await client.post(
                f"{two_servers[n % 2]}/graphql",
                json={"query": THREE},
                headers=bearer(api.tokens["committee_member"]),
            )
            answer = response.json()
            codes.append(answer["errors"][0]["extensions"]["code"] if "errors" in answer else "OK")
    assert codes == ["OK", "OK", "OK", "RATE_LIMITED"]


async def test_the_process_budget_forgets_callers_idle_for_a_window() -> None:
    """A stream of new addresses must not grow the process: idle keys are swept away."""
    clock = [1000.0]
    limiter = MemoryRateLimiter(limit=10, window=60, clock=lambda: clock[0])
    for n in range(MemoryRateLimiter.SWEEP_EVERY):
        assert (await limiter.spend(f"address:{n}", 1)).allowed
    assert limiter.keys_held == MemoryRateLimiter.SWEEP_EVERY
    clock[0] += 61
    for _ in range(MemoryRateLimiter.SWEEP_EVERY):
        await limiter.spend("address:busy", 0)
    assert limiter.keys_held == 1
    # What a key still holds within its window keeps counting after a sweep.
    assert (await limiter.spend("address:busy", 10)).allowed
    assert not (await limiter.spend("address:busy", 1)).allowed
