"""`jinlin schema …` and `jinlin policy …`: the documents kept in sync with the code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

schema_cli = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
policy_cli = typer.Typer(help="The authorization policy.", no_args_is_help=True)


@schema_cli.command("export")
def schema_export() -> None:
    """Print the GraphQL SDL; schema/schema.graphql must equal it."""
    from schema.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


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
