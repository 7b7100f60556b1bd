"""`jinlin audit …`: verify the chain, show the newest entries."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from sqlmodel import col

from app.cli.common import database
from app.settings import get_settings
from db.audit_store import ChainBreak, verify_chain
from db.models import AuditEntry

audit_cli = typer.Typer(help="The audit log.", no_args_is_help=True)


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 at the first broken entry."""

    async def run() -> tuple[int, ChainBreak | None]:
        async with database(get_settings().database_url) as db, db.read_sessions() as session:
            return await verify_chain(session)

    checked, broken = asyncio.run(run())
    if broken is not None:
        typer.echo(
            f"BROKEN at entry {broken.seq}: {broken.reason} ({checked} entries verified before it)"
        )
        raise typer.Exit(1)
    typer.echo(f"ok: {checked} entries, chain intact")


@audit_cli.command("show")
def audit_show(
    last: Annotated[int, typer.Option(help="How many of the newest entries.", min=1)] = 20,
) -> None:
    """Print the newest entries as JSON lines, oldest first (values already redacted)."""

    async def run() -> list[dict[str, Any]]:
        async with database(get_settings().database_url) as db, db.read_sessions() as session:
            rows = await session.execute(
                sa.select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(last)
            )
            return [entry.model_dump(mode="json") for entry in reversed(rows.scalars().all())]

    for entry in asyncio.run(run()):
        typer.echo(json.dumps(entry, ensure_ascii=False, sort_keys=True))
