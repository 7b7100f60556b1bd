"""The sweep of uploads nobody attached: bytes and rows go, audited as the system's change;
attached and fresh ones stay (an attach in the same moment: tests/db/test_upload_sweep_race.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col

from app.cli import cli
from db.models import AuditOutcome, Upload
from db.types import utcnow
from resolvers.uploads.storage import LocalBlobStore, StoreUnavailable
from resolvers.uploads.sweep import OPERATION, sweep_unattached
from schema.ids import decode_id, encode_id
from tests.app.cli_runs import runner
from tests.app.conftest import ClientFactory, bearer
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq, report
from tests.photo_helpers import files_under, phone_photo


async def _upload(client: httpx.AsyncClient, api: Api) -> int:
    answer = await client.post(
        "/uploads",
        files={"file": ("p.jpg", phone_photo(), "image/jpeg")},
        headers=bearer(api.tokens["resident"]),
    )
    assert answer.status_code == 201, answer.text
    return decode_id(answer.json()["id"], "Photo")


async def _expire(api: Api, *ids: int) -> None:
    async with api.db.write() as session:
        await session.execute(
            sa.update(Upload)
            .where(col(Upload.id).in_(ids))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )


async def _kept(api: Api) -> set[int]:
    async with api.db.read_sessions() as session:
        return set((await session.execute(sa.select(col(Upload.id)))).scalars())


async def test_old_unattached_uploads_are_swept_attached_and_fresh_ones_kept(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    async with app_client(upload_dir=str(tmp_path)) as client:
        old, attached, fresh = [await _upload(client, api) for _ in range(3)]
    await report(api, photo=encode_id("Photo", attached))
    await _expire(api, old, attached)
    seq = await last_seq(api)

    store = LocalBlobStore(tmp_path)
    assert await sweep_unattached(api.db, store) == 1
    assert await _kept(api) == {attached, fresh}
    assert len(files_under(tmp_path)) == 4  # two photos and their thumbnails
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.role, entry.outcome) == (
        OPERATION,
        "system",
        AuditOutcome.SUCCESS,
    )
    assert entry.actor_person_id is None and entry.request_id.startswith("upload-sweep-")
    assert entry.input["count"] == 1 and entry.input["uploads"][0]["id"] == old
    assert "data" not in str(entry.input)  # facts, never bytes

    # Again: nothing to do, nothing written.
    assert await sweep_unattached(api.db, store) == 0
    assert await entries_since(api, seq) == [entry]


class _Failing(LocalBlobStore):
    async def delete_many(self, keys: Sequence[str]) -> None:
        raise StoreUnavailable()


async def test_a_store_failure_leaves_the_rows_for_the_next_sweep(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    async with app_client(upload_dir=str(tmp_path)) as client:
        old = await _upload(client, api)
    await _expire(api, old)
    seq = await last_seq(api)
    with pytest.raises(StoreUnavailable):
        await sweep_unattached(api.db, _Failing(tmp_path))
    assert await _kept(api) == {old}  # rolled back: the row still names the bytes
    (failed,) = await entries_since(api, seq)
    assert failed.operation == OPERATION and failed.outcome is not AuditOutcome.SUCCESS
    assert await sweep_unattached(api.db, LocalBlobStore(tmp_path)) == 1
    assert await _kept(api) == set() and files_under(tmp_path) == []


def test_the_sweep_command(fresh_database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fresh_database)  # the default local store is ./uploads
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(cli, ["uploads", "sweep"])
    assert result.exit_code == 0, result.output
    assert "swept 0 unattached uploads" in result.output
