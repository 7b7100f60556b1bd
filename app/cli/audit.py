"""`jinlin audit …`: verify the chain, sign checkpoints, show and export entries."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from sqlmodel import col

from app.cli.common import database
from app.settings import Settings, get_settings
from db.audit_store import ChainBreak, verify_chain
from db.checkpoints import (
    Checkpoint,
    checkpoint_problem,
    derived_private_key,
    make_checkpoint,
    private_key_from,
    public_key_from,
    public_key_text,
)
from db.models import AuditEntry
from policies.actor import Actor
from policies.grants import ADMIN, Grant
from resolvers.audit.export import ExportFormat, export_lines
from resolvers.audit.queries import AuditFilter
from resolvers.context import RequestContext

audit_cli = typer.Typer(help="The audit log.", no_args_is_help=True)

# The operator reads the whole log, through the same scoped path as everyone else.
OPERATOR = Actor(person_id=None, grants=(Grant(ADMIN, "/", "command line"),))


def signing_key(settings: Settings) -> Any:
    if settings.audit_signing_key:
        return private_key_from(settings.audit_signing_key)
    return derived_private_key(settings.secret_key)


@audit_cli.command("verify")
def audit_verify(
    from_checkpoint: Annotated[
        Path | None,
        typer.Option(help="A file of checkpoints (JSON lines) to hold the log against as well."),
    ] = None,
) -> None:
    """Recompute the hash chain (streaming) and check signed checkpoints; exit 1 at the
    first problem, naming it."""
    settings = get_settings()
    public_key = public_key_from(public_key_text(signing_key(settings)))
    checkpoints = (
        [
            Checkpoint.from_json(line)
            for line in from_checkpoint.read_text().splitlines()
            if line.strip()
        ]
        if from_checkpoint
        else []
    )

    async def run() -> tuple[int, ChainBreak | None, list[str]]:
        async with database(settings.database_url) as db, db.read_sessions() as session:
            checked, broken = await verify_chain(session)
            problems = [
                p for c in checkpoints if (p := await checkpoint_problem(session, c, public_key))
            ]
            return checked, broken, problems

    checked, broken, problems = asyncio.run(run())
    if broken is not None:
        typer.echo(
            f"BROKEN at entry {broken.seq}: {broken.reason} ({checked} entries verified before it)"
        )
        raise typer.Exit(1)
    if problems:
        for problem in problems:
            typer.echo(f"BROKEN {problem}")
        raise typer.Exit(1)
    held = f", {len(checkpoints)} signed checkpoints hold" if checkpoints else ""
    typer.echo(f"ok: {checked} entries, chain intact{held}")


@audit_cli.command("checkpoint")
def audit_checkpoint(
    out: Annotated[
        Path | None, typer.Option(help="Append the checkpoint to this file (default: print it).")
    ] = None,
) -> None:
    """Sign the chain's head (sequence, hash, time) with the Ed25519 audit key."""
    settings = get_settings()

    async def run() -> Checkpoint:
        async with database(settings.database_url) as db, db.read_sessions() as session:
            return await make_checkpoint(session, signing_key(settings))

    line = asyncio.run(run()).to_json()
    if out is None:
        typer.echo(line)
        return
    with out.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    typer.echo(f"checkpoint appended to {out}", err=True)


@audit_cli.command("public-key")
def audit_public_key() -> None:
    """Print the public half of the audit key, for whoever keeps the checkpoints."""
    typer.echo(public_key_text(signing_key(get_settings())))


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


@audit_cli.command("export")
def audit_export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl or csv.")
    ] = ExportFormat.JSONL,
    occurred_from: Annotated[
        datetime | None, typer.Option("--from", help="At or after (ISO time).")
    ] = None,
    occurred_to: Annotated[datetime | None, typer.Option("--to", help="Before (ISO time).")] = None,
    subtree: Annotated[
        int | None, typer.Option(help="Only this organisation's subtree (database id).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write here (default: stdout).")] = None,
) -> None:
    """Stream the log, oldest first, with a progress bar when writing a file from a terminal."""
    settings = get_settings()
    filter = AuditFilter(
        subtree_of=subtree,
        occurred_from=_aware(occurred_from),
        occurred_to=_aware(occurred_to),
    )

    async def run() -> int:
        written = 0
        async with database(settings.database_url) as db:
            ctx = RequestContext(db=db, actor=OPERATOR, request_id="cli-export")
            try:
                total = await _count(db)
                target = out.open("w", encoding="utf-8") if out else sys.stdout
                show_progress = out is not None and sys.stderr.isatty()
                with (
                    typer.progressbar(length=total, label="exporting", file=sys.stderr)
                    if show_progress
                    else _Null() as bar
                ):
                    async for line in export_lines(ctx, filter, fmt):
                        target.write(line)
                        written += 1
                        bar.update(1)
                if out:
                    target.close()
            finally:
                await ctx.close()
        return written

    count = asyncio.run(run())
    typer.echo(f"exported {count} lines", err=True)


def _aware(moment: datetime | None) -> datetime | None:
    """Times given without a zone are read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


async def _count(db: Any) -> int:
    async with db.read_sessions() as session:
        return int(
            (await session.execute(sa.select(sa.func.count()).select_from(AuditEntry))).scalar_one()
        )


class _Null:
    def __enter__(self) -> _Null:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def update(self, _: int) -> None:
        return None
