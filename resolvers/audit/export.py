"""The audit log as a file: JSON lines or CSV, streamed entry by entry."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any

from db.models import AuditEntry
from resolvers.audit.queries import AuditFilter, stream_entries
from resolvers.context import RequestContext

COLUMNS = (
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


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


def _record(entry: AuditEntry) -> dict[str, Any]:
    data = entry.model_dump(mode="json")
    return {name: data[name] for name in COLUMNS}


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


async def export_lines(
    ctx: RequestContext, filter: AuditFilter, fmt: ExportFormat
) -> AsyncIterator[str]:
    """The entries the caller may read, oldest first, one text line each (after a CSV header)."""
    if fmt is ExportFormat.CSV:
        yield _csv_line(list(COLUMNS))
    async for entry in stream_entries(ctx, filter):
        record = _record(entry)
        if fmt is ExportFormat.JSONL:
            yield json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        else:
            yield _csv_line(
                [
                    json.dumps(record[c], ensure_ascii=False)
                    if c in ("input", "changes")
                    else record[c]
                    for c in COLUMNS
                ]
            )
