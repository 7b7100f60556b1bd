"""The `jinlin` command line."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
import uvicorn

from app.settings import Environment, get_settings
from db import migrate
from db.audit_store import verify_chain
from db.demo import TOKEN_ROLES, demo_token_people, find_demo, load_demo
from db.engine import Database, create_engine
from db.models import Organisation
from resolvers.tokens import issue_token
from schema.ids import encode_id

cli = typer.Typer(
    help="Jinlin: residential-compound governance over GraphQL.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_cli = typer.Typer(help="Demo and test data.", no_args_is_help=True)
schema_cli = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
audit_cli = typer.Typer(help="The audit log.", no_args_is_help=True)
policy_cli = typer.Typer(help="The authorization policy.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(seed_cli, name="seed")
cli.add_typer(schema_cli, name="schema")
cli.add_typer(audit_cli, name="audit")
cli.add_typer(policy_cli, name="policy")

DEMO_TOKEN_LIFETIME = timedelta(days=30)


async def seed_demo(database_url: str, secret_key: str) -> dict[str, Any]:
    """Load the demo city unless it is there, then issue fresh demo tokens."""
    engine = create_engine(database_url)
    try:
        db = Database.from_engine(engine)
        async with db.write() as session:
            if await find_demo(session) is None:
                await load_demo(session)
        async with db.write() as session:
            people, compounds = await demo_token_people(session)
            tokens: dict[str, str] = {}
            for role in TOKEN_ROLES:
                issued = await issue_token(
                    session,
                    person_id=people[role],
                    name=f"demo {role}",
                    key=secret_key,
                    lifetime=DEMO_TOKEN_LIFETIME,
                )
                tokens[role] = issued.secret
        return {
            "tokens": tokens,
            "ids": {key: str(encode_id("Organisation", value)) for key, value in compounds.items()},
        }
    finally:
        await engine.dispose()


async def _is_empty(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = (
                await connection.execute(sa.select(sa.func.count()).select_from(Organisation))
            ).scalar_one()
        return int(count) == 0
    finally:
        await engine.dispose()


def _write_tokens(payload: dict[str, Any], tokens_out: Path | None) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    if tokens_out is None:
        typer.echo(text)
    else:
        tokens_out.write_text(text + "\n", encoding="utf-8")
        tokens_out.chmod(0o600)
        typer.echo(f"demo tokens written to {tokens_out}", err=True)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    tokens_out: Annotated[
        Path, typer.Option(help="Where demo tokens go when demo data is loaded.")
    ] = Path("demo-tokens.json"),
) -> None:
    """Migrate, load the demo city into an empty development database, and serve."""
    from app.factory import create_app

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    if settings.env is Environment.DEVELOPMENT and asyncio.run(_is_empty(settings.database_url)):
        payload = asyncio.run(seed_demo(settings.database_url, settings.secret_key))
        _write_tokens(payload, tokens_out)
        typer.echo(
            f"Demo city loaded. Open http://{host}:{port}/graphql and send the header\n"
            f"  Authorization: Bearer {payload['tokens']['secretary']}\n"
            f"(the compound A secretary; every demo token is in {tokens_out}).",
            err=True,
        )
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply Alembic migrations up to REVISION."""
    migrate.upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {migrate.current_revision(get_settings().database_url)}", err=True)


@seed_cli.command("demo")
def seed_demo_command(
    tokens_out: Annotated[
        Path | None, typer.Option(help="Write the demo tokens as JSON here (default: stdout).")
    ] = None,
) -> None:
    """Load the demo city (idempotent) and issue demo bearer tokens."""
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    _write_tokens(asyncio.run(seed_demo(settings.database_url, settings.secret_key)), tokens_out)


@schema_cli.command("export")
def schema_export() -> None:
    """Print the GraphQL SDL; schema/schema.graphql must equal it."""
    from schema.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 at the first broken entry."""

    async def run() -> tuple[int, Any]:
        engine = create_engine(get_settings().database_url)
        try:
            async with Database.from_engine(engine).read_sessions() as session:
                return await verify_chain(session)
        finally:
            await engine.dispose()

    checked, broken = asyncio.run(run())
    if broken is not None:
        typer.echo(
            f"BROKEN at entry {broken.seq}: {broken.reason} ({checked} entries verified before it)"
        )
        raise typer.Exit(1)
    typer.echo(f"ok: {checked} entries, chain intact")


@policy_cli.command("matrix")
def policy_matrix(
    readme: Annotated[
        Path | None, typer.Option(help="Rewrite the matrix block of this README in place.")
    ] = None,
) -> None:
    """Print the role x resource x action matrix of policies/policy.csv (or update a README)."""
    from policies.matrix import matrix_markdown, replace_in

    if readme is None:
        typer.echo(matrix_markdown())
        return
    readme.write_text(replace_in(readme.read_text(encoding="utf-8")), encoding="utf-8")
    typer.echo(f"permission matrix updated in {readme}", err=True)


def main() -> None:
    cli()
