"""The `jinlin` command line: one module per command group."""

from __future__ import annotations

import typer

from app.cli import audit, console, data, documents, schema_docs, serve, tokens, uploads, worker
from app.cli.data import seed_demo
from app.logging import configure_logging
from app.settings import get_settings

cli = typer.Typer(
    help="Jinlin: residential-compound governance over GraphQL.", no_args_is_help=True
)


@cli.callback()
def _configure() -> None:
    """Logs go to stderr as JSON, so stdout carries only what a command prints."""
    configure_logging(get_settings().log_level)


cli.command()(serve.serve)
cli.command()(worker.worker)
cli.add_typer(data.db_cli, name="db")
cli.add_typer(data.seed_cli, name="seed")
cli.add_typer(schema_docs.schema_cli, name="schema")
cli.add_typer(schema_docs.policy_cli, name="policy")
cli.add_typer(audit.audit_cli, name="audit")
cli.add_typer(tokens.token_cli, name="token")
cli.add_typer(documents.documents_cli, name="documents")
cli.add_typer(console.console_cli, name="console")
cli.add_typer(uploads.uploads_cli, name="uploads")

__all__ = ["cli", "main", "seed_demo"]


def main() -> None:
    cli()
