"""GET /audit/export: the supervisor's download, streamed and scoped like auditLog."""

from __future__ import annotations

import io
import json

import openpyxl

from resolvers.audit.export import COLUMNS
from tests.app.conftest import ClientFactory, bearer
from tests.db.test_audit_store import _some_entries
from tests.helpers import Api


async def _visible(api: Api, as_: str) -> int:
    return int(
        (await api.run("{ auditLog { totalCount } }", as_=as_)).ok()["auditLog"]["totalCount"]
    )


async def test_a_supervisor_downloads_their_subtree(app_client: ClientFactory, api: Api) -> None:
    await _some_entries(api)
    async with app_client() as client:
        response = await client.get("/audit/export", headers=bearer(api.tokens["supervisor"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in response.headers["content-disposition"]
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == await _visible(api, "supervisor")
    assert [e["seq"] for e in lines] == sorted(e["seq"] for e in lines)


async def test_csv_and_a_subtree_filter(app_client: ClientFactory, api: Api) -> None:
    await _some_entries(api)
    async with app_client() as client:
        response = await client.get(
            "/audit/export",
            params={"format": "csv", "subtree": api.ids["compound_b"]},
            headers=bearer(api.tokens["supervisor"]),
        )
    assert response.content.startswith(b"\xef\xbb\xbfseq,occurred_at,operation")
    assert "updateOrganisation" not in response.text  # the renames were in compound A


async def test_no_token_bad_input_and_a_resident(app_client: ClientFactory, api: Api) -> None:
    async with app_client() as client:
        anonymous = await client.get("/audit/export")
        assert anonymous.status_code == 401
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        bad = await client.get(
            "/audit/export", params={"format": "xml"}, headers=bearer(api.tokens["supervisor"])
        )
        assert bad.status_code == 400
        assert bad.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        resident = await client.get("/audit/export", headers=bearer(api.tokens["resident"]))
    # A resident may read their own entries, so gets exactly those.
    assert resident.status_code == 200
    assert len(resident.text.splitlines()) == await _visible(api, "resident")


async def test_the_log_s_filters_and_xlsx(app_client: ClientFactory, api: Api) -> None:
    await _some_entries(api)
    async with app_client() as client:
        response = await client.get(
            "/audit/export",
            params={
                "format": "xlsx",
                "subtree": api.ids["compound_a"],
                "operation": "updateOrganisation",
                "outcome": "success",
                "resourceType": "Organisation",
            },
            headers=bearer(api.tokens["supervisor"]),
        )
        unknown = await client.get(
            "/audit/export",
            params={"operation": "claimissue"},
            headers=bearer(api.tokens["supervisor"]),
        )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)["audit"]
    rows = list(sheet.iter_rows(values_only=True))
    operation = list(COLUMNS).index("operation")
    assert len(rows) == 4 and {row[operation] for row in rows[1:]} == {"updateOrganisation"}
    assert unknown.status_code == 400
    assert "claimIssue" in unknown.json()["errors"][0]["message"]
