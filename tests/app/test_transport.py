"""Transport rules for /graphql: media type, methods, body size, timeout, CORS."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa

from resolvers.organisations import queries as organisations
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

ME = {"query": "{ me { person { name } } }"}


def _only_error(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json")
    errors = response.json()["errors"]
    assert len(errors) == 1
    error: dict[str, Any] = errors[0]
    return error


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"],
)
async def test_json_posts_are_accepted(
    app_client: ClientFactory, api: Api, content_type: str
) -> None:
    async with app_client() as client:
        response = await client.post(
            "/graphql",
            content=json.dumps(ME),
            headers={**bearer(api.tokens["secretary"]), "Content-Type": content_type},
        )
    assert response.status_code == 200
    assert response.json()["data"]["me"]["person"]["name"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "query=%7B+me+%7B+person+%7B+name+%7D+%7D+%7D"),
        ("text/plain", json.dumps(ME)),
        (
            "multipart/form-data; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--',
        ),
        ("application/graphql", "{ me { person { name } } }"),
        ("application/json; charset=latin-1", json.dumps(ME)),
        ("application/jsonp", json.dumps(ME)),
        (None, json.dumps(ME)),
    ],
)
async def test_other_media_types_are_refused_with_415(
    app_client: ClientFactory, api: Api, content_type: str | None, body: str
) -> None:
    headers = bearer(api.tokens["secretary"])
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with app_client() as client:
        response = await client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 415
    error = _only_error(response)
    assert error["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}
    assert "application/json" in error["message"]


async def test_operations_over_get_get_a_json_405(app_client: ClientFactory, api: Api) -> None:
    mutation = 'mutation { createOrganisation(input: {name: "x", kind: CITY}) { id } }'
    async with app_client() as client:
        for query in (mutation, "{ me { person { name } } }"):
            for accept in ("application/json", "*/*", "text/html"):
                response = await client.get(
                    "/graphql",
                    params={"query": query},
                    headers={**bearer(api.tokens["admin"]), "Accept": accept},
                )
                assert response.status_code == 405
                assert response.headers["allow"] == "POST"
                assert _only_error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"
        no_query = await client.get("/graphql", headers={"Accept": "application/json"})
        assert no_query.status_code == 405
        for method in ("PUT", "DELETE", "PATCH"):
            other = await client.request(method, "/graphql", json=ME)
            assert other.status_code == 405
            assert _only_error(other)["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert await api.scalar(sa.text("SELECT count(*) FROM organisation WHERE name = 'x'")) == 0


async def test_graphiql_stays_in_development_and_is_json_404_in_production(
    app_client: ClientFactory,
) -> None:
    async with app_client() as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
    async with app_client(env="production") as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 404
        assert _only_error(page)["extensions"]["code"] == "NOT_FOUND"


async def test_malformed_json_and_batches_are_json_400(app_client: ClientFactory) -> None:
    async with app_client() as client:
        broken = await client.post(
            "/graphql", content="{not json", headers={"Content-Type": "application/json"}
        )
        assert broken.status_code == 400
        assert _only_error(broken)["extensions"]["code"] == "BAD_REQUEST"
        batch = await client.post("/graphql", json=[ME, ME])
        assert batch.status_code == 400
        error = _only_error(batch)
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "Batched" in error["message"]


async def test_a_large_declared_body_is_refused_up_front(app_client: ClientFactory) -> None:
    async with app_client(max_body_bytes=1000) as client:
        small = await client.post("/graphql", json={"query": "{ me { roles { role } } }"})
        assert small.status_code == 200
        big = await client.post(
            "/graphql", json={"query": "{ me { roles { role } } }", "variables": {"x": "a" * 1000}}
        )
    assert big.status_code == 413
    assert big.headers["x-request-id"]
    assert _only_error(big)["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "maximum": 1000}


async def test_a_streamed_body_is_cut_off_at_the_limit(app_client: ClientFactory) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ me { roles { role } } }", "variables": {"x": "'
        for _ in range(100):
            sent.append(1)
            yield b"a" * 100
        yield b'"}}'

    async with app_client(max_body_bytes=1000) as client:
        response = await client.post(
            "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert _only_error(response)["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_slow_request_times_out_with_503(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(5)

    monkeypatch.setattr(organisations, "organisations_page_query", slow)
    async with app_client(request_timeout_seconds=1.0) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ organisations { totalCount } }"},
            headers={**bearer(api.tokens["secretary"]), "X-Request-ID": "req-slow-1"},
        )
        assert response.status_code == 503
        error = _only_error(response)
        assert error["extensions"] == {"code": "TIMEOUT", "requestId": "req-slow-1"}
        assert "req-slow-1" in error["message"]
        # The app still answers afterwards.
        after = await client.post("/graphql", json=ME, headers=bearer(api.tokens["secretary"]))
        assert after.status_code == 200


async def test_cors_preflight_for_allowed_and_disallowed_origins(
    app_client: ClientFactory,
) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    async with app_client(cors_origins="https://app.example.org") as client:
        allowed = await client.options(
            "/graphql", headers={**preflight, "Origin": "https://app.example.org"}
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.example.org"
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()

        refused = await client.options(
            "/graphql", headers={**preflight, "Origin": "https://evil.example.com"}
        )
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers

        simple = await client.post(
            "/graphql", json=ME, headers={"Origin": "https://app.example.org"}
        )
        assert simple.headers["access-control-allow-origin"] == "https://app.example.org"
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


async def test_no_cross_origin_access_by_default(app_client: ClientFactory) -> None:
    async with app_client() as client:
        refused = await client.options(
            "/graphql",
            headers={"Origin": "https://app.example.org", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in refused.headers
        simple = await client.post(
            "/graphql", json=ME, headers={"Origin": "https://app.example.org"}
        )
        assert "access-control-allow-origin" not in simple.headers


# Every body that is not one operation object (or, with batching on, a list of them) is the
# client's mistake: 400 BAD_REQUEST in the usual JSON shape, never a plain-text 500.
NOT_AN_OPERATION = [
    b'"x"',
    b"123",
    b"null",
    b"true",
    b"1e999",
    b'{"query": "{ me { roles { role } } }"} trailing',
    b'\xef\xbb\xbf{"query": "{ me { roles { role } } }"}',  # a BOM is not JSON
    b'{"query": "\xff\xfe"}',  # not UTF-8
    b"\xff\xfe{\x00}\x00",  # UTF-16
    b'{"query": "\\ud800"}',  # a lone surrogate cannot be text
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b'{"query": "{ me { roles { role } } }", "variables": {"x": ' + b"[" * 200 + b"]" * 200 + b"}}",
    b'{"query": 1}',
    b'{"query": "{ me { roles { role } } }", "variables": "x"}',
    b'{"query": "{ me { roles { role } } }", "operationName": 1}',
    b'{"query": "{ me { roles { role } } }", "operationName": ["a"]}',
    b'{"query": "{ me { roles { role } } }", "extensions": "x"}',
    b'{"query": "{ me { roles { role } } }", "extensions": {"persistedQuery": "x"}}',
    b'{"query": "{ me { roles { role } } }", "documentId": {"a": 1}}',
]


@pytest.mark.parametrize("body", NOT_AN_OPERATION, ids=lambda b: repr(b[:40]))
async def test_a_body_that_is_not_an_operation_is_a_json_400(
    app_client: ClientFactory, body: bytes
) -> None:
    async with app_client() as client:
        response = await client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400, response.text[:200]
    error = _only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "Traceback" not in error["message"]


@pytest.mark.parametrize(
    "body",
    [b'["x"]', b"[1]", b"[null]", b"[[]]", b'[{"query": 1}]', b'[{"query": "{ me { id } }"}, 2]'],
)
async def test_with_batching_on_each_operation_must_be_an_object(
    app_client: ClientFactory, body: bytes
) -> None:
    async with app_client(max_batch_operations=3) as client:
        response = await client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400, response.text[:200]
    assert _only_error(response)["extensions"]["code"] == "BAD_REQUEST"


async def test_an_operation_that_names_itself_with_text_still_runs(
    app_client: ClientFactory, api: Api
) -> None:
    async with app_client() as client:
        response = await client.post(
            "/graphql",
            json={
                "query": "query Me { me { roles { role } } }",
                "operationName": "Me",
                "variables": None,
                "extensions": {},
            },
            headers=bearer(api.tokens["secretary"]),
        )
    assert response.status_code == 200
    assert response.json()["data"]["me"]["roles"]


@pytest.mark.parametrize(
    "params",
    [
        "query=%7B%20me%20%7B%20id%20%7D%20%7D&variables=%FF%FE",
        "query=%FF%FE",
        "variables=%7Bbroken",
        "variables=%22x%22&extensions=1",
        "query=%7B%20me%20%7B%20id%20%7D%20%7D&variables=" + "%5B" * 5000,
    ],
)
@pytest.mark.parametrize("accept", ["application/json", "text/html", "*/*"])
async def test_get_with_any_parameters_never_fails_on_our_side(
    app_client: ClientFactory, params: str, accept: str
) -> None:
    async with app_client() as client:
        response = await client.get(f"/graphql?{params}", headers={"Accept": accept})
    assert response.status_code in (200, 405), response.text[:200]
    if response.status_code == 405:
        assert _only_error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"
