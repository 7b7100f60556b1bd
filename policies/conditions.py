"""Named conditions: how a grant's domain applies to a row, defined once for SQL and for rows.

Every condition has a SQL form (lists and node fetches are scoped in the
database). Conditions that guard writes also have a row form, checked against
the facts of the one row being changed; the policy loader refuses a write
rule whose condition lacks it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from db import clock
from db.models import (
    JointMeeting,
    JointMeetingParticipant,
    LinkKind,
    Organisation,
    OrganisationLink,
    Position,
)
from db.paths import any_subtree_clause, ids_on_path, in_subtree
from db.value_lists import in_values
from policies.grants import active_on, link_active_on
from policies.subtrees import organisations_under


@dataclass(frozen=True)
class RowFacts:
    """What a row check needs to know about one row."""

    paths: tuple[str, ...] = ()
    owner_person_id: int | None = None
    # The organisation a row is assigned to (an issue's assignee), if any.
    assignee_path: str | None = None
    # The body a row speaks for (a notice's publishing branch or owners' committee), if any.
    body_path: str | None = None
    # Whether the row is shown today (a notice in its publication period), if it has a period.
    in_force: bool | None = None
    # The compounds a property firm serves today, when the row is a party-building liaison's
    # place at that firm (for `served`); empty for every other row.
    served_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableScope:
    """How one resource's table answers the conditions in SQL."""

    under_any: Callable[[list[str]], ColumnElement[bool]]
    owner: sa.SQLColumnExpression[int | None] | None = None
    person: sa.SQLColumnExpression[int | None] | None = None
    organisation: sa.SQLColumnExpression[int | None] | None = None
    # When "own" is more than one column equal to the caller (audit entries).
    own: Callable[[int], ColumnElement[bool]] | None = None
    # The organisation a row is assigned to (issues): whose work it is.
    assignee_column: sa.SQLColumnExpression[int | None] | None = None
    # The organisation a row lies in, when that is how the table is scoped (positions): a
    # list's subtree branch then names the organisations under it.
    in_organisation: sa.SQLColumnExpression[int | None] | None = None
    # The row's compound, when the table names one: a subtree then resolves to concrete
    # compound ids (policies.authorizer.Decision.branches), which an index walks in order.
    compound: sa.SQLColumnExpression[int | None] | None = None
    # Rows under a domain that lie above every compound (a street's own audit entries):
    # with `compound`, a subtree is these plus the rows of its compounds.
    above_compounds: Callable[[list[str]], ColumnElement[bool]] | None = None
    # The body a row speaks for (a notice's publisher), for `member`.
    body: sa.SQLColumnExpression[int | None] | None = None
    # Rows shown on a day (notices in their publication period), for `current`.
    in_force: Callable[[date], ColumnElement[bool]] | None = None
    # The firm a row places a party-building liaison at (positions with that title), for
    # `served`: NULL on every other row.
    liaison_at: sa.SQLColumnExpression[int | None] | None = None
    # The rows a person sits in on without being of their body on a day (an owners'
    # committee meeting, for its compound's branch secretary or deputy), for `sits_in`.
    sat_in_by: Callable[[int, date], ColumnElement[bool]] | None = None

    def assigned_under(self, workplaces: list[str]) -> ColumnElement[bool]:
        """Rows assigned to an organisation under any of WORKPLACES (none, on a table that
        assigns no rows)."""
        if self.assignee_column is None:
            return sa.false()
        return self.assignee_column.in_(organisations_under(workplaces))


@dataclass(frozen=True)
class Who:
    person_id: int | None
    today: date = field(default_factory=clock.today)
    # Paths of the organisations the caller works in (for `assigned`).
    member_of: tuple[str, ...] = ()


def _subtree_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    return scope.under_any(domains)


def _subtree_row(facts: RowFacts, domain: str, who: Who) -> bool:
    return any(in_subtree(path, domain) for path in facts.paths)


def _own_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if who.person_id is None:
        return sa.false()
    if scope.own is not None:
        return scope.own(who.person_id)
    if scope.owner is None:
        return sa.false()
    return scope.owner == who.person_id


def _own_row(facts: RowFacts, domain: str, who: Who) -> bool:
    return who.person_id is not None and facts.owner_person_id == who.person_id


def _holder_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.person is None:
        return sa.false()
    holders = (
        sa.select(col(Position.person_id))
        .join(Organisation, col(Organisation.id) == Position.organisation_id)
        .where(active_on(who.today), any_subtree_clause(col(Organisation.path), domains))
    )
    return scope.person.in_(holders)


def _linked_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.organisation is None:
        return sa.false()
    partners = (
        sa.select(col(OrganisationLink.source_id))
        .join(Organisation, col(Organisation.id) == OrganisationLink.target_id)
        .where(link_active_on(who.today), any_subtree_clause(col(Organisation.path), domains))
    )
    return scope.organisation.in_(partners)


def _ancestor_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.organisation is None:
        return sa.false()
    return in_values(scope.organisation, sorted({i for d in domains for i in ids_on_path(d)}))


def _assigned_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.assignee_column is None or not who.member_of:
        return sa.false()
    return sa.and_(scope.assigned_under(list(who.member_of)), scope.under_any(domains))


def _assigned_row(facts: RowFacts, domain: str, who: Who) -> bool:
    # Assigned to an organisation the caller works in, and lying under this grant's domain
    # (for a firm: a compound it serves under an active contract).
    return (
        facts.assignee_path is not None
        and any(in_subtree(facts.assignee_path, workplace) for workplace in who.member_of)
        and any(in_subtree(path, domain) for path in facts.paths)
    )


def _invited_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.organisation is None:
        return sa.false()
    invited = (
        sa.select(col(JointMeetingParticipant.organisation_id))
        .join(JointMeeting, col(JointMeeting.id) == col(JointMeetingParticipant.meeting_id))
        .join(Organisation, col(Organisation.id) == col(JointMeeting.organisation_id))
        .where(any_subtree_clause(col(Organisation.path), domains))
    )
    return scope.organisation.in_(invited)


def _current_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.in_force is None:
        return sa.false()
    return sa.and_(scope.under_any(domains), scope.in_force(who.today))


def _current_row(facts: RowFacts, domain: str, who: Who) -> bool:
    return facts.in_force is True and _subtree_row(facts, domain, who)


def _member_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.body is None or not who.member_of:
        return sa.false()
    bodies = sa.select(col(Organisation.id)).where(
        in_values(col(Organisation.path), sorted(who.member_of))
    )
    return sa.and_(scope.body.in_(bodies), scope.under_any(domains))


def _member_row(facts: RowFacts, domain: str, who: Who) -> bool:
    # The caller holds a position in the very body the row speaks for (not merely somewhere
    # in the compound: a supervisory board member does not publish as the owners' committee).
    return (
        facts.body_path is not None
        and facts.body_path in who.member_of
        and _subtree_row(facts, domain, who)
    )


def _below_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.compound is None:
        return sa.false()
    compound = scope.compound
    # Per domain: under it, and not its own compound (the grant is held above the row).
    return sa.or_(
        sa.false(),
        *(
            sa.and_(
                scope.under_any([domain]),
                compound.not_in(
                    sa.select(col(Organisation.id)).where(col(Organisation.path) == domain)
                ),
            )
            for domain in domains
        ),
    )


def _below_row(facts: RowFacts, domain: str, who: Who) -> bool:
    # Strictly under the grant's organisation: a grant held at the compound itself (its own
    # people's) does not reach the compound's row (a branch is not granted funds by itself).
    return any(in_subtree(path, domain) and path != domain for path in facts.paths)


def _served_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.liaison_at is None:
        return sa.false()
    firms = (
        sa.select(col(OrganisationLink.source_id))
        .join(Organisation, col(Organisation.id) == OrganisationLink.target_id)
        .where(
            col(OrganisationLink.kind) == LinkKind.SERVES,
            link_active_on(who.today),
            any_subtree_clause(col(Organisation.path), domains),
        )
    )
    return scope.liaison_at.in_(firms)


def _served_row(facts: RowFacts, domain: str, who: Who) -> bool:
    # The firm serves (a link in force today) a compound under the grant's organisation: the
    # branch appoints its party-building liaison (黨建指導員) to the firm that serves it.
    return any(in_subtree(path, domain) for path in facts.served_paths)


def _sits_in_sql(scope: TableScope, domains: list[str], who: Who) -> ColumnElement[bool]:
    if scope.sat_in_by is None or who.person_id is None:
        return sa.false()
    return sa.and_(scope.sat_in_by(who.person_id, who.today), scope.under_any(domains))


@dataclass(frozen=True)
class Condition:
    name: str
    description: str
    sql: Callable[[TableScope, list[str], Who], ColumnElement[bool]]
    # (facts, this grant's domain, who) -> allowed
    row: Callable[[RowFacts, str, Who], bool] | None


CONDITIONS: dict[str, Condition] = {
    c.name: c
    for c in (
        Condition(
            "subtree", "the row lies under the grant's organisation", _subtree_sql, _subtree_row
        ),
        Condition("own", "the row is the caller's own record", _own_sql, _own_row),
        Condition(
            "holder",
            "the person holds an active position under the grant's organisation",
            _holder_sql,
            None,
        ),
        Condition(
            "assigned",
            "the row is assigned to an organisation the caller works in and lies under the "
            "grant's organisation (a firm's issues in the compounds it serves)",
            _assigned_sql,
            _assigned_row,
        ),
        Condition(
            "ancestor",
            "the organisation is above the grant's organisation (the chain up to the city)",
            _ancestor_sql,
            None,
        ),
        Condition(
            "invited",
            "the organisation takes part in a joint meeting held under the grant's organisation",
            _invited_sql,
            None,
        ),
        Condition(
            "current",
            "the row lies under the grant's organisation and is shown today (a notice within "
            "its publication period, not withdrawn)",
            _current_sql,
            _current_row,
        ),
        Condition(
            "member",
            "the row speaks for a body the caller holds an active position in (a notice's "
            "publishing branch or owners' committee), under the grant's organisation",
            _member_sql,
            _member_row,
        ),
        Condition(
            "sits_in",
            "the caller sits in (列席) on the row without being of its body: an owners' "
            "committee meeting of a compound whose party branch (its own, or its grid's joint "
            "branch) they lead as secretary or deputy today, under the grant's organisation",
            _sits_in_sql,
            None,
        ),
        Condition(
            "below",
            "the row lies strictly under the grant's organisation: the grant is held above its "
            "compound (a street's or community's, not the compound's own)",
            _below_sql,
            _below_row,
        ),
        Condition(
            "linked",
            "the organisation serves or co-builds with a compound under the grant's organisation",
            _linked_sql,
            None,
        ),
        Condition(
            "served",
            "the row is a party-building liaison's place at a property firm that serves (a "
            "link in force today) a compound under the grant's organisation",
            _served_sql,
            _served_row,
        ),
    )
}
WRITE_SAFE_CONDITIONS = frozenset(name for name, c in CONDITIONS.items() if c.row is not None)
