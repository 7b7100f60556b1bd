"""Display names of records, by row kind and id: what the audit log shows people.

One statement per kind names any number of records, so a page or an export batch costs a
handful of queries. Names are read without the caller's scope on purpose: whoever may read
an entry may know what it was about and who made it, even where they may not open that
record itself (a supervisor reading a firm's staff member's change).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import (
    ApiToken,
    CoBuildingNeed,
    CoBuildingProject,
    Evaluation,
    FirmStanding,
    Issue,
    JointMeeting,
    Organisation,
    OrganisationLink,
    Person,
    Position,
    PostClaim,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    StationDuty,
    VolunteerService,
)

# (row kind, id) -> name; what a batch of lookups answers.
Names = Mapping[tuple[str, int], str]
# SELECT id, name.
Statement = sa.Select[Any, Any]
Run = Callable[[Statement], Awaitable[sa.Result[Any, Any]]]
MAX_LABEL = 200

_source = aliased(Organisation)
_target = aliased(Organisation)


def _joined(*parts: Any) -> Any:
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return expression


def _person_of(table: Any, column: Any) -> Statement:
    return sa.select(col(table.id), col(Person.name)).join(Person, col(Person.id) == column)


@lru_cache(maxsize=64)
def _statement(kind: str) -> Statement | None:
    """SELECT id, name for records of KIND (filtered by id by the caller); built once per
    kind, since every audited mutation asks for its record's name."""
    simple: dict[str, tuple[Any, Any]] = {
        "organisation": (Organisation.id, Organisation.name),
        "person": (Person.id, Person.name),
        "token": (ApiToken.id, ApiToken.name),
        "issue": (Issue.id, Issue.title),
        "meeting": (JointMeeting.id, JointMeeting.title),
        "station": (Station.id, Station.name),
        "reward": (Reward.id, Reward.name),
        "service_post": (ServicePost.id, ServicePost.title),
        "need": (CoBuildingNeed.id, CoBuildingNeed.title),
        "project": (CoBuildingProject.id, CoBuildingProject.title),
    }
    if kind in simple:
        key, name = simple[kind]
        return sa.select(col(key), col(name))
    if kind == "position":
        return (
            sa.select(
                col(Position.id),
                _joined(col(Person.name), " · ", col(Organisation.name), " ", col(Position.title)),
            )
            .join(Person, col(Person.id) == col(Position.person_id))
            .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
        )
    if kind == "link":
        return (
            sa.select(col(OrganisationLink.id), _joined(_source.name, " → ", _target.name))
            .join(_source, col(_source.id) == col(OrganisationLink.source_id))
            .join(_target, col(_target.id) == col(OrganisationLink.target_id))
        )
    if kind == "evaluation":
        return sa.select(
            col(Evaluation.id),
            _joined(col(Organisation.name), " ", sa.cast(col(Evaluation.year), sa.String)),
        ).join(Organisation, col(Organisation.id) == col(Evaluation.subject_id))
    if kind == "standing":
        return sa.select(col(FirmStanding.id), col(Organisation.name)).join(
            Organisation, col(Organisation.id) == col(FirmStanding.firm_id)
        )
    people: dict[str, tuple[Any, Any]] = {
        "station_duty": (StationDuty, StationDuty.person_id),
        "post_claim": (PostClaim, PostClaim.person_id),
        "service_registration": (ServiceRegistration, ServiceRegistration.person_id),
        "volunteer_service": (VolunteerService, VolunteerService.volunteer_id),
    }
    if kind in people:
        table, column = people[kind]
        return _person_of(table, col(column))
    return None


def _id_column(statement: Statement) -> Any:
    return statement.selected_columns[0]


async def lookup(run: Run, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The names of the WANTED records that exist (one statement per kind)."""
    by_kind: dict[str, set[int]] = {}
    for kind, record_id in wanted:
        by_kind.setdefault(kind, set()).add(record_id)
    found: dict[tuple[str, int], str] = {}
    for kind, ids in sorted(by_kind.items()):
        statement = _statement(kind)
        if statement is None:
            continue
        rows = await run(statement.where(_id_column(statement).in_(sorted(ids))))
        for record_id, name in rows.all():
            if name is not None:
                found[(kind, int(record_id))] = str(name)[:MAX_LABEL]
    return found
