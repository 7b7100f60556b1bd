"""Shorthands the registry entries are written with."""

from __future__ import annotations

from sqlmodel import col

from policies.resource_types import Placement


def compound_column(column: object) -> Placement:
    """A row whose COLUMN names the compound it lies in."""
    return Placement(col(column))


def organisation_column(column: object) -> Placement:
    """A row whose COLUMN names the organisation it lies in (its compound is that one's)."""
    return Placement(col(column), organisation=True)


def action_set(*names: str) -> frozenset[str]:
    return frozenset(names)
