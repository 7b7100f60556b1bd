"""Materialised paths: "/1/4/9/" names organisation 9 under 4 under 1.

A subtree is the half-open range [path, path-with-its-last-"/"-as-"0"): ids are
digits and "/" sorts just below "0", so the range is exact and any btree index
on the (binary-collated) column serves it, with or without a prepared plan.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

ROOT = "/"

# Binary collation on PostgreSQL so range scans order "/" below the digits.
PathType = sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def child_path(parent_path: str | None, organisation_id: int) -> str:
    return f"{parent_path or ROOT}{organisation_id}/"


def path_above(path: str) -> str:
    """The path of the organisation directly above the one at PATH (ROOT at the top)."""
    return path.rstrip("/").rsplit("/", 1)[0] + "/"


def upper_bound(path: str) -> str:
    if not path.endswith("/"):
        raise ValueError(f"not a materialised path: {path!r}")
    return path[:-1] + "0"


def in_subtree(path: str, domain: str) -> bool:
    return path.startswith(domain)


def subtree_clause(column: sa.SQLColumnExpression[str | None], domain: str) -> ColumnElement[bool]:
    if domain == ROOT:
        return sa.true()
    return sa.and_(column >= domain, column < upper_bound(domain))


def any_subtree_clause(
    column: sa.SQLColumnExpression[str | None], domains: list[str]
) -> ColumnElement[bool]:
    if not domains:
        return sa.false()
    return sa.or_(*(subtree_clause(column, domain) for domain in sorted(set(domains))))


def ids_on_path(path: str) -> list[int]:
    """The ids of an organisation and its ancestors, root first."""
    return [int(part) for part in path.strip("/").split("/") if part]
