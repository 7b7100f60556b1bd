"""Before a document is validated it is charged to the caller's budget, and parsing and
validation run off the event loop, inside the request timeout."""

from __future__ import annotations

import asyncio
import importlib
import time
from typing import Any

import httpx
import pytest

from schema import documents as pipeline
from tests.adversarial_documents import doubling
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

# graphql.validation.validate names the function; the module is here.
VALIDATION = importlib.import_module("graphql.validation.validate")


async def _post(client: httpx.AsyncClient, api: Api, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json=body, headers=bearer(api.tokens["secretary"]))
    answer: dict[str, Any] = response.json()
    return answer


def _codes(answer: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in answer.get("errors", [])]


async def test_invalid_and_unparsable_documents_are_charged(
    app_client: ClientFactory, api: Api
) -> None:
    async with app_client(rate_limit_points=3) as client:
        answers = [
            await _post(client, api, {"query": "{ positons { totalCount } }"}),
            await _post(client, api, {"query": "{ me { "}),
            await _post(
                client, api, {"query": "query A { me { roles { role } } } query B { __typename }"}
            ),
            await _post(client, api, {"query": "{ me { roles { role } } }"}),
        ]
    assert [_codes(a) for a in answers] == [
        ["GRAPHQL_VALIDATION_FAILED"],
        ["GRAPHQL_PARSE_FAILED"],
        ["GRAPHQL_VALIDATION_FAILED"],
        ["RATE_LIMITED"],
    ]


async def test_a_caller_over_budget_gets_no_validation(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    validations = []
    real = VALIDATION.ValidationContext

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            validations.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(VALIDATION, "ValidationContext", Counting)
    async with app_client(rate_limit_points=11) as client:
        validations.clear()  # the app validated its console's documents as it started
        first = await _post(client, api, {"query": "{ me { roles { role } } }"})  # costs 11
        refused = await _post(client, api, {"query": "{ me { person { name } } }"})
    assert "errors" not in first
    assert _codes(refused) == ["RATE_LIMITED"]
    assert len(validations) == 1


async def test_the_doubling_document_is_refused_over_http_at_once(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At once: the linear limits refuse it before graphql-core's validation sees it."""
    validated: list[object] = []
    real_validate = pipeline.validate

    def counting(*args: Any, **kwargs: Any) -> Any:
        validated.append(args[1])
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(pipeline, "validate", counting)
    async with app_client() as client:
        validated.clear()  # the app validated its console's documents as it started
        answer = await _post(client, api, {"query": doubling(30)})
    assert _codes(answer) == ["GRAPHQL_VALIDATION_FAILED"]
    assert validated == []


async def test_slow_validation_is_stopped_by_the_timeout_and_blocks_nobody(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = VALIDATION.ValidationContext

    class Slow(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            time.sleep(1.5)  # CPU-bound validation, as far as the event loop can tell
            super().__init__(*args, **kwargs)

    async with app_client(request_timeout_seconds=0.3) as client:
        # Slowed once the app has started (it validates its console's documents as it starts).
        monkeypatch.setattr(VALIDATION, "ValidationContext", Slow)

        async def slow() -> tuple[int, float]:
            started = time.perf_counter()
            response = await client.post(
                "/graphql",
                json={"query": "{ me { roles { role } } }"},
                headers=bearer(api.tokens["secretary"]),
            )
            return response.status_code, time.perf_counter() - started

        async def health() -> float:
            await asyncio.sleep(0.05)
            started = time.perf_counter()
            assert (await client.get("/healthz")).status_code == 200
            return time.perf_counter() - started

        (status, took), health_took = await asyncio.gather(slow(), health())
    assert status == 503
    assert took < 1.45  # answered at the timeout (0.3 s), not when validation ends (1.5 s)
    assert health_took < 1.0  # not queued behind the 1.5 s validation
