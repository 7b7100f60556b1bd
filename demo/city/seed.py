"""`seed_city`: plan the city, then stream its rows into an empty, migrated database."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from db.audit_store import chain_key
from db.types import CHINA_TIME, utcnow
from demo.city.audit import ChainState, audit_chunks
from demo.city.audit_fill import move_head
from demo.city.bulk import BulkWriter
from demo.city.issues import issue_chunks
from demo.city.plan import CityPlan, Org, person_row, plan_city

T = TypeVar("T")
# Tables whose ids the seeder writes by hand (their sequences continue after it).
ID_TABLES = ("organisation", "organisation_link", "person", "position", "issue", "issue_event")


class DatabaseNotEmpty(Exception):
    """The database already holds organisations; seeding would mix two cities."""


@dataclass(frozen=True)
class CitySize:
    compounds: int = 2_000
    people: int = 200_000
    issues: int = 1_000_000
    audit_entries: int = 1_000_000


@dataclass
class SeededCity:
    """What the caller needs to issue tokens: who acts as which role, and where."""

    people: dict[str, int]
    compounds: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)
    supervised_compounds: int = 0


def seed_city(
    url: str, size: CitySize, *, seed: int = 7, now: datetime | None = None, show: bool = True
) -> SeededCity:
    """Fill the (migrated, empty) database at URL with a city of SIZE."""
    writer = BulkWriter(url)
    try:
        if int(writer.scalar("SELECT COUNT(*) FROM organisation") or 0):
            raise DatabaseNotEmpty("the database already holds data")
        now = now or utcnow()
        plan = plan_city(size.compounds, size.people, now.astimezone(CHINA_TIME).date(), seed)
        with Progress(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not show,
        ) as progress:
            counts = _write(writer, plan, size, now, seed, progress)
        writer.restart_sequences(ID_TABLES)
        writer.analyze()
    finally:
        writer.close()
    big_street = plan.streets[0]
    return SeededCity(
        people=plan.token_people,
        compounds=plan.token_compounds,
        counts=counts,
        supervised_compounds=sum(
            1 for compound in plan.compounds if compound.org.path.startswith(big_street.path)
        ),
    )


def _write(
    writer: BulkWriter,
    plan: CityPlan,
    size: CitySize,
    now: datetime,
    seed: int,
    progress: Progress,
) -> dict[str, int]:
    rng = random.Random(seed + 1)

    def tracked(name: str, total: int, rows: Iterable[T]) -> Iterator[T]:
        task = progress.add_task(name, total=total)
        for row in rows:
            yield row
            progress.advance(task)

    counts: dict[str, int] = {}
    counts["organisation"] = writer.write(
        "organisation",
        tracked(
            "organisations",
            len(plan.organisations),
            (_organisation_row(org, now) for org in plan.organisations),
        ),
    )
    counts["person"] = writer.write(
        "person",
        tracked(
            "people",
            len(plan.people),
            (person_row(person, rng, now) for person in plan.people),
        ),
    )
    counts["position"] = writer.write(
        "position",
        (
            {
                "id": n,
                "person_id": p.person_id,
                "organisation_id": p.organisation_id,
                "title": p.title,
                "start_date": p.start,
                "end_date": p.end,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n, p in enumerate(plan.positions, start=1)
        ),
    )
    counts["organisation_link"] = writer.write(
        "organisation_link",
        (
            {
                "id": n,
                "kind": link.kind,
                "source_id": link.source_id,
                "target_id": link.target_id,
                "start_date": link.start,
                "end_date": link.end,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n, link in enumerate(plan.links, start=1)
        ),
    )
    counts["issue"] = counts["issue_event"] = 0
    task = progress.add_task("issues", total=size.issues)
    for chunk in issue_chunks(plan, size.issues, now, seed + 2):
        counts["issue"] += writer.write("issue", chunk.issues)
        counts["issue_event"] += writer.write("issue_event", chunk.events)
        progress.advance(task, len(chunk.issues))
    chain = ChainState()
    counts["audit_entry"] = 0
    task = progress.add_task("audit entries", total=size.audit_entries)
    key = chain_key()
    for rows in audit_chunks(plan, size.audit_entries, size.issues, now, seed + 3, chain, key):
        counts["audit_entry"] += writer.write("audit_entry", rows)
        progress.advance(task, len(rows))
    if chain.seq:
        with writer.engine.begin() as connection:
            move_head(connection, writer.url, chain.seq, chain.head)
    return counts


def _organisation_row(org: Org, now: datetime) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "parent_id": org.parent_id,
        "path": org.path,
        "depth": org.depth,
        "compound_id": org.compound_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
