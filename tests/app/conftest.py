"""Fixtures for tests through the real app over httpx.ASGITransport, and the databases of
the `jinlin` command tests (fresh, or holding the demo city seeded once per run)."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import cli
from app.factory import create_app
from app.settings import Settings, get_settings
from db.engine import Database
from tests.app.cli_runs import runner
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


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder whose cli.db (SQLite, not there yet) is the database the commands use."""
    monkeypatch.setenv("JINLIN_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with cli.db holding the demo city, seeded once per run by `jinlin seed demo`,
    and its tokens in t.json."""
    folder = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JINLIN_DATABASE_URL", f"sqlite:///{folder}/cli.db")
        get_settings.cache_clear()
        seeded = runner.invoke(cli, ["seed", "demo", "--tokens-out", str(folder / "t.json")])
    get_settings.cache_clear()
    assert seeded.exit_code == 0, seeded.output
    return folder


@pytest.fixture
def seeded_database(fresh_database: Path, seeded_demo: Path) -> Path:
    """FRESH_DATABASE holding a copy of the seeded demo city (tokens in t.json): seeding takes
    seconds, copying a moment."""
    with (
        closing(sqlite3.connect(seeded_demo / "cli.db")) as source,
        closing(sqlite3.connect(fresh_database / "cli.db")) as copy,
    ):
        source.backup(copy)
    shutil.copyfile(seeded_demo / "t.json", fresh_database / "t.json")
    return fresh_database
