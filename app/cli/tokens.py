"""`jinlin token …`: personal bearer tokens, issued and revoked by the operator (audited)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

import sqlalchemy as sa
import typer
from sqlmodel import col

from app.cli.common import database
from app.settings import get_settings
from db.models import ApiToken
from resolvers.errors import DomainError
from resolvers.tokens.bearer import issue_operator_token, revoke_operator_token
from resolvers.tokens.expiring import announce_expiring_tokens

token_cli = typer.Typer(help="Personal bearer tokens.", no_args_is_help=True)


@token_cli.command("issue")
def token_issue(
    person: Annotated[int, typer.Option(help="The person's database id.")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    days: Annotated[int, typer.Option(help="Lifetime in days (at most 366).")] = 90,
) -> None:
    """Issue a token for PERSON; the secret is printed once and never stored."""
    settings = get_settings()

    async def run() -> str:
        async with database(settings.database_url) as db:
            issued = await issue_operator_token(
                db,
                person_id=person,
                name=name,
                key=settings.secret_key,
                lifetime=timedelta(days=days),
            )
            return issued.secret

    try:
        typer.echo(asyncio.run(run()))
    except DomainError as error:
        typer.echo(f"{error.code.value}: {error.message}", err=True)
        raise typer.Exit(2) from None


@token_cli.command("revoke")
def token_revoke(
    prefix: Annotated[str, typer.Argument(help="The token's first characters, as `list` shows.")],
) -> None:
    """Revoke a token; it stops working at once."""

    async def run() -> None:
        async with database(get_settings().database_url) as db:
            await revoke_operator_token(db, display_prefix=prefix)

    try:
        asyncio.run(run())
    except DomainError as error:
        typer.echo(f"{error.code.value}: {error.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"revoked {prefix}")


@token_cli.command("list")
def token_list() -> None:
    """List tokens: prefix, person, name, expiry, last use, revocation, and for partner tokens
    the partner organisation and scopes (never the secret)."""

    async def run() -> list[ApiToken]:
        async with database(get_settings().database_url) as db, db.read_sessions() as session:
            rows = await session.execute(sa.select(ApiToken).order_by(col(ApiToken.id)))
            return list(rows.scalars().all())

    for token in asyncio.run(run()):
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        partner = (
            f"  partner={token.partner_organisation_id} scopes={','.join(token.scopes or [])}"
            if token.partner_organisation_id is not None
            else ""
        )
        typer.echo(
            f"{token.display_prefix}…  person={token.person_id}  {token.name!r}  "
            f"expires={token.expires_at:%Y-%m-%d}  last-used={used}  {state}{partner}"
        )


@token_cli.command("announce-expiring")
def token_announce_expiring(
    days: Annotated[int, typer.Option(help="Announce tokens expiring within this many days.")] = 7,
) -> None:
    """Write a token.expiring event for each token expiring soon, once per expiry (audited);
    run it from cron or a timer, say hourly."""

    async def run() -> int:
        async with database(get_settings().database_url) as db:
            return await announce_expiring_tokens(db, within=timedelta(days=days))

    typer.echo(f"announced {asyncio.run(run())}")
