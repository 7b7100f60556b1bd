"""The audit log as a file: JSON lines, CSV or XLSX, streamed batch by batch.

Each record holds the raw entry (what the hash covers) and, after it, the same entry as
people read it (resolvers.audit.readable): names, the partner, labels, China time. Names
are looked up once per batch, so memory stays flat however long the log.

CSV starts with a UTF-8 byte order mark, so Excel on Chinese Windows reads it as UTF-8.
In CSV and XLSX a text cell that a spreadsheet would take for a formula (=, +, -, @) is
kept as text: a record's name is whatever someone typed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from enum import StrEnum
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from db.entity_rows import as_model
from db.models import AuditEntry
from resolvers.audit.queries import AuditFilter, names, stream_entries
from resolvers.audit.readable import ReadableEntry, china_time, readable, wanted_all
from resolvers.context import RequestContext
from resolvers.pagination import MAX_PAGE_SIZE

RAW_COLUMNS = (
    "seq",
    "occurred_at",
    "operation",
    "outcome",
    "resource_type",
    "resource_id",
    "organisation_id",
    "organisation_path",
    "actor_person_id",
    "actor_token_id",
    "actor_organisation_id",
    "role",
    "domain",
    "request_id",
    "client_address",
    "error_code",
    "error_message",
    "input",
    "changes",
    "prev_hash",
    "hash",
)
# The entry as people read it (see the AuditEntry fields of the same names).
READABLE_COLUMNS = (
    "occurred_at_china",
    "actor_name",
    "acting_organisation_name",
    "partner_name",
    "token_name",
    "organisation_name",
    "resource_label",
    "changes_text",
)
COLUMNS = (*RAW_COLUMNS, *READABLE_COLUMNS)
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    XLSX = "xlsx"


def changes_text(shown: ReadableEntry) -> str:
    """Every change on one line: `名称: 甲苑 → 乙苑; …`."""
    return "; ".join(
        f"{c.label}: {c.before_text or '—'} → {c.after_text or '—'}" for c in shown.changes
    )


def _record(entry: AuditEntry, shown: ReadableEntry) -> dict[str, Any]:
    # Pages read rows, not entities (db/entity_rows.py): the dump is the model's own.
    data = as_model(AuditEntry, entry).model_dump(mode="json")
    record = {name: data[name] for name in RAW_COLUMNS}
    record.update(
        occurred_at_china=china_time(entry.occurred_at),
        actor_name=shown.actor_name,
        acting_organisation_name=shown.acting_organisation_name,
        partner_name=shown.partner_name,
        token_name=shown.token_name,
        organisation_name=shown.organisation_name,
        resource_label=shown.resource_label,
        changes_text=changes_text(shown),
    )
    return record


async def export_records(ctx: RequestContext, filter: AuditFilter) -> AsyncIterator[dict[str, Any]]:
    """The entries the caller may read that FILTER admits, oldest first, as records."""
    batch: list[AuditEntry] = []

    async def flush() -> list[dict[str, Any]]:
        found = await names(ctx, wanted_all(batch))
        records = [_record(entry, readable(entry, found)) for entry in batch]
        batch.clear()
        return records

    async for entry in stream_entries(ctx, filter):
        batch.append(entry)
        if len(batch) >= MAX_PAGE_SIZE:
            for record in await flush():
                yield record
    for record in await flush():
        yield record


def _cell_text(value: Any) -> Any:
    """A value as one spreadsheet cell: JSON for structures, never a formula."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


async def export_lines(
    ctx: RequestContext, filter: AuditFilter, fmt: ExportFormat
) -> AsyncIterator[str]:
    """JSONL or CSV, one text line each (CSV: the BOM and a header first)."""
    if fmt is ExportFormat.XLSX:
        raise ValueError("XLSX is not text: use write_xlsx")
    if fmt is ExportFormat.CSV:
        yield BOM + _csv_line(list(COLUMNS))
    async for record in export_records(ctx, filter):
        if fmt is ExportFormat.JSONL:
            yield json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        else:
            yield _csv_line([_cell_text(record[c]) for c in COLUMNS])


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell:
    value = _cell_text(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even if it starts with "="
    return cell


async def write_xlsx(ctx: RequestContext, filter: AuditFilter, target: IO[bytes]) -> int:
    """Write the export as an XLSX workbook to TARGET; return the number of entries.

    openpyxl's write-only mode streams rows to a temporary file, so memory stays flat;
    the workbook is assembled into TARGET at the end."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("audit")
    sheet.append(list(COLUMNS))
    count = 0
    async for record in export_records(ctx, filter):
        sheet.append([_xlsx_cell(sheet, record[c]) for c in COLUMNS])
        count += 1
    workbook.save(target)
    return count
