"""Alembic owns the schema: the migrated database must equal the models."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import db.models  # noqa: F401  (all tables on the metadata)
from db import migrate
from db.engine import sync_url


def _diff(database_url: str) -> list[Any]:
    engine = sa.create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_migrations_and_models_agree(database_url: str) -> None:
    assert _diff(database_url) == []


def test_database_is_at_the_head_revision(database_url: str) -> None:
    assert migrate.current_revision(database_url) == migrate.head_revision(database_url)
