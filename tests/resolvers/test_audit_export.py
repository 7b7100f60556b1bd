"""Exporting the audit log: streamed, oldest first, exactly what `auditLog` lists, readable."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest

from resolvers.audit.export import BOM, COLUMNS, ExportFormat, export_lines, write_xlsx
from resolvers.audit.queries import AuditFilter
from tests.db.test_audit_store import _some_entries
from tests.helpers import Api
from tests.issue_helpers import PARTNER, report
from tests.partner_setup import issue
from tests.schema.test_isolation_matrix import CALLERS

PAGE = """query ($after: String) { auditLog(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { sequence } } } }"""
COMMENT = "mutation ($i: CommentOnIssueInput!) { commentOnIssue(input: $i) { id version } }"


async def _export(api: Api, as_: str, fmt: ExportFormat, filter: AuditFilter | None = None) -> str:
    ctx = await api.context(as_)
    try:
        return "".join([line async for line in export_lines(ctx, filter or AuditFilter(), fmt)])
    finally:
        await ctx.close()


async def _records(api: Api, as_: str, filter: AuditFilter | None = None) -> list[dict[str, Any]]:
    text = await _export(api, as_, ExportFormat.JSONL, filter)
    return [json.loads(line) for line in text.splitlines()]


async def _listed(api: Api, as_: str) -> list[int]:
    """Every sequence `auditLog` lists for AS_, page by page."""
    seqs: list[int] = []
    after = None
    while True:
        result = await api.run(PAGE, {"after": after}, as_=as_)
        if result.errors:  # refused tokens: no log at all
            return seqs
        page = result.ok()["auditLog"]
        seqs += [edge["node"]["sequence"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return sorted(seqs)
        after = page["pageInfo"]["endCursor"]


async def _visible(api: Api, as_: str) -> int:
    data = (await api.run("{ auditLog { totalCount } }", as_=as_)).ok()
    return int(data["auditLog"]["totalCount"])


async def test_jsonl_holds_every_visible_entry_oldest_first(api: Api) -> None:
    for _ in range(40):  # more than one internal batch of 100 with the demo's own entries
        await _some_entries(api)
    records = await _records(api, "supervisor")
    assert len(records) == await _visible(api, "supervisor")
    sequences = [r["seq"] for r in records]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert set(records[0]) == set(COLUMNS)


# Refused tokens (expired, revoked) cannot sign in to export at all (tests/app covers that).
SIGNED_IN = [caller for caller, scope in CALLERS.items() if scope is not None]


@pytest.mark.parametrize("caller", [*SIGNED_IN, "admin"])
async def test_the_export_is_scoped_exactly_like_the_log(api: Api, caller: str) -> None:
    await _some_entries(api)
    await report(api)
    exported = [r["seq"] for r in await _records(api, caller)]
    assert exported == await _listed(api, caller)


async def test_csv_starts_with_a_bom_and_has_one_row_per_entry(api: Api) -> None:
    await _some_entries(api)
    text = await _export(api, "secretary", ExportFormat.CSV)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == await _visible(api, "secretary")
    assert all(json.loads(row[COLUMNS.index("changes")]) is not None for row in rows[1:])
    renames = [r for r in rows[1:] if r[COLUMNS.index("operation")] == "updateOrganisation"]
    assert renames and renames[0][COLUMNS.index("changes_text")].startswith("名称: ")
    assert renames[0][COLUMNS.index("actor_name")]


async def test_a_partner_tokens_entry_names_the_unit_and_the_token(api: Api) -> None:
    issued = await issue(api, scopes=["ISSUES_READ", "ISSUES_COMMENT"])
    target = await report(api)
    (
        await api.run(COMMENT, {"i": {"id": target["id"], "body": "已派員"}}, as_=issued["secret"])
    ).ok()
    (record,) = [r for r in await _records(api, "secretary") if r["operation"] == "commentOnIssue"][
        -1:
    ]
    assert record["partner_name"] == PARTNER == record["acting_organisation_name"]
    assert record["token_name"] == "對接系統" and record["actor_name"]
    assert record["resource_label"]  # the issue's title


async def test_a_cell_that_looks_like_a_formula_stays_text(api: Api) -> None:
    rename = 'mutation ($id: ID!) { updateOrganisation(input: {id: $id, name: "=1+1"}) { id } }'
    (await api.run(rename, {"id": api.ids["compound_a"]}, as_="secretary")).ok()
    text = await _export(api, "secretary", ExportFormat.CSV)
    last = list(csv.reader(io.StringIO(text.removeprefix(BOM))))[-1]
    assert last[COLUMNS.index("resource_label")] == "'=1+1"


async def test_xlsx_opens_with_every_row(api: Api, tmp_path: Any) -> None:
    await _some_entries(api)
    path = tmp_path / "audit.xlsx"
    ctx = await api.context("supervisor")
    try:
        with path.open("wb") as target:
            count = await write_xlsx(ctx, AuditFilter(), target)
    finally:
        await ctx.close()
    # A read-only workbook keeps its file open until closed (a ResourceWarning otherwise,
    # raised in whichever later test the collector happens to run in).
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(workbook["audit"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) - 1 == count == await _visible(api, "supervisor")
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


async def test_a_resident_exports_only_their_own_entries(api: Api) -> None:
    await _some_entries(api)
    text = await _export(api, "resident", ExportFormat.JSONL)
    assert len(text.splitlines()) == await _visible(api, "resident")
    assert "updateOrganisation" not in text


async def test_filters_apply(api: Api) -> None:
    await _some_entries(api)
    records = await _records(api, "admin", AuditFilter(operation="updateOrganisation"))
    assert {r["operation"] for r in records} == {"updateOrganisation"}
