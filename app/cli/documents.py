"""`jinlin documents …`: the trusted-documents manifest from the frontend's .graphql files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from app.trusted_documents import build_manifest

documents_cli = typer.Typer(help="Trusted documents (persisted queries).", no_args_is_help=True)


@documents_cli.command("manifest")
def documents_manifest(
    files: Annotated[list[Path], typer.Argument(help=".graphql files, one operation each.")],
) -> None:
    """Print the manifest {sha256: document} for FILES; deploy it as JINLIN_TRUSTED_DOCUMENTS."""
    manifest = build_manifest([path.read_text(encoding="utf-8") for path in files])
    typer.echo(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))
