"""Exporting the audit log: streamed, oldest first, only what the caller may read."""

from __future__ import annotations

import csv
import io
import json

from resolvers.audit.export import COLUMNS, ExportFormat, export_lines
from resolvers.audit.queries import AuditFilter
from tests.db.test_audit_store import _some_entries
from tests.helpers import Api


async def _export(api: Api, as_: str, fmt: ExportFormat, filter: AuditFilter | None = None) -> str:
    ctx = await api.context(as_)
    try:
        return "".join([line async for line in export_lines(ctx, filter or AuditFilter(), fmt)])
    finally:
        await ctx.close()


async def _visible(api: Api, as_: str) -> int:
    data = (await api.run("{ auditLog { totalCount } }", as_=as_)).ok()
    return int(data["auditLog"]["totalCount"])


async def test_jsonl_holds_every_visible_entry_oldest_first(api: Api) -> None:
    for _ in range(40):  # more than one internal batch of 100 with the demo's own entries
        await _some_entries(api)
    text = await _export(api, "supervisor", ExportFormat.JSONL)
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == await _visible(api, "supervisor")
    sequences = [r["seq"] for r in records]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert set(records[0]) == set(COLUMNS)


async def test_csv_has_a_header_and_one_row_per_entry(api: Api) -> None:
    await _some_entries(api)
    rows = list(csv.reader(io.StringIO(await _export(api, "secretary", ExportFormat.CSV))))
    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == await _visible(api, "secretary")
    assert all(json.loads(row[COLUMNS.index("changes")]) is not None for row in rows[1:])


async def test_a_resident_exports_only_their_own_entries(api: Api) -> None:
    await _some_entries(api)
    text = await _export(api, "resident", ExportFormat.JSONL)
    assert len(text.splitlines()) == await _visible(api, "resident")
    assert "updateOrganisation" not in text


async def test_filters_apply(api: Api) -> None:
    await _some_entries(api)
    text = await _export(
        api, "admin", ExportFormat.JSONL, AuditFilter(operation="updateOrganisation")
    )
    assert {json.loads(line)["operation"] for line in text.splitlines()} == {"updateOrganisation"}
