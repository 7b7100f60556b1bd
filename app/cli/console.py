"""`jinlin console link`: a one-time sign-in link for the web console (audited)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

import typer

from app.cli.common import database
from app.settings import get_settings
from resolvers.errors import DomainError
from resolvers.tokens.console import issue_sign_in_code

console_cli = typer.Typer(help="The supervisors' web console.", no_args_is_help=True)


def sign_in_link(base_url: str, code: str) -> str:
    # The code rides in the fragment: browsers never send it to a server or a proxy log.
    return f"{base_url.rstrip('/')}/console/sign-in#code={code}"


@console_cli.command("link")
def console_link(
    person: Annotated[int, typer.Option(help="The person's database id.")],
    base_url: Annotated[
        str, typer.Option(help="Where the console is served, as the person's browser sees it.")
    ] = "http://127.0.0.1:8000",
    minutes: Annotated[int, typer.Option(help="How long the link works (at most 1440).")] = 15,
) -> None:
    """Print a sign-in link for PERSON that works once, within MINUTES; only a hash of its
    code is stored. Hand it over in person or by a trusted channel."""
    settings = get_settings()

    async def run() -> str:
        async with database(settings.database_url) as db:
            issued = await issue_sign_in_code(
                db, person_id=person, key=settings.secret_key, lifetime=timedelta(minutes=minutes)
            )
            return issued.code

    try:
        typer.echo(sign_in_link(base_url, asyncio.run(run())))
    except DomainError as error:
        typer.echo(f"{error.code.value}: {error.message}", err=True)
        raise typer.Exit(2) from None
