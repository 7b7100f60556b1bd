"""`jinlin serve`: migrate, load the demo city when empty (development), run uvicorn.

With --workers N uvicorn runs N processes on one socket, each building the app from the
environment (app.asgi). Nothing a request relies on lives only in one process: the rate
budget is in Redis, the audit chain, checkpoints and access epoch in the database, and the
trusted documents are the same file read by each at start.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from app.cli.data import is_empty, seed_demo, write_tokens
from app.settings import get_settings
from app.settings.security import Environment
from db import migrate


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    tokens_out: Annotated[
        Path, typer.Option(help="Where demo tokens go when demo data is loaded.")
    ] = Path("demo-tokens.json"),
    workers: Annotated[
        int, typer.Option(min=1, help="Processes serving the port (each with its own pool).")
    ] = 1,
) -> None:
    """Migrate, load the demo city into an empty development database, and serve."""
    from app.factory import create_app

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    if settings.env is Environment.DEVELOPMENT and asyncio.run(is_empty(settings.database_url)):
        payload = asyncio.run(seed_demo(settings.database_url, settings.secret_key))
        write_tokens(payload, tokens_out)
        typer.echo(
            f"Demo city loaded. Open http://{host}:{port}/graphql and send the header\n"
            f"  Authorization: Bearer {payload['tokens']['secretary']}\n"
            f"(the compound A secretary; every demo token is in {tokens_out}).",
            err=True,
        )
    # In-flight requests end within the request timeout; shutdown waits for them and a
    # little more, then cancels what is left (rolled back, never half-written).
    grace = int(settings.request_timeout_seconds) + 5
    if workers == 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=grace,
        )
        return
    if settings.redis_url is None:
        typer.echo("JINLIN_REDIS_URL is not set: each worker keeps its own rate budget.", err=True)
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=grace,
    )
