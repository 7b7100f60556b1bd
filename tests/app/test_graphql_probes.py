"""graphql-cop style probes replayed against the real app: each gets the safe answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from resolvers.organisations import queries as organisations
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

CREATE = 'mutation { createOrganisation(input: {name: "probe", kind: CITY}) { id } }'


async def _post(client: httpx.AsyncClient, api: Api, query: str, **headers: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query}, headers={**bearer(api.tokens["secretary"]), **headers}
    )


def _codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


async def test_alias_overloading_is_refused(app_client: ClientFactory, api: Api) -> None:
    query = "{ " + " ".join(f"a{i}: me {{ roles {{ role }} }}" for i in range(100)) + " }"
    async with app_client() as client:
        response = await _post(client, api, query)
    body = response.json()
    assert body.get("data") is None
    assert set(_codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "aliases" in body["errors"][0]["message"]


async def test_batched_queries_are_refused(app_client: ClientFactory, api: Api) -> None:
    async with app_client() as client:
        response = await client.post(
            "/graphql",
            json=[{"query": "{ me { roles { role } } }"}] * 10,
            headers=bearer(api.tokens["secretary"]),
        )
    assert response.status_code == 400
    assert _codes(response) == ["BAD_REQUEST"]


async def test_repeated_directives_are_refused_by_validation(
    app_client: ClientFactory, api: Api
) -> None:
    query = "{ me" + " @include(if: true)" * 50 + " { roles { role } } }"
    async with app_client() as client:
        response = await _post(client, api, query)
    assert response.json().get("data") is None
    assert set(_codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}


async def test_directive_overloading_is_refused_with_one_error(
    app_client: ClientFactory, api: Api
) -> None:
    query = "{ me" + " @include(if: true) @skip(if: false)" * 25 + " { roles { role } } }"
    async with app_client() as client:
        response = await _post(client, api, query)
    errors = response.json()["errors"]
    assert len(errors) == 1
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "directives" in errors[0]["message"]


async def test_field_duplication_beyond_the_token_limit_is_refused(
    app_client: ClientFactory, api: Api
) -> None:
    query = "{ me { roles { " + "role " * 5000 + "} } }"
    async with app_client() as client:
        response = await _post(client, api, query)
    assert response.json().get("data") is None
    assert _codes(response) == ["GRAPHQL_PARSE_FAILED"]


async def test_field_duplication_of_500_is_refused(app_client: ClientFactory, api: Api) -> None:
    query = "{ me { roles { " + "role " * 500 + "} } }"
    async with app_client() as client:
        response = await _post(client, api, query)
    assert response.json().get("data") is None
    assert _codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "'role' is asked for 500 times" in response.json()["errors"][0]["message"]


async def test_a_few_repeats_of_a_field_are_fine(app_client: ClientFactory, api: Api) -> None:
    async with app_client() as client:
        response = await _post(client, api, "{ me { roles { role role role } } }")
    assert response.json()["data"]["me"]["roles"]


async def test_circular_introspection_is_refused_by_depth(
    app_client: ClientFactory, api: Api
) -> None:
    query = "{ __schema { types { " + "fields { type { " * 5 + "name" + " } }" * 5 + " } } }"
    async with app_client() as client:
        response = await _post(client, api, query)
    body = response.json()
    assert body.get("data") is None
    assert _codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "depth" in body["errors"][0]["message"]


async def test_mutation_over_get_is_refused(app_client: ClientFactory, api: Api) -> None:
    async with app_client() as client:
        response = await client.get(
            "/graphql", params={"query": CREATE}, headers=bearer(api.tokens["admin"])
        )
    assert response.status_code == 405
    assert _codes(response) == ["METHOD_NOT_ALLOWED"]
    assert await api.scalar(sa.text("SELECT count(*) FROM organisation WHERE name = 'probe'")) == 0


async def test_url_encoded_post_is_refused(app_client: ClientFactory, api: Api) -> None:
    async with app_client() as client:
        response = await client.post(
            "/graphql", data={"query": CREATE}, headers=bearer(api.tokens["admin"])
        )
    assert response.status_code == 415
    assert _codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]
    assert await api.scalar(sa.text("SELECT count(*) FROM organisation WHERE name = 'probe'")) == 0


async def test_field_suggestions_only_in_development(app_client: ClientFactory, api: Api) -> None:
    typo = "{ positons { totalCount } }"
    async with app_client() as client:
        development = await _post(client, api, typo)
    assert "Did you mean" in development.json()["errors"][0]["message"]
    async with app_client(env="production") as client:
        production = await _post(client, api, typo)
    assert _codes(production) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Did you mean" not in production.text


async def test_introspection_is_refused_in_production(app_client: ClientFactory, api: Api) -> None:
    introspection = "{ __schema { queryType { name } types { name } } }"
    async with app_client() as client:
        assert (await _post(client, api, introspection)).json()["data"]["__schema"]
    async with app_client(env="production") as client:
        for query in (introspection, '{ __type(name: "Person") { fields { name } } }'):
            refused = await _post(client, api, query)
            assert refused.json().get("data") is None
            assert set(_codes(refused)) == {"GRAPHQL_VALIDATION_FAILED"}


async def test_unhandled_errors_are_masked(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("password=hunter2 in /srv/jinlin/resolvers/organisations.py")

    monkeypatch.setattr(organisations, "organisations_page_query", broken)
    for env in ("development", "production"):
        async with app_client(env=env) as client:
            response = await _post(
                client, api, "{ organisations { totalCount } }", **{"X-Request-ID": f"probe-{env}"}
            )
        error = response.json()["errors"][0]
        assert error["extensions"] == {"code": "INTERNAL", "requestId": f"probe-{env}"}
        for leak in ("hunter2", "Traceback", "/srv/jinlin", "ValueError"):
            assert leak not in response.text
