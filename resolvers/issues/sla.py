"""Service-level targets: how long an issue may take, by priority and category.

The table is `resolvers/issues/sla.csv` unless JINLIN_SLA_TABLE names another file. The
due time is fixed when an issue is reported, so editing the table never moves an
existing deadline; a triage (resolvers/issues/triage.py) recomputes one for the corrected
priority and category.
"""

from __future__ import annotations

import csv
import os
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from db.models import IssueCategory, IssuePriority

DEFAULT_TABLE = Path(__file__).with_name("sla.csv")
ANY = "*"


class SlaTableError(ValueError):
    """The SLA table is malformed or leaves a priority without a default."""


@cache
def sla_table(path: Path | None = None) -> dict[tuple[IssuePriority, str], timedelta]:
    source = path or Path(os.environ.get("JINLIN_SLA_TABLE", DEFAULT_TABLE))
    table: dict[tuple[IssuePriority, str], timedelta] = {}
    with source.open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if line.strip() and not line.startswith("#"))
        for row in rows:
            try:
                priority, category, hours = (cell.strip() for cell in row)
                key = (
                    IssuePriority(priority),
                    category if category == ANY else IssueCategory(category).value,
                )
                table[key] = timedelta(hours=float(hours))
            except ValueError as exc:
                raise SlaTableError(f"{source}: bad row {row!r}: {exc}") from exc
    missing = [p.value for p in IssuePriority if (p, ANY) not in table]
    if missing:
        raise SlaTableError(f"{source}: no default ('*') row for {', '.join(missing)}")
    return table


def allowed_time(priority: IssuePriority, category: IssueCategory) -> timedelta:
    table = sla_table()
    return table.get((priority, category.value), table[(priority, ANY)])


def due_at(reported_at: datetime, priority: IssuePriority, category: IssueCategory) -> datetime:
    return reported_at + allowed_time(priority, category)
