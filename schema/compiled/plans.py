"""Compiled node documents, kept per (selection, caller, day, dialect).

Building the JSON expressions of a 100-row page costs more Python than running them;
a caller asking the same document again (a frontend's page, a partner's poll) reuses
them. The key holds what the policy decides from (the caller's grants, workplaces, person,
partner unit and scopes, and the day); the clock is read at execution (a bind
parameter), never frozen into a kept expression.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode

from resolvers.context import RequestContext
from resolvers.kept import KeptPer
from schema.compiled.pages import PageArguments
from schema.compiled.selection import NotCompilable

# Distinct (document, caller) pairs kept per process. A 100-issue page's plan holds about
# 200 KB of expressions; past this many callers a plan is rebuilt (about 4 ms of CPU), as
# every request built it before plans were kept.
CAPACITY = 256


@dataclass(frozen=True)
class NodePlan:
    # Per node response key, the column of its JSON text; then the masked-field flags.
    documents: list[tuple[str, Any]]
    masks: list[tuple[str, Any]]
    # The nested pages whose size and cursor each request binds (schema/compiled/pages.py).
    pages: tuple[PageArguments, ...] = ()


@dataclass(frozen=True)
class _Outcome:
    # None: the selection does not compile, for REASON (kept too: it will not next time).
    plan: NodePlan | None
    reason: str = ""


_kept: KeptPer[_Outcome] = KeptPer(CAPACITY)


def node_plan(
    ctx: RequestContext,
    root: FieldNode,
    variables: Hashable,
    build: Callable[[], NodePlan],
) -> NodePlan:
    """The plan BUILD makes for the root field ROOT (of a parsed document the pipeline
    keeps) under VARIABLES (those @skip/@include may read) for this caller, kept."""
    parts = (variables, ctx.actor.access, ctx.today, ctx.db.dialect_name)
    kept = _kept.get((root,), parts)
    if kept is not None:
        if kept.plan is None:
            raise NotCompilable(kept.reason)
        return kept.plan
    try:
        plan = build()
    except NotCompilable as reason:
        _kept.keep((root,), parts, _Outcome(None, str(reason)))
        raise
    _kept.keep((root,), parts, _Outcome(plan))
    return plan
