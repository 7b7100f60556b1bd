"""Photos in S3-compatible object storage, against an emulator (moto) on 127.0.0.1: the
store's calls, a whole upload and read-back through the app, and an outage."""

from __future__ import annotations

import functools
import logging
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
import sqlalchemy as sa

from app.logging import configure_logging
from app.settings import Settings
from app.uploads import blob_store
from db.models import Upload
from db.types import utcnow
from resolvers.uploads.s3 import S3BlobStore, normalise_prefix
from resolvers.uploads.storage import LocalBlobStore, StoreUnavailable
from resolvers.uploads.sweep import sweep_unattached
from tests.app.conftest import S3_REGION, ClientFactory, bearer
from tests.helpers import Api
from tests.issue_helpers import report
from tests.photo_helpers import files_under, phone_photo

TIMELINE = """
query ($id: ID!) { node(id: $id) { ... on Issue { timeline(first: 5) {
  edges { node { photo { url thumbnailUrl sha256 } } } } } } }
"""


def _objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=S3_REGION)
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listed
    }


def _s3_settings(endpoint: str, bucket: str, **more: Any) -> dict[str, Any]:
    return {
        "upload_s3_bucket": bucket,
        "upload_s3_endpoint": endpoint,
        "upload_s3_region": S3_REGION,
        "upload_s3_prefix": "jinlin/photos",
        **more,
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens there once the probe is closed


async def _upload(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/uploads", files={"file": ("p.jpg", phone_photo(), "image/jpeg")}, headers=bearer(token)
    )


async def test_the_store_puts_gets_and_deletes_under_its_prefix(
    s3_endpoint: str, s3_bucket: str
) -> None:
    store = S3BlobStore(
        s3_bucket, prefix="/jinlin/photos/", endpoint_url=s3_endpoint, region=S3_REGION
    )
    key = "0123456789abcdef0123456789abcdef"
    await store.put(key, b"photo", "image/jpeg")
    await store.put(f"{key}.thumb", b"thumb", "image/webp")
    assert await store.get(key) == b"photo"
    assert _objects(s3_endpoint, s3_bucket) == {
        f"jinlin/photos/{key}": b"photo",
        f"jinlin/photos/{key}.thumb": b"thumb",
    }
    assert await store.get("f" * 32) is None  # a missing key is None, not an error
    await store.delete(key)
    assert await store.get(key) is None
    await store.delete_many([f"{key}.thumb", "e" * 32])  # a missing one among them is fine
    assert _objects(s3_endpoint, s3_bucket) == {}
    with pytest.raises(ValueError, match="not a blob key"):
        await store.get("../etc/passwd")
    assert "secret" not in repr(store).lower()
    assert normalise_prefix("") == "" and normalise_prefix("a/b") == "a/b/"


def test_the_settings_choose_the_store(tmp_path: Path) -> None:
    local = Settings(upload_dir=str(tmp_path))
    assert isinstance(blob_store(local), LocalBlobStore)
    remote = blob_store(Settings(upload_s3_bucket="photos", upload_s3_prefix="p"))
    assert isinstance(remote, S3BlobStore) and (remote.bucket, remote.prefix) == ("photos", "p/")


async def test_a_photo_goes_to_the_bucket_and_back_through_the_app(
    app_client: ClientFactory, api: Api, s3_endpoint: str, s3_bucket: str, tmp_path: Path
) -> None:
    settings = _s3_settings(s3_endpoint, s3_bucket, upload_dir=str(tmp_path))
    async with app_client(**settings) as client:
        answer = await _upload(client, api.tokens["resident"])
        assert answer.status_code == 201, answer.text
        uploaded = answer.json()
        stored = _objects(s3_endpoint, s3_bucket)
        assert len(stored) == 2 and all(k.startswith("jinlin/photos/") for k in stored)
        assert files_under(tmp_path) == []  # nothing on the local disk

        issue = await report(api, photo=uploaded["id"])
        node = (await api.run(TIMELINE, {"id": issue["id"]}, as_="secretary")).ok()["node"]
        photo = node["timeline"]["edges"][0]["node"]["photo"]
        full = await client.get(photo["url"])
        thumb = await client.get(photo["thumbnailUrl"])
        assert (full.status_code, thumb.status_code) == (200, 200)
        assert {full.content, thumb.content} == set(stored.values())
        # The access rule is the signed link's, as with the local store.
        assert (await client.get(photo["url"] + "0")).status_code == 403
        # Someone of compound B cannot read the issue, so gets no link at all.
        hidden = (await api.run(TIMELINE, {"id": issue["id"]}, as_="resident_b")).ok()
        assert hidden["node"] is None


async def test_an_outage_is_503_and_stores_nothing(
    app_client: ClientFactory,
    api: Api,
    s3_endpoint: str,
    s3_bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One attempt, no retries: the test need not wait out boto3's backoff.
    monkeypatch.setattr("app.uploads.S3BlobStore", functools.partial(S3BlobStore, max_attempts=1))
    async with app_client(**_s3_settings(s3_endpoint, s3_bucket)) as client:
        uploaded = (await _upload(client, api.tokens["resident"])).json()
    before = int(await api.scalar(sa.select(sa.func.count()).select_from(Upload)))

    down = _s3_settings(f"http://127.0.0.1:{_closed_port()}", s3_bucket)
    async with app_client(**down) as client:
        refused = await _upload(client, api.tokens["resident"])
        assert refused.status_code == 503, refused.text
        assert refused.headers["Retry-After"] == "5"
        error = refused.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert error["extensions"]["reason"] == "PHOTO_STORE_UNAVAILABLE"
        assert "photo store" in error["message"]
        # Reading back through a store that is down is the same clear 503.
        served = await client.get(uploaded["url"])
        assert served.status_code == 503
        assert served.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    after = int(await api.scalar(sa.select(sa.func.count()).select_from(Upload)))
    assert after == before  # no row for the refused photo
    assert len(_objects(s3_endpoint, s3_bucket)) == 2  # the first photo's bytes alone


async def test_the_sweep_empties_the_bucket_of_unattached_uploads(
    app_client: ClientFactory, api: Api, s3_endpoint: str, s3_bucket: str
) -> None:
    async with app_client(**_s3_settings(s3_endpoint, s3_bucket)) as client:
        assert (await _upload(client, api.tokens["resident"])).status_code == 201
    async with api.db.write() as session:
        await session.execute(sa.update(Upload).values(expires_at=utcnow() - timedelta(minutes=1)))
    store = S3BlobStore(
        s3_bucket, prefix="jinlin/photos", endpoint_url=s3_endpoint, region=S3_REGION
    )
    assert await sweep_unattached(api.db, store) == 1
    assert _objects(s3_endpoint, s3_bucket) == {}
    with pytest.raises(StoreUnavailable):
        await S3BlobStore(
            s3_bucket, endpoint_url=f"http://127.0.0.1:{_closed_port()}", max_attempts=1
        ).get("a" * 32)


async def test_credentials_never_reach_the_logs(s3_endpoint: str, s3_bucket: str) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    heard: list[str] = []

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(f"{record.getMessage()} {record.args!r}")

    try:
        configure_logging("DEBUG")  # the most a deployment can ask for
        root.addHandler(Listener(logging.DEBUG))
        store = S3BlobStore(s3_bucket, endpoint_url=s3_endpoint, region=S3_REGION)
        await store.put("a" * 32, b"photo", "image/jpeg")
        assert await store.get("a" * 32) == b"photo"
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        configure_logging(logging.getLevelName(level))
        root.handlers[:] = handlers
    assert not any("testing-key-id" in line or "testing-secret" in line for line in heard)


async def test_a_local_directory_that_cannot_be_written_is_503_too(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_bytes(b"")  # the store cannot make its directories under a file
    before = int(await api.scalar(sa.select(sa.func.count()).select_from(Upload)))
    async with app_client(upload_dir=str(blocked)) as client:
        refused = await _upload(client, api.tokens["resident"])
    assert refused.status_code == 503
    assert refused.json()["errors"][0]["extensions"]["reason"] == "PHOTO_STORE_UNAVAILABLE"
    assert int(await api.scalar(sa.select(sa.func.count()).select_from(Upload))) == before
