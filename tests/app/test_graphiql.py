"""The development explorer loads nothing from outside the server (no CDN)."""

from __future__ import annotations

import re

from app.graphiql import ASSETS_PATH
from tests.app.conftest import ClientFactory

REFERENCE = re.compile(r'(?:src|href)="([^"]+)"')


async def test_the_explorer_page_names_only_files_this_server_serves(
    app_client: ClientFactory,
) -> None:
    async with app_client() as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        references = REFERENCE.findall(page.text)
        assert references, page.text
        assert "//" not in page.text.replace("http://jinlin.test", "")  # no CDN, no other host
        for reference in references:
            assert reference.startswith(ASSETS_PATH + "/"), reference
            asset = await client.get(reference)
            assert asset.status_code == 200, reference
            assert len(asset.content) > 100, reference
        script = await client.get(f"{ASSETS_PATH}/explorer.js")
        assert "GraphiQL.createFetcher" in script.text


async def test_production_serves_neither_the_page_nor_its_files(
    app_client: ClientFactory,
) -> None:
    async with app_client(env="production") as client:
        assert (await client.get("/graphql", headers={"Accept": "text/html"})).status_code == 404
        assert (await client.get(f"{ASSETS_PATH}/graphiql.min.js")).status_code == 404
