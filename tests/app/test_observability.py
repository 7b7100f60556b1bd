"""The request log line and the Prometheus metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

NAMED = {"query": "query MyRoles { me { roles { role } } }"}


@pytest.fixture
async def client(app_client: ClientFactory) -> AsyncIterator[httpx.AsyncClient]:
    # Built before the test runs: the app configures logging, which would drop caplog's handler.
    async with app_client() as client:
        yield client


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == "request"
    ]


async def test_one_log_line_per_request_with_operation_actor_cost_and_sql(
    client: httpx.AsyncClient, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    token = api.tokens["secretary"]
    response = await client.post(
        "/graphql", json=NAMED, headers={**bearer(token), "X-Request-ID": "req-log-1"}
    )
    named = await client.post(
        "/graphql",
        json={
            "query": "query A { me { roles { role } } } query B { me { person { name } } }",
            "operationName": "B",
        },
        headers=bearer(token),
    )
    assert response.status_code == 200 and named.status_code == 200
    lines = _request_lines(caplog)
    assert len(lines) == 2
    line = lines[0]
    assert line["request_id"] == "req-log-1"
    assert line["operation"] == "MyRoles"
    assert isinstance(line["person_id"], int) and isinstance(line["token_id"], int)
    assert line["cost"] == response.json()["extensions"]["cost"]["requested"]
    assert line["sql_statements"] >= 1  # the token lookup at least
    assert line["status"] == 200 and line["duration_ms"] >= 0
    assert token not in str(line) and "jl_" not in str(line)
    assert lines[1]["operation"] == "B"


async def test_error_codes_are_logged(
    client: httpx.AsyncClient, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    await client.post(
        "/graphql", json={"query": "{ nope }"}, headers=bearer(api.tokens["resident"])
    )
    await client.post(
        "/graphql", json={"query": "{ me }"}, headers={"Authorization": "Bearer jl_wrong"}
    )
    codes = [line.get("error_codes") for line in _request_lines(caplog)]
    assert codes == [["GRAPHQL_VALIDATION_FAILED"], ["UNAUTHENTICATED"]]


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name + "{"):
            continue
        series, value = line.rsplit(" ", 1)
        if all(f'{key}="{val}"' in series for key, val in labels.items()):
            return float(value)
    return 0.0


async def test_metrics_count_requests_errors_latency_and_statements(
    app_client: ClientFactory, api: Api
) -> None:
    async with app_client() as client:
        for _ in range(2):
            ok = await client.post("/graphql", json=NAMED, headers=bearer(api.tokens["secretary"]))
            assert ok.status_code == 200
        await client.post("/graphql", json={"query": "{ nope }"})
        await client.post("/graphql", data={"query": "{ me }"})
        await client.get("/healthz")
        metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    requests = "jinlin_http_requests_total"
    assert _sample(text, requests, route="/graphql", method="POST", status="200") == 3
    assert _sample(text, requests, route="/graphql", method="POST", status="415") == 1
    assert _sample(text, requests, route="/healthz", method="GET", status="200") == 1
    errors = "jinlin_graphql_errors_total"
    assert _sample(text, errors, code="GRAPHQL_VALIDATION_FAILED") == 1
    assert _sample(text, errors, code="UNSUPPORTED_MEDIA_TYPE") == 1
    assert _sample(text, "jinlin_http_request_duration_seconds_count", route="/graphql") == 4
    assert _sample(text, "jinlin_sql_statements_per_request_count", route="/graphql") == 4
    assert _sample(text, "jinlin_sql_statements_per_request_sum", route="/graphql") >= 2


async def test_each_app_has_its_own_registry(app_client: ClientFactory) -> None:
    async with app_client() as first, app_client() as second:
        await first.get("/healthz")
        second_metrics = (await second.get("/metrics")).text
    assert _sample(second_metrics, "jinlin_http_requests_total", route="/healthz") == 0
