"""The ASGI application factory: the composition root of a running Jinlin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from app.audit_checkpoints import checkpointing
from app.audit_export import export_endpoint
from app.console import console_routes
from app.draining import Draining
from app.graphiql import assets_route as graphiql_assets
from app.graphql import GraphQLEndpoint, JinlinGraphQL
from app.live import LiveGraphQL
from app.logging import configure_logging
from app.middleware import REQUEST_ID_HEADER, RequestIdMiddleware
from app.observability import Metrics, engine_behind, install_statement_counter
from app.rate_limit import MemoryRateLimiter, RedisRateLimiter, SharedRateLimiter
from app.readiness import Readiness
from app.settings import Settings, get_settings
from app.sweeps import sweeping_in_serve
from app.transport import BodyLimitMiddleware
from app.trusted_documents import TrustedDocuments
from app.uploads import upload_body_limit, upload_endpoints
from app.webhooks import delivering
from db.engine import Database, create_engine, request_reads_engine
from db.migrate import head_revision
from db.outbox_signal import signal_for
from db.replicas import read_routing
from resolvers.i18n.catalogues import load_all as load_catalogues
from resolvers.tokens.actors import ActorCache
from schema.schema import SchemaLimits, build_schema


def create_app(settings: Settings | None = None, database: Database | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    engine = (
        None
        if database is not None
        else create_engine(
            settings.database_url, echo=settings.sql_echo, pool=settings.pool_options()
        )
    )
    routing = (
        read_routing(
            engine,
            settings.database_replica_urls,
            pool=settings.pool_options(),
            max_lag=settings.replica_max_lag_seconds,
            check_seconds=settings.replica_check_seconds,
            window=settings.read_your_writes_seconds,
            redis_url=settings.redis_url,
        )
        if engine is not None and settings.database_replica_urls
        else None
    )
    reads_engine = (
        None
        if engine is None
        else request_reads_engine(
            settings.database_url, echo=settings.sql_echo, pool=settings.pool_options()
        )
    )
    db = database or Database.from_engine(engine, routing, reads_engine)  # type: ignore[arg-type]
    if database is None:
        # Wake-ups reach every app process through what the deployment has.
        db.signal = signal_for(
            settings.database_url, settings.redis_url, pgbouncer=settings.pgbouncer
        )
    # SQL statements per request, for the log line and metrics; an injected Database
    # (tests) is counted on the engine behind it when that is reachable.
    counted = engine.sync_engine if engine is not None else engine_behind(db.read_sessions)
    if counted is not None:
        install_statement_counter(counted)
    if reads_engine is not None:
        install_statement_counter(reads_engine.sync_engine)
    for replica in routing.replicas.replicas if routing is not None else ():
        install_statement_counter(replica.engine.sync_engine)
    metrics = Metrics()
    expected_revision = head_revision(settings.database_url)

    # With Redis the budget is shared, and falls back to the process while Redis is down.
    limiter: MemoryRateLimiter | SharedRateLimiter = (
        SharedRateLimiter(
            RedisRateLimiter(
                settings.redis_url, settings.rate_limit_points, settings.rate_limit_window_seconds
            ),
            metrics,
        )
        if settings.redis_url
        else MemoryRateLimiter(settings.rate_limit_points, settings.rate_limit_window_seconds)
    )
    schema = build_schema(
        SchemaLimits(
            max_depth=settings.max_query_depth,
            max_cost=settings.max_query_cost,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_directives=settings.max_directives,
            max_duplicate_fields=settings.max_duplicate_fields,
            max_batch_operations=settings.max_batch_operations,
            production=settings.is_production,
            budget=limiter,
        )
    )
    graphql = JinlinGraphQL(
        schema,
        graphql_ide=None if settings.is_production else "graphiql",
        allow_queries_via_get=False,
    )
    graphql.documents = TrustedDocuments.from_settings(
        settings.trusted_documents, settings.trusted_documents_only
    )
    graphql.documents.prepare(schema)
    actors = ActorCache()
    endpoint = GraphQLEndpoint(
        graphql,
        db,
        settings.secret_key,
        timeout=settings.request_timeout_seconds,
        actors=actors,
        compiled_reads=settings.compiled_reads,
    )
    live = LiveGraphQL(
        schema,
        db,
        settings.secret_key,
        actors,
        poll_seconds=settings.live_poll_seconds,
        access_check_seconds=settings.live_access_check_seconds,
        max_subscriptions=settings.max_subscriptions_per_connection,
        max_per_token=settings.max_subscriptions_per_token,
        max_backlog=settings.live_max_backlog,
        allowed_origins=settings.cors_origins,
    )

    export = export_endpoint(db, settings.secret_key, actors)
    upload, serve_upload = upload_endpoints(settings, db, actors)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    draining = Draining(settings.shutdown_drain_seconds)
    load_catalogues()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        draining.install()
        await db.signal.start()
        try:
            async with (
                checkpointing(settings, db),
                delivering(settings, db),
                sweeping_in_serve(settings, db),
            ):
                yield
        finally:
            draining.uninstall()
            await db.signal.close()
        if routing is not None:
            await routing.close()
        if engine is not None:
            await engine.dispose()
        if reads_engine is not None:
            await reads_engine.dispose()
        if isinstance(limiter, SharedRateLimiter):
            await limiter.close()

    app = Starlette(
        routes=[
            # Every method reaches the endpoint, which answers all but POST with a JSON 405.
            Route("/graphql", endpoint),
            WebSocketRoute("/graphql", live),
            Route("/healthz", healthz),
            # The development explorer's files (strawberry serves no explorer in production).
            *([] if settings.is_production else [graphiql_assets()]),
            Route("/readyz", Readiness(db, expected_revision, limiter, draining).endpoint),
            Route("/metrics", metrics.endpoint),
            Route("/audit/export", export),
            # Every method reaches it, which answers all but POST with a JSON 405.
            Route("/uploads", upload, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            Route("/uploads/{id:int}/{variant:str}", serve_upload, methods=["GET"]),
            *console_routes(settings, db, schema, actors, export),
        ],
        lifespan=lifespan,
    )
    # Added innermost first: request id (outermost), CORS, then the body limit.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        per_path={"/uploads": upload_body_limit(settings)},
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["POST"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER],
        max_age=600,
    )
    app.add_middleware(RequestIdMiddleware, metrics=metrics)
    app.state.database = db
    app.state.engine = engine  # None when the Database was handed in
    app.state.reads_engine = reads_engine  # requests' reads on PostgreSQL, else None
    app.state.metrics = metrics
    app.state.schema = schema
    return app
