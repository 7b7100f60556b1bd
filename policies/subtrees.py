"""The organisations under a set of domains, as SQL: how a row that names an organisation is
found under a grant's domain (the resources' scopes and the named conditions both ask)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from db.models import Organisation
from db.paths import any_subtree_clause


def organisations_under(domains: list[str]) -> sa.Select[int | None]:
    return sa.select(col(Organisation.id)).where(
        any_subtree_clause(col(Organisation.path), domains)
    )
