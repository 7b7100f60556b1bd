"""Per-request authorization: Casbin once per (resource, action), then rows by SQL or facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from db import clock
from db.paths import ROOT
from db.value_lists import in_values
from policies.actor import Actor
from policies.conditions import CONDITIONS, RowFacts, TableScope, Who
from policies.enforcer import allowed_conditions
from policies.grants import Grant
from policies.resources import check_action, resource


@dataclass(frozen=True)
class Clause:
    """One way in: CONDITION applied to GRANT's domain."""

    condition: str
    grant: Grant


@dataclass(frozen=True)
class Decision:
    """Everything an actor may do for one (resource, action): the clauses that allow it."""

    resource: str
    action: str
    clauses: tuple[Clause, ...]
    who: Who

    @property
    def allowed_somewhere(self) -> bool:
        return bool(self.clauses)

    def grant_for(self, facts: RowFacts) -> Grant | None:
        """The first grant that allows this row, or None."""
        for clause in self.clauses:
            row_check = CONDITIONS[clause.condition].row
            if row_check is not None and row_check(facts, clause.grant.domain, self.who):
                return clause.grant
        return None

    def _domains_by_condition(self) -> dict[str, list[str]]:
        by_condition: dict[str, list[str]] = {}
        for clause in self.clauses:
            by_condition.setdefault(clause.condition, []).append(clause.grant.domain)
        return by_condition

    def _shape(self) -> Shape:
        return tuple(
            (name, tuple(sorted(set(domains))))
            for name, domains in sorted(self._domains_by_condition().items())
        )

    def where(self) -> ColumnElement[bool]:
        """The SQL filter for the rows this decision allows (false when none)."""
        return _where(self.resource, self._shape(), self.who)

    def _names_assignee(self) -> bool:
        scope = resource(self.resource).scope
        return scope.compound is not None and scope.assignee_column is not None

    @property
    def compound_domains(self) -> tuple[str, ...]:
        """The domains `branches` needs resolved to compound ids, when the table names its
        compound: those of the subtree and current clauses, and of the assigned ones where the
        table names its assignee."""
        if resource(self.resource).scope.compound is None:
            return ()
        shape = dict(self._shape())
        domains = set(shape.get("subtree", ()))
        if resource(self.resource).scope.in_force is not None:
            domains.update(shape.get("current", ()))
        if self._names_assignee():
            domains.update(shape.get("assigned", ()))
        return tuple(sorted(domains))

    @property
    def organisation_paths(self) -> tuple[str, ...]:
        """The paths `branches` needs resolved to the ids of every organisation under them:
        the caller's workplaces for an assigned clause on a table that names its assignee,
        and the subtree domains of a table whose rows name their organisation (positions)."""
        scope = resource(self.resource).scope
        shape = dict(self._shape())
        paths: set[str] = set()
        if self._names_assignee() and "assigned" in shape:
            paths.update(self.who.member_of)
        if scope.in_organisation is not None:
            paths.update(domain for domain in shape.get("subtree", ()) if domain != ROOT)
        return tuple(sorted(paths))

    def branches(
        self,
        compounds: Mapping[str, Sequence[int]],
        organisations: Mapping[str, Sequence[int]] | None = None,
    ) -> tuple[ColumnElement[bool], ...]:
        """The allowed rows as separate clauses whose OR is `where()`, one per condition, so
        a list can read each through its own index in order and merge them (a UNION of
        top-N reads), where one OR would make the database filter a whole index.

        COMPOUNDS gives each of `compound_domains` its compound ids and ORGANISATIONS each
        of `organisation_paths` the ids of the organisations under it (both read from the
        database this request): `column IN (ids)` lets the planner walk an index in order;
        a subquery over organisation paths hides that from it. Without ORGANISATIONS (more
        than MAX_NAMED_ORGANISATIONS lie under the paths), those branches keep the subquery.
        """
        resolved = tuple(
            (domain, tuple(sorted(compounds.get(domain, ())))) for domain in self.compound_domains
        )
        under = (
            None
            if organisations is None
            else tuple(
                (path, tuple(sorted(organisations.get(path, ()))))
                for path in self.organisation_paths
            )
        )
        return _branches(self.resource, self._shape(), self.who, resolved, under)


Shape = tuple[tuple[str, tuple[str, ...]], ...]
# A subtree domain and the ids of the compounds under it.
Resolved = tuple[tuple[str, tuple[int, ...]], ...]


def _scope(name: str) -> TableScope:
    return resource(name).scope


# Building a scope's SQL expression costs milliseconds of SQLAlchemy work, and one caller
# asks the same (resource, grants, day) on every request: keep the expression (immutable,
# so safe to share). The key holds everything the expression depends on, so a changed grant
# or a new day builds a new one.
@lru_cache(maxsize=4096)
def _where(resource: str, shape: Shape, who: Who) -> ColumnElement[bool]:
    if not shape:
        return sa.false()
    scope = _scope(resource)
    return sa.or_(*(CONDITIONS[name].sql(scope, list(domains), who) for name, domains in shape))


@lru_cache(maxsize=4096)
def _branches(
    resource: str, shape: Shape, who: Who, resolved: Resolved, under: Resolved | None
) -> tuple[ColumnElement[bool], ...]:
    scope = _scope(resource)
    branches: list[ColumnElement[bool]] = []
    for name, domains in shape:
        if name == "subtree" and scope.in_organisation is not None:
            branches.append(_in_organisations(scope, scope.in_organisation, under, domains))
        elif name == "subtree" and scope.compound is not None:
            branches.append(_in_compounds(scope, scope.compound, resolved, domains))
            if scope.above_compounds is not None and ROOT not in domains:
                branches.append(scope.above_compounds(list(domains)))
        elif name == "current" and scope.compound is not None and scope.in_force is not None:
            # Shown today in a compound under the domain: the compound's index, then the day.
            branches.append(
                sa.and_(
                    _in_compounds(scope, scope.compound, resolved, domains),
                    scope.in_force(who.today),
                )
            )
        elif name == "assigned" and scope.compound is not None and scope.assignee_column:
            # Assigned to one of the caller's workplaces, in a compound under the domain:
            # (assignee, created_at) then walks in order, filtering the compound.
            if not who.member_of:
                branches.append(sa.false())
                continue
            workplaces = (
                scope.assigned_under(list(who.member_of))
                if under is None
                else _in_ids(scope.assignee_column, _ids_under(under, who.member_of))
            )
            branches.append(
                sa.and_(workplaces, _in_compounds(scope, scope.compound, resolved, domains))
            )
        else:
            branches.append(CONDITIONS[name].sql(scope, list(domains), who))
    return tuple(branches)


# Up to this many organisations, a subtree's rows are read through their organisation's
# index; a wider subtree holds a large share of the table, which a walk in key order
# filtered by the subtree finds sooner (measured on a city of 2,000 compounds: a street of
# 240 compounds read 4,000 positions to sort 20 when named, and 200 when walked), and
# naming its thousands of organisations would cost more than the list.
MAX_NAMED_ORGANISATIONS = 100


def _in_organisations(
    scope: TableScope,
    column: sa.SQLColumnExpression[int | None],
    under: Resolved | None,
    domains: tuple[str, ...],
) -> ColumnElement[bool]:
    if ROOT in domains:
        return sa.true()
    if under is None:
        return scope.under_any(list(domains))
    return _in_ids(column, _ids_under(under, domains))


def _ids_under(under: Resolved, paths: Sequence[str]) -> list[int]:
    return [id_ for path, ids in under if path in paths for id_ in ids]


def _in_compounds(
    scope: TableScope,
    column: sa.SQLColumnExpression[int | None],
    resolved: Resolved,
    domains: tuple[str, ...],
) -> ColumnElement[bool]:
    if ROOT in domains:
        # The whole city: every row, or (where rows can lie outside compounds and the
        # subtree scope leaves those out) every row in some compound.
        return sa.true() if scope.above_compounds is not None else column.is_not(None)
    return _in_ids(column, [i for domain, ids in resolved if domain in domains for i in ids])


def _in_ids(column: sa.SQLColumnExpression[int | None], ids: Sequence[int]) -> ColumnElement[bool]:
    return in_values(column, sorted(set(ids)))


class Authorizer:
    """Answers for one actor during one request; decisions are memoised."""

    def __init__(self, actor: Actor, today: date | None = None) -> None:
        self.actor = actor
        self.who = Who(
            person_id=actor.person_id, today=today or clock.today(), member_of=actor.member_of
        )
        self._decisions: dict[tuple[str, str], Decision] = {}

    def decide(self, resource: str, action: str) -> Decision:
        key = (resource, action)
        decision = self._decisions.get(key)
        if decision is None:
            check_action(resource, action)
            clauses: list[Clause] = []
            # A partner token's scopes cap what its grants may do.
            grants = self.actor.grants if self.actor.may_attempt(resource, action) else ()
            for grant in grants:
                conditions = allowed_conditions(grant.role, resource, action)
                for condition in sorted(conditions or ()):
                    clauses.append(Clause(condition, grant))
            decision = Decision(resource, action, tuple(clauses), self.who)
            self._decisions[key] = decision
        return decision
