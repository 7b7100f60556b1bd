"""Compiled node documents, kept per (selection, shape of the caller's grants, day, dialect).

Building the JSON expressions of a 100-row page costs more Python than running them;
a caller asking the same document again (a frontend's page, a partner's poll) reuses
them. The key holds what the policy decides from: the SHAPE of the caller's grants,
workplaces, person, partner unit and scopes (policies/actor_shape.py), and the day. A plan
is built for the shape's sentinel actor and its sentinel values become parameters each
request binds to its caller's ids (schema/compiled/caller_parameters.py), so the
residents of a city share one plan rather than each building their own; a plan that
cannot be so parameterised is kept per caller. The clock is read at execution (a bind
parameter), never frozen into a kept expression.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode

from policies.actor import Actor
from policies.actor_shape import Renamed, renamed
from resolvers.context import RequestContext
from resolvers.kept import KeptPer
from schema.compiled.caller_parameters import CallerParameter, parameterised
from schema.compiled.kept import KeptExpression
from schema.compiled.pages import PageArguments
from schema.compiled.selection import NotCompilable

# Distinct (document, shape) pairs kept per process (and (document, caller) pairs, for
# plans kept per caller). A 100-issue page's plan holds about 200 KB of expressions; past
# this many a plan is rebuilt (about 4 ms of CPU), as every request built it before plans
# were kept.
CAPACITY = 256


@dataclass(frozen=True)
class NodePlan:
    # Per node response key, the column of its JSON text; then the masked-field flags.
    documents: list[tuple[str, Any]]
    masks: list[tuple[str, Any]]
    # The nested pages whose size and cursor each request binds (schema/compiled/pages.py).
    pages: tuple[PageArguments, ...] = ()
    # The parameters each request binds to its caller's ids (a plan shared by a shape).
    callers: tuple[CallerParameter, ...] = ()

    def caller_values(self, real: Mapping[int, int]) -> dict[str, Any]:
        """The values of CALLERS for the caller whose ids the sentinels in REAL stand for."""
        return {parameter.name: parameter.value(real) for parameter in self.callers}


@dataclass(frozen=True)
class Planned:
    """A kept plan and this caller's values of its caller parameters."""

    plan: NodePlan
    parameters: dict[str, Any]


@dataclass(frozen=True)
class _Outcome:
    # None: the selection does not compile, for REASON (kept too: it will not next time),
    # or (PER_CALLER) its shape's plan could not be parameterised.
    plan: NodePlan | None
    reason: str = ""
    per_caller: bool = False


_kept: KeptPer[_Outcome] = KeptPer(CAPACITY)
# A shared plan's parameter values per caller: working them out from the caller's ids was
# a twentieth of a compiled page's CPU, the same on every request of that caller.
_values: KeptPer[dict[str, Any]] = KeptPer(CAPACITY * 4)


@dataclass
class Builds:
    """Plans built in this process, on a miss (tests and benchmarks count them: a hit
    builds none)."""

    count: int = 0


BUILDS = Builds()

Build = Callable[[RequestContext], NodePlan]


def node_plan(
    ctx: RequestContext,
    root: FieldNode,
    variables: Hashable,
    build: Build,
) -> Planned:
    """The plan BUILD makes (for the context it is given) for the root field ROOT (of a
    parsed document the pipeline keeps) under VARIABLES (those @skip/@include may read),
    kept for every caller of this caller's shape, with this caller's parameter values."""
    shape = renamed(ctx.actor)
    if shape is not None:
        parts = (variables, shape.shape, ctx.today, ctx.db.dialect_name)
        kept = _kept.get((root,), parts)
        if kept is None:
            kept = _outcome(root, parts, lambda: _shared(ctx, shape, build))
        if not kept.per_caller:
            plan = _compiled(kept)
            return Planned(plan, _caller_values(plan, ctx.actor, shape))
    # This caller alone: its own ids are in the plan.
    parts = (variables, ("caller", ctx.actor.access), ctx.today, ctx.db.dialect_name)
    kept = _kept.get((root,), parts) or _outcome(root, parts, lambda: _Outcome(build(ctx)))
    return Planned(_compiled(kept), {})


def _caller_values(plan: NodePlan, actor: Actor, shape: Renamed) -> dict[str, Any]:
    """PLAN's parameter values for ACTOR (whose shape is SHAPE), worked out once per caller.
    Callers get a copy: each request adds its own values to what it binds."""
    values = _values.get((plan,), actor.access)
    if values is None:
        values = _values.keep((plan,), actor.access, plan.caller_values(shape.real))
    return dict(values)


def _compiled(kept: _Outcome) -> NodePlan:
    if kept.plan is None:
        raise NotCompilable(kept.reason)
    return kept.plan


def _outcome(root: FieldNode, parts: Hashable, build: Callable[[], _Outcome]) -> _Outcome:
    BUILDS.count += 1
    try:
        outcome = build()
    except NotCompilable as reason:
        outcome = _Outcome(None, str(reason))
    return _kept.keep((root,), parts, outcome)


def _shared(ctx: RequestContext, shape: Renamed, build: Build) -> _Outcome:
    """The plan built for SHAPE's sentinel actor, its sentinels made caller parameters, if
    the same build for its twin agrees; PER_CALLER when that cannot be done safely."""
    plan = build(_shadow(ctx, shape.actor))
    twin = build(_shadow(ctx, shape.twin))
    rewritten = parameterised(
        _expressions(plan), _expressions(twin), shape.from_twin, ctx.db.dialect
    )
    if rewritten is None:
        return _Outcome(None, per_caller=True)
    kept = [KeptExpression(expression) for expression in rewritten.expressions]
    split = len(plan.documents)
    return _Outcome(
        NodePlan(
            [(key, kept[n]) for n, (key, _) in enumerate(plan.documents)],
            [(label, kept[split + n]) for n, (label, _) in enumerate(plan.masks)],
            plan.pages,
            rewritten.parameters,
        )
    )


def _shadow(ctx: RequestContext, actor: Actor) -> RequestContext:
    """A context of ACTOR's own for a build: what the request's context caches (its
    decisions) is its caller's, and a sentinel actor's must not reach the request."""
    return RequestContext(
        db=ctx.db, actor=actor, request_id=ctx.request_id, locale=ctx.locale, today=ctx.today
    )


def _expressions(plan: NodePlan) -> list[Any]:
    return [expression.inner for _, expression in plan.documents + plan.masks]
