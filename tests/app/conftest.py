"""Fixtures for tests through the real app over httpx.ASGITransport."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from app.factory import create_app
from app.settings import Settings
from db.engine import Database
from tests.conftest import AUDIT_KEY, AUDIT_SIGNING_KEY, SECRET_KEY
from tests.helpers import ENGLISH

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
        async with httpx.AsyncClient(
            headers=ENGLISH, transport=transport, base_url="http://jinlin.test"
        ) as client:
            yield client

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3 emulator (moto) on 127.0.0.1, one for the session: the object-store tests."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


S3_REGION = "us-east-1"


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh bucket in the emulator, with the standard AWS variables set as a deployment
    sets them (the emulator takes any credentials)."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    name = f"jinlin-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name=S3_REGION).create_bucket(Bucket=name)
    return name
