"""What one request did, for its log line and the Prometheus metrics.

The request middleware opens a RequestFacts per HTTP request; the GraphQL endpoint
fills in the operation, actor, cost and error codes; a SQLAlchemy listener counts
the statements the request issued through a context variable (resolvers of one
request run in child tasks, which share the same RequestFacts object).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

FACTS_KEY = "jinlin_facts"


@dataclass
class RequestFacts:
    operation_name: str | None = None
    person_id: int | None = None
    token_id: int | None = None
    cost: int | None = None
    sql_statements: int = 0
    error_codes: list[str] = field(default_factory=list)

    def log_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"sql_statements": self.sql_statements}
        if self.operation_name is not None:
            fields["operation"] = self.operation_name
        if self.person_id is not None:
            fields["person_id"] = self.person_id
            fields["token_id"] = self.token_id
        if self.cost is not None:
            fields["cost"] = self.cost
        if self.error_codes:
            fields["error_codes"] = sorted(set(self.error_codes))
        return fields


_current: ContextVar[RequestFacts | None] = ContextVar("jinlin_request_facts", default=None)


def facts_of(scope: Scope) -> RequestFacts | None:
    facts = scope.get("state", {}).get(FACTS_KEY)
    return facts if isinstance(facts, RequestFacts) else None


def note_error(scope: Scope, code: str) -> None:
    facts = facts_of(scope)
    if facts is not None:
        facts.error_codes.append(code)


@contextmanager
def collecting(scope: Scope) -> Iterator[RequestFacts]:
    """Open the request's facts: in its scope for the app, in a context var for SQL counting."""
    facts = RequestFacts()
    scope.setdefault("state", {})[FACTS_KEY] = facts
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)


def _count_statement(*args: Any) -> None:
    facts = _current.get()
    if facts is not None:
        facts.sql_statements += 1


def install_statement_counter(sync_engine: sa.engine.Engine) -> None:
    """Count each statement sent to the database against the current request (idempotent)."""
    if not sa.event.contains(sync_engine, "before_cursor_execute", _count_statement):
        sa.event.listen(sync_engine, "before_cursor_execute", _count_statement)


def engine_behind(sessions: Any) -> sa.engine.Engine | None:
    """The engine a sessionmaker binds to (an AsyncEngine or AsyncConnection), if reachable."""
    bind = getattr(sessions, "kw", {}).get("bind")
    sync_engine = getattr(bind, "sync_engine", None)
    return sync_engine if isinstance(sync_engine, sa.engine.Engine) else None


LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
STATEMENT_BUCKETS = (0, 1, 2, 3, 5, 10, 20, 50, 100, 250)


class Metrics:
    """Prometheus metrics in a registry of their own, so several apps in one process coexist."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "jinlin_http_requests",
            "HTTP requests by route and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.errors = Counter(
            "jinlin_graphql_errors",
            "Errors returned to clients, by extensions.code.",
            ["code"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "jinlin_http_request_duration_seconds",
            "Time from request to the end of the response, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.statements = Histogram(
            "jinlin_sql_statements_per_request",
            "SQL statements one request issued, by route.",
            ["route"],
            buckets=STATEMENT_BUCKETS,
            registry=self.registry,
        )
        # The rate limit's store (app/rate_limit.py): shared in Redis, or kept per process.
        self.rate_limit_shared = Gauge(
            "jinlin_rate_limit_shared",
            "1 while rate-limit budgets are shared through Redis; 0 while kept in this process "
            "(no Redis configured, or Redis unreachable).",
            registry=self.registry,
        )
        self.redis_outages = Counter(
            "jinlin_redis_outages",
            "Times Redis became unreachable and the rate limit fell back to this process.",
            registry=self.registry,
        )
        self.rate_limit_fallbacks = Counter(
            "jinlin_rate_limit_local_spends",
            "Operations charged to this process's budget because Redis was unreachable.",
            registry=self.registry,
        )

    def observe(
        self, route: str, method: str, status: int, seconds: float, facts: RequestFacts
    ) -> None:
        self.requests.labels(route=route, method=method, status=str(status)).inc()
        self.latency.labels(route=route).observe(seconds)
        self.statements.labels(route=route).observe(facts.sql_statements)
        for code in facts.error_codes:
            self.errors.labels(code=code).inc()

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
