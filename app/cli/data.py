"""`jinlin db …` and `jinlin seed …`: the schema and the demo city."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from sqlmodel import col

from app.cli.common import database
from app.settings import get_settings
from db import migrate
from db.engine import Database
from db.models import Organisation, OrganisationKind, OrganisationLink
from db.types import utcnow
from demo.city import CitySize, seed_city
from demo.city.seed import DatabaseNotEmpty
from demo.sample.city import (
    TOKEN_ROLES,
    demo_complete,
    demo_token_people,
    find_demo,
    load_demo,
)
from policies.actor import ANONYMOUS
from policies.token_scopes import TokenScope
from resolvers.context import RequestContext
from resolvers.tokens.bearer import authenticate, issue_operator_token
from resolvers.tokens.partner import IssuePartnerToken, issue_partner_token
from schema.ids import encode_id

db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_cli = typer.Typer(help="Demo and test data.", no_args_is_help=True)

DEMO_TOKEN_LIFETIME = timedelta(days=30)


class IncompleteDemo(RuntimeError):
    """The demo city is in the database but its load never finished."""


async def seed_demo(database_url: str, secret_key: str) -> dict[str, Any]:
    """Load the demo city unless it is there, then issue fresh demo tokens (each audited)."""
    async with database(database_url) as db:
        async with db.read_sessions() as session:
            loaded = await find_demo(session) is not None
            if loaded and not await demo_complete(session):
                raise IncompleteDemo(
                    "The demo city in this database was only partly loaded (its load was "
                    "interrupted). Start again on an empty database: drop the database (or "
                    "delete the SQLite file), then run `jinlin serve` again."
                )
        if not loaded:
            await load_demo(db)
        async with db.read_sessions() as session:
            people, compounds = await demo_token_people(session)
        return await issue_role_tokens(db, secret_key, people, compounds)


async def issue_role_tokens(
    db: Database, secret_key: str, people: dict[str, int], compounds: dict[str, int]
) -> dict[str, Any]:
    """A personal token for each of TOKEN_ROLES' people and the two partner tokens, in the
    demo's format; each issue is audited. A role PEOPLE lacks gets none (the synthetic city
    of `seed city` has no joint branch)."""
    tokens: dict[str, str] = {}
    for role in (r for r in TOKEN_ROLES if r in people):
        issued = await issue_operator_token(
            db,
            person_id=people[role],
            name=f"demo {role}",
            key=secret_key,
            lifetime=DEMO_TOKEN_LIFETIME,
        )
        tokens[role] = issued.secret
    tokens.update(await _demo_partner_tokens(db, secret_key, tokens, compounds))
    return {
        "tokens": tokens,
        "ids": {key: str(encode_id("Organisation", value)) for key, value in compounds.items()},
    }


async def _demo_partner_tokens(
    db: Database, secret_key: str, tokens: dict[str, str], compounds: dict[str, int]
) -> dict[str, str]:
    """A partner token per demo compound, issued by its secretary through the audited path:
    A's co-building partner unit over A, and B's property firm (its systems) over B."""

    async def first_of(kind: OrganisationKind, linked_to: int) -> int:
        async with db.read_sessions() as session:
            found = (
                await session.execute(
                    sa.select(col(Organisation.id))
                    .join(OrganisationLink, col(OrganisationLink.source_id) == Organisation.id)
                    .where(
                        col(Organisation.kind) == kind,
                        col(OrganisationLink.target_id) == linked_to,
                    )
                    .order_by(col(Organisation.id))
                    .limit(1)
                )
            ).scalar_one()
        return int(found or 0)

    partners = {
        "partner": await first_of(OrganisationKind.PARTNER_UNIT, compounds["compound_a"]),
        "partner_b": await first_of(OrganisationKind.PROPERTY_FIRM, compounds["compound_b"]),
    }
    issued: dict[str, str] = {}
    for key, secretary, compound in (
        ("partner", "secretary", "compound_a"),
        ("partner_b", "secretary_b", "compound_b"),
    ):
        ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="seed", secret_key=secret_key)
        try:
            ctx.actor = await authenticate(
                await ctx.reader(), tokens[secretary], key=secret_key, today=ctx.today
            )
            token = await issue_partner_token(
                ctx,
                IssuePartnerToken(
                    name=f"demo {key}",
                    partner_id=partners[key],
                    organisation_ids=[compounds[compound]],
                    scopes=list(TokenScope),
                    expires_at=utcnow() + DEMO_TOKEN_LIFETIME,
                ),
            )
        finally:
            await ctx.close()
        issued[key] = token.secret
    return issued


async def is_empty(database_url: str) -> bool:
    async with database(database_url) as db, db.read_sessions() as session:
        count = (
            await session.execute(sa.select(sa.func.count()).select_from(Organisation))
        ).scalar_one()
    return int(count) == 0


def write_tokens(payload: dict[str, Any], tokens_out: Path | None) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    if tokens_out is None:
        typer.echo(text)
        return
    tokens_out.write_text(text + "\n", encoding="utf-8")
    tokens_out.chmod(0o600)
    typer.echo(f"demo tokens written to {tokens_out}", err=True)


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply Alembic migrations up to REVISION."""
    url = get_settings().database_url
    migrate.upgrade(url, revision)
    typer.echo(f"database at {migrate.current_revision(url)}", err=True)


@seed_cli.command("demo")
def seed_demo_command(
    tokens_out: Annotated[
        Path | None, typer.Option(help="Write the demo tokens as JSON here (default: stdout).")
    ] = None,
) -> None:
    """Load the demo city (idempotent) and issue demo bearer tokens."""
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    write_tokens(asyncio.run(seed_demo(settings.database_url, settings.secret_key)), tokens_out)


@seed_cli.command("city")
def seed_city_command(
    compounds: Annotated[int, typer.Option(min=2, help="Compounds in the city.")] = 2_000,
    people: Annotated[int, typer.Option(min=100, help="People, residents and staff.")] = 200_000,
    issues: Annotated[int, typer.Option(min=0, help="Issues over three years.")] = 1_000_000,
    audit_entries: Annotated[int, typer.Option(min=0, help="Audit log entries.")] = 1_000_000,
    tokens_out: Annotated[
        Path | None, typer.Option(help="Write the role tokens as JSON here (default: stdout).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same city.")] = 7,
    reset: Annotated[
        bool, typer.Option("--reset", help="Drop everything in the database first.")
    ] = False,
) -> None:
    """Build a synthetic city at scale (benchmarks, load tests) and issue role tokens.

    Refuses a database that already holds data unless --reset is given.
    """
    settings = get_settings()
    url = settings.database_url
    if reset:
        migrate.reset(url)
    migrate.upgrade(url)
    size = CitySize(compounds, people, issues, audit_entries)
    try:
        city = seed_city(url, size, seed=seed)
    except DatabaseNotEmpty:
        typer.echo("The database already holds data; use --reset to replace it.", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(
        f"city seeded: {city.counts}; the supervisor's street holds "
        f"{city.supervised_compounds} of {compounds} compounds",
        err=True,
    )

    async def tokens() -> dict[str, Any]:
        async with database(url) as db:
            return await issue_role_tokens(db, settings.secret_key, city.people, city.compounds)

    write_tokens(asyncio.run(tokens()), tokens_out)
