"""Each limit is a setting: batching off unless configured, and the document limits."""

from __future__ import annotations

from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

ME = {"query": "{ me { person { name } } }"}


async def test_batching_is_off_by_default_and_bounded_when_on(
    app_client: ClientFactory, api: Api
) -> None:
    headers = bearer(api.tokens["resident"])
    async with app_client() as client:
        off = await client.post("/graphql", json=[ME, ME], headers=headers)
    assert off.status_code == 400
    async with app_client(max_batch_operations=2) as client:
        two = await client.post("/graphql", json=[ME, ME], headers=headers)
        three = await client.post("/graphql", json=[ME, ME, ME], headers=headers)
    assert two.status_code == 200
    assert [answer["data"]["me"]["person"]["name"] for answer in two.json()]
    assert three.status_code == 400


async def test_document_limits_follow_the_settings(app_client: ClientFactory, api: Api) -> None:
    headers = bearer(api.tokens["resident"])
    aliased = {
        "query": "{ a: me { person { name } } b: me { person { name } } c: me { person { name } } }"
    }
    repeated = {"query": "{ me { person { name name name } } }"}
    async with app_client() as client:
        assert "errors" not in (await client.post("/graphql", json=aliased, headers=headers)).json()
        assert (
            "errors" not in (await client.post("/graphql", json=repeated, headers=headers)).json()
        )
    async with app_client(max_aliases=2, max_duplicate_fields=2) as client:
        too_many_aliases = (await client.post("/graphql", json=aliased, headers=headers)).json()
        too_many_repeats = (await client.post("/graphql", json=repeated, headers=headers)).json()
    assert too_many_aliases["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "'name' is asked for 3 times" in too_many_repeats["errors"][0]["message"]
