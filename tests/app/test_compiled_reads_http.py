"""Compiled reads over HTTP: the database's JSON spliced into the response, the same data
the resolvers give (keys in the same order), and a setting that turns them off."""

from __future__ import annotations

import json
from typing import Any

import pytest

from schema.issues import queries as issue_queries
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api

PAGE = """query ($c: ID!) { issues(first: 30, filter: {compound: $c}) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id title status dueAt overdue createdAt
    reporter { name } compound { name kind } assignee { name }
    lastEvent { kind createdAt } } } } }"""


async def _page(app_client: ClientFactory, api: Api, role: str, **settings: object) -> bytes:
    async with app_client(**settings) as client:
        response = await client.post(
            "/graphql",
            json={"query": PAGE, "variables": {"c": api.ids["compound_a"]}},
            headers=bearer(api.tokens[role]),
        )
    assert response.status_code == 200, response.text
    return response.content


async def test_the_compiled_page_is_the_resolvers_page(
    app_client: ClientFactory, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[str] = []
    answer = issue_queries.compiled_connection

    async def counted(*args: Any) -> Any:
        served.append("compiled")
        return await answer(*args)

    monkeypatch.setattr(issue_queries, "compiled_connection", counted)
    for role in ("secretary", "resident", "property_firm", "partner"):
        compiled = await _page(app_client, api, role)
        resolved = await _page(app_client, api, role, compiled_reads=False)
        assert json.loads(compiled) == json.loads(resolved)
        assert served == ["compiled"], served  # the second answer came from the resolvers
        served.clear()
        # Keys in the order the document asked for them, as the resolvers give them.
        assert list(json.loads(compiled)["data"]["issues"]) == ["totalCount", "pageInfo", "edges"]


async def test_a_resident_sees_the_reporter_masked_and_noted(
    app_client: ClientFactory, api: Api
) -> None:
    body = json.loads(await _page(app_client, api, "resident"))
    assert "Issue.reporter" in body["extensions"]["maskedFields"]["fields"]
    reporters = [edge["node"]["reporter"] for edge in body["data"]["issues"]["edges"]]
    assert None in reporters  # other residents' reports: who reported them stays unknown


async def test_a_bad_cursor_is_the_same_clear_error(app_client: ClientFactory, api: Api) -> None:
    query = '{ issues(after: "not-a-cursor") { edges { node { id } } } }'
    async with app_client() as client:
        response = await client.post(
            "/graphql", json={"query": query}, headers=bearer(api.tokens["secretary"])
        )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cursor" in body["errors"][0]["message"]
