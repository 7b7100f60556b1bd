"""`jinlin audit …`: verify the chain, sign checkpoints, show and export entries."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from sqlmodel import col

from app.audit_filter import audit_filter, checked
from app.cli.common import database
from app.settings import Settings, get_settings
from db.audit_store import SignedHead
from db.audit_verify import verify_database
from db.checkpoints import (
    Checkpoint,
    append_to_file,
    public_key_from,
    public_key_text,
    read_file,
    record_checkpoint,
    stored_checkpoints,
    verified_heads,
)
from db.models import AuditEntry
from policies.actor import Actor
from policies.grants import ADMIN, Grant
from resolvers.audit.export import ExportFormat, export_lines, write_xlsx
from resolvers.audit.queries import AuditFilter
from resolvers.context import RequestContext
from resolvers.errors import DomainError

audit_cli = typer.Typer(help="The audit log.", no_args_is_help=True)

# The operator reads the whole log, through the same scoped path as everyone else.
OPERATOR = Actor(person_id=None, grants=(Grant(ADMIN, "/", "command line"),))


def _checkpoint_file(settings: Settings, given: Path | None) -> Path | None:
    if given is not None:
        return given
    return Path(settings.audit_checkpoint_file) if settings.audit_checkpoint_file else None


@audit_cli.command("verify")
def audit_verify(
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            help="A file of signed checkpoints (JSON lines); default: JINLIN_AUDIT_CHECKPOINT_FILE."
        ),
    ] = None,
    from_checkpoint: Annotated[
        bool,
        typer.Option(
            "--from-checkpoint", help="Start at the latest signed checkpoint, not at entry 1."
        ),
    ] = False,
) -> None:
    """Recompute the keyed chain (streaming) and hold it to the signed checkpoints (those in
    the database and in the checkpoint file); exit 1 at the first problem, naming it."""
    settings = get_settings()
    public_keys = [
        settings.audit_checkpoint_key().public_key(),
        *(public_key_from(key) for key in settings.audit_retired_public_keys),
    ]
    book = _checkpoint_file(settings, checkpoints)

    async def signed_heads() -> tuple[list[SignedHead], list[str]]:
        async with database(settings.database_url) as db, db.read_sessions() as session:
            found = read_file(book) if book else []
            found += await stored_checkpoints(session)
            return verified_heads(found, public_keys)

    heads, problems = asyncio.run(signed_heads())
    result = verify_database(
        settings.database_url, settings.audit_chain_key(), heads, from_checkpoint
    )
    held = len(heads)
    if result.broken is not None:
        typer.echo(
            f"BROKEN at entry {result.broken.seq}: {result.broken.reason} "
            f"({result.checked} entries verified before it)"
        )
        raise typer.Exit(1)
    if problems:
        for problem in problems:
            typer.echo(f"BROKEN {problem}")
        raise typer.Exit(1)
    since = f" after entry {result.started_after}" if result.started_after else ""
    signed = f", {held} signed checkpoints hold" if held else ", no signed checkpoint yet"
    typer.echo(f"ok: {result.checked} entries{since}, chain intact{signed}")


@audit_cli.command("checkpoint")
def audit_checkpoint(
    out: Annotated[
        Path | None,
        typer.Option(help="Append the checkpoint to this file too (beside the configured one)."),
    ] = None,
) -> None:
    """Sign the chain's head (entries, sequence, hash, keyed boundary, time), store it and
    append it to JINLIN_AUDIT_CHECKPOINT_FILE; print it."""
    settings = get_settings()
    sink = _checkpoint_file(settings, None)

    async def run() -> Checkpoint:
        async with database(settings.database_url) as db:
            taken = await record_checkpoint(db, settings.audit_checkpoint_key(), sink)
            if taken is not None:
                return taken
            # This head is signed already: hand out that checkpoint again.
            async with db.read_sessions() as session:
                return (await stored_checkpoints(session))[-1]

    checkpoint = asyncio.run(run())
    if out is not None and out != sink:
        append_to_file(out, checkpoint)
    typer.echo(checkpoint.to_json())


@audit_cli.command("public-key")
def audit_public_key() -> None:
    """Print the public half of the audit key, for whoever keeps the checkpoints."""
    typer.echo(public_key_text(get_settings().audit_checkpoint_key()))


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
        ExportFormat, typer.Option("--format", help="jsonl, csv (with a UTF-8 BOM) or xlsx.")
    ] = ExportFormat.JSONL,
    occurred_from: Annotated[
        str | None, typer.Option("--from", help="At or after (ISO time; UTC without a zone).")
    ] = None,
    occurred_to: Annotated[str | None, typer.Option("--to", help="Before (ISO time).")] = None,
    subtree: Annotated[
        str | None,
        typer.Option(help="Only this organisation's subtree (global id, or database id)."),
    ] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Only exactly this organisation (global or database id).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Made by this person (global id).")] = None,
    token: Annotated[str | None, typer.Option(help="Made through this token (global id).")] = None,
    partner: Annotated[
        str | None, typer.Option(help="Made by this partner unit through a token (global id).")
    ] = None,
    operation: Annotated[
        str | None, typer.Option(help="This mutation, e.g. claimIssue (case-sensitive).")
    ] = None,
    resource_type: Annotated[
        str | None, typer.Option("--resource-type", help="This kind of record, e.g. issue.")
    ] = None,
    resource: Annotated[str | None, typer.Option(help="About this record (global id).")] = None,
    outcome: Annotated[
        str | None, typer.Option(help="SUCCESS, DENIED, REJECTED or FAILED.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write here (default: stdout).")] = None,
) -> None:
    """Stream the log, oldest first, with names, the partner and labels beside the raw
    values; the filters are auditLog's. A progress bar shows when writing a file from a
    terminal."""
    settings = get_settings()
    words = {
        "subtree": subtree,
        "organisation": organisation,
        "actor": actor,
        "token": token,
        "partner": partner,
        "operation": operation,
        "resourceType": resource_type,
        "resource": resource,
        "outcome": outcome,
        "from": occurred_from,
        "to": occurred_to,
    }
    if fmt is ExportFormat.XLSX and out is None and sys.stdout.isatty():
        typer.echo("An XLSX is binary: give --out FILE or redirect stdout.", err=True)
        raise typer.Exit(2)

    async def run() -> int:
        async with database(settings.database_url) as db:
            ctx = RequestContext(db=db, actor=OPERATOR, request_id="cli-export")
            try:
                filter = await checked(ctx, audit_filter(words))
                if fmt is ExportFormat.XLSX:
                    return await _write_xlsx(ctx, filter, out)
                return await _write_text(ctx, filter, fmt, out, await _count(db))
            finally:
                await ctx.close()

    try:
        count = asyncio.run(run())
    except DomainError as error:
        typer.echo(f"{error.code.value}: {error.message}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"exported {count} entries", err=True)


async def _write_xlsx(ctx: RequestContext, filter: AuditFilter, out: Path | None) -> int:
    if out is not None:
        with out.open("wb") as target:
            return await write_xlsx(ctx, filter, target)
    return await write_xlsx(ctx, filter, sys.stdout.buffer)


async def _write_text(
    ctx: RequestContext, filter: AuditFilter, fmt: ExportFormat, out: Path | None, total: int
) -> int:
    written = 0
    # The BOM goes to stdout too: Excel on Chinese Windows reads the CSV as UTF-8 only then.
    target = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    show_progress = out is not None and sys.stderr.isatty()
    try:
        with (
            typer.progressbar(length=total, label="exporting", file=sys.stderr)
            if show_progress
            else _Null() as bar
        ):
            async for line in export_lines(ctx, filter, fmt):
                target.write(line)
                written += 1
                bar.update(1)
    finally:
        if out:
            target.close()
    return written - (fmt is ExportFormat.CSV)  # the header is no entry


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
