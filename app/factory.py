"""The ASGI application factory: the composition root of a running Jinlin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.graphql import GraphQLEndpoint, JinlinGraphQL
from app.logging import configure_logging
from app.middleware import RequestIdMiddleware
from app.settings import Settings, get_settings
from db.engine import Database, create_engine
from db.migrate import head_revision
from schema.schema import SchemaLimits, build_schema


def create_app(settings: Settings | None = None, database: Database | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    engine = (
        None
        if database is not None
        else create_engine(settings.database_url, echo=settings.sql_echo)
    )
    db = database or Database.from_engine(engine)  # type: ignore[arg-type]
    expected_revision = head_revision(settings.database_url)

    graphql = JinlinGraphQL(
        build_schema(
            SchemaLimits(
                max_depth=settings.max_query_depth,
                max_cost=settings.max_query_cost,
                production=settings.is_production,
            )
        ),
        graphql_ide=None if settings.is_production else "graphiql",
        allow_queries_via_get=False,
    )
    endpoint = GraphQLEndpoint(graphql, db, settings.secret_key)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        try:
            async with db.read_sessions() as session:
                current = (
                    await session.execute(sa.text("SELECT version_num FROM alembic_version"))
                ).scalar_one_or_none()
        except Exception:
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable"}, status_code=503
            )
        if current != expected_revision:
            return JSONResponse(
                {
                    "status": "unavailable",
                    "migrations": {"current": current, "head": expected_revision},
                },
                status_code=503,
            )
        return JSONResponse({"status": "ok", "migrations": {"current": current}})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if engine is not None:
            await engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(RequestIdMiddleware)
    app.state.database = db
    return app
