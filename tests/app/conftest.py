"""Fixtures for tests through the real app over httpx.ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from app.factory import create_app
from app.settings import Settings
from db.engine import Database
from tests.conftest import AUDIT_KEY, AUDIT_SIGNING_KEY, SECRET_KEY

ClientFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def app_client(db: Database, database_url: str) -> ClientFactory:
    """`async with app_client(**settings) as client`: the real app with these settings."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = Settings(
            database_url=database_url,
            secret_key=SECRET_KEY,
            audit_key=AUDIT_KEY,
            audit_signing_key=AUDIT_SIGNING_KEY,
            **overrides,
        )
        app = create_app(settings, database=db)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jinlin.test") as client:
            yield client

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
