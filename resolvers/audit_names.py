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
    Commendation,
    CompoundMeeting,
    Evaluation,
    FirmStanding,
    FundEntry,
    Issue,
    JointMeeting,
    MentorPair,
    Mobilisation,
    MobilisationRecipient,
    Notice,
    NoticeQuestion,
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
    WebhookDelivery,
    WebhookEndpoint,
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


# Kinds named by a column of their own row: (table, the name's attribute).
_NAMED_BY: dict[str, tuple[type[Any], str]] = {
    "organisation": (Organisation, "name"),
    "person": (Person, "name"),
    "token": (ApiToken, "name"),
    "issue": (Issue, "title"),
    "meeting": (JointMeeting, "title"),
    "compound_meeting": (CompoundMeeting, "title"),
    "station": (Station, "name"),
    "reward": (Reward, "name"),
    "service_post": (ServicePost, "title"),
    "need": (CoBuildingNeed, "title"),
    "project": (CoBuildingProject, "title"),
    "notice": (Notice, "title"),
    "notice_question": (NoticeQuestion, "question"),
    "mobilisation": (Mobilisation, "title"),
    "webhook": (WebhookEndpoint, "url"),
    "webhook_delivery": (WebhookDelivery, "delivery_id"),
    "commendation": (Commendation, "title"),
}


def as_label(name: object) -> str | None:
    """A name as the audit log keeps it."""
    return None if name is None else str(name)[:MAX_LABEL]


def label_of_row(kind: str, row: object) -> str | None:
    """The name `lookup` would give ROW, a record of KIND held in memory, for the kinds named
    by a column of their own row; None for any other (the caller looks it up)."""
    named_by = _NAMED_BY.get(kind)
    if named_by is None or not isinstance(row, named_by[0]):
        return None
    return as_label(getattr(row, named_by[1]))


@lru_cache(maxsize=64)
def _statement(kind: str) -> Statement | None:
    """SELECT id, name for records of KIND (filtered by id by the caller); built once per
    kind, since every audited mutation asks for its record's name."""
    if kind in _NAMED_BY:
        table, name = _NAMED_BY[kind]
        return sa.select(col(table.id), col(getattr(table, name)))
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
    if kind == "fund_entry":
        # The body whose money it is and what the money is ("…小區黨支部 RUNNING 2026").
        return sa.select(
            col(FundEntry.id),
            _joined(
                col(Organisation.name),
                " ",
                sa.cast(col(FundEntry.category), sa.String),
                " ",
                sa.cast(col(FundEntry.year), sa.String),
            ),
        ).join(Organisation, col(Organisation.id) == col(FundEntry.body_id))
    if kind == "mobilisation_recipient":
        # The person called on and the call ("王芳 · 防汛緊急動員").
        return (
            sa.select(
                col(MobilisationRecipient.id),
                _joined(col(Person.name), " · ", col(Mobilisation.title)),
            )
            .join(Person, col(Person.id) == col(MobilisationRecipient.person_id))
            .join(Mobilisation, col(Mobilisation.id) == col(MobilisationRecipient.mobilisation_id))
        )
    if kind == "standing":
        return sa.select(col(FirmStanding.id), col(Organisation.name)).join(
            Organisation, col(Organisation.id) == col(FirmStanding.firm_id)
        )
    people: dict[str, tuple[Any, Any]] = {
        "station_duty": (StationDuty, StationDuty.person_id),
        "post_claim": (PostClaim, PostClaim.person_id),
        "service_registration": (ServiceRegistration, ServiceRegistration.person_id),
        "volunteer_service": (VolunteerService, VolunteerService.volunteer_id),
        # A pairing is named by its mentee, the person it is for.
        "mentor_pair": (MentorPair, MentorPair.mentee_id),
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
            label = as_label(name)
            if label is not None:
                found[(kind, int(record_id))] = label
    return found
