"""`jinlin worker`: the dispatcher as a command, against a fresh database and a receiver."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import cli
from app.settings import get_settings
from db.engine import Database, create_engine
from resolvers.webhooks.signing import verify
from tests.app.cli_runs import runner
from tests.helpers import Api
from tests.issue_helpers import report
from tests.webhook_helpers import register
from tests.webhook_receiver import running_receiver


async def register_and_report(tokens: dict[str, Any], url: str) -> str:
    """The demo partner token (every scope) registers URL; A's resident reports an issue."""
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        api = Api(
            db=Database.from_engine(engine),
            tokens=tokens["tokens"],
            ids=tokens["ids"],
            secret_key=settings.secret_key,
        )
        registered = await register(api, as_="partner", url=url)
        await report(api)
        return str(registered["secret"])
    finally:
        await engine.dispose()


def test_worker_once_delivers_what_is_due(
    seeded_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = seeded_database / "t.json"
    monkeypatch.setenv("JINLIN_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    get_settings.cache_clear()
    with running_receiver() as receiver:
        secret = asyncio.run(register_and_report(json.loads(out.read_text()), receiver.url))
        result = runner.invoke(cli, ["worker", "--once"])
        assert result.exit_code == 0, result.output
        assert "attempted 1" in result.output
        assert "closed 0 mobilisations at their deadline" in result.output
        (request,) = receiver.requests
        timestamp = int(request.headers["jinlin-timestamp"])
        assert verify(secret, timestamp, request.body, request.headers["jinlin-signature"])
        assert json.loads(request.body)["kind"] == "issue.reported"
        again = runner.invoke(cli, ["worker", "--once"])
        assert "attempted 0" in again.output
    assert len(receiver.requests) == 1
