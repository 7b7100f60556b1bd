"""Photo reports: POST /uploads, attaching by id, signed links, refusals that store nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from PIL import Image

from db.models import Upload
from db.types import utcnow
from resolvers.uploads.signing import Variant, signed_path
from tests.app.conftest import ClientFactory, bearer
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq, mutate, ok, report
from tests.photo_helpers import (
    CAMERA,
    GPS_IFD,
    bomb,
    files_under,
    gif,
    phone_photo,
    truncated_jpeg,
)

PHOTO = "photo { id contentType byteSize width height sha256 url thumbnailUrl linksExpireAt }"
TIMELINE = f"""
query ($id: ID!) {{ node(id: $id) {{ ... on Issue {{ timeline(first: 10) {{
  edges {{ node {{ kind body {PHOTO} }} }} }} }} }} }}
"""


async def _upload(
    client: httpx.AsyncClient, token: str, data: bytes, content_type: str = "image/jpeg"
) -> httpx.Response:
    return await client.post(
        "/uploads", files={"file": ("photo.jpg", data, content_type)}, headers=bearer(token)
    )


async def _uploads(api: Api) -> int:
    return int(await api.scalar(sa.select(sa.func.count()).select_from(Upload)))


async def _timeline(api: Api, issue: str, as_: str) -> list[dict[str, Any]] | None:
    node = (await api.run(TIMELINE, {"id": issue}, as_=as_)).ok()["node"]
    return None if node is None else [e["node"] for e in node["timeline"]["edges"]]


async def test_a_resident_reports_with_a_photo_stripped_of_its_location(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    original = phone_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test's premise
    async with app_client(upload_dir=str(tmp_path)) as client:
        answer = await _upload(client, api.tokens["resident"], original)
        assert answer.status_code == 201, answer.text
        uploaded = answer.json()
        assert (uploaded["contentType"], uploaded["width"], uploaded["height"]) == (
            "image/jpeg",
            640,
            480,
        )
        # The uploader's own preview link works before the photo is attached.
        assert (await client.get(uploaded["thumbnailUrl"])).status_code == 200

        seq = await last_seq(api)
        issue = await report(api, photo=uploaded["id"])
        (entry,) = await entries_since(api, seq)
        (event,) = await _timeline(api, issue["id"], "secretary") or []
        photo = event["photo"]
        full = await client.get(photo["url"])
        thumb = await client.get(photo["thumbnailUrl"])

    stored = [p for p in files_under(tmp_path) if not p.name.endswith(".thumb")]
    assert len(stored) == 1 and len(files_under(tmp_path)) == 2  # the photo and its thumbnail
    cleaned = stored[0].read_bytes()
    assert CAMERA.encode() not in cleaned and b"Exif" not in cleaned
    assert dict(Image.open(io.BytesIO(cleaned)).getexif()) == {}
    assert full.status_code == 200 and full.content == cleaned
    assert full.headers["content-type"] == "image/jpeg"
    assert full.headers["x-content-type-options"] == "nosniff"
    assert thumb.headers["content-type"] == "image/webp"
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 320
    assert photo["id"] == uploaded["id"] and photo["sha256"] == uploaded["sha256"]

    # The audit entry knows the photo by hash, size and type, and holds none of its bytes.
    (change,) = [c for c in entry.changes if c["field"] == "photo"]
    assert change["after"]["sha256"] == photo["sha256"]
    assert change["after"]["size"] == len(cleaned) == photo["byteSize"]
    assert change["after"]["type"] == "image/jpeg"
    assert len(str(entry.input)) + len(str(entry.changes)) < 2000


async def test_an_entry_s_photo_and_its_link_are_read_as_columns(
    app_client: ClientFactory, api: Api, tmp_path: Path, whole_model_reads: list[str]
) -> None:
    async with app_client(upload_dir=str(tmp_path)) as client:
        uploaded = (await _upload(client, api.tokens["resident"], phone_photo())).json()
        issue = await report(api, photo=uploaded["id"])
        whole_model_reads.clear()
        (event,) = await _timeline(api, issue["id"], "secretary") or []
        assert event["photo"]["sha256"] == uploaded["sha256"]
        full = await client.get(event["photo"]["url"])
    assert full.status_code == 200 and full.headers["content-type"] == "image/jpeg"
    assert whole_model_reads == []


async def test_a_comment_may_be_a_photo_alone(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    issue = await report(api)
    async with app_client(upload_dir=str(tmp_path)) as client:
        uploaded = (await _upload(client, api.tokens["resident"], phone_photo())).json()
    await ok(api, "commentOnIssue", {"id": issue["id"], "photo": uploaded["id"]}, as_="resident")
    events = await _timeline(api, issue["id"], "resident") or []
    assert [(e["kind"], e["photo"] is not None) for e in events] == [
        ("REPORT", False),
        ("ATTACHMENT", True),
    ]
    # Attached once: it cannot be attached again.
    again = await mutate(
        api, "commentOnIssue", {"id": issue["id"], "photo": uploaded["id"]}, as_="resident"
    )
    assert again.codes == ["BAD_USER_INPUT"]


async def test_only_readers_of_the_issue_get_the_photo_and_links_are_checked(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    async with app_client(upload_dir=str(tmp_path)) as client:
        uploaded = (await _upload(client, api.tokens["resident"], phone_photo())).json()
        issue = await report(api, photo=uploaded["id"])
        upload_id = int(uploaded["url"].split("/")[2])

        # Compound B's resident cannot see the issue, so is never handed a link.
        assert await _timeline(api, issue["id"], "resident_b") is None
        # Nor can they take another person's upload for their own report.
        stolen = await mutate(
            api,
            "reportIssue",
            {
                "compound": api.ids["compound_b"],
                "channel": "PHOTO_REPORT",
                "category": "OTHER",
                "title": "借用照片",
                "photo": uploaded["id"],
            },
            as_="resident_b",
        )
        assert stolen.codes == ["BAD_USER_INPUT"]

        # A link without a signature, with a tampered one, for another variant or expired.
        good = signed_path(SECRET_KEY, upload_id, Variant.PHOTO, utcnow() + timedelta(minutes=1))
        expired = signed_path(SECRET_KEY, upload_id, Variant.PHOTO, utcnow() - timedelta(seconds=1))
        wrong_key = signed_path(
            "another-secret-key-entirely", upload_id, Variant.PHOTO, utcnow() + timedelta(60)
        )
        tampered = good.replace(f"/uploads/{upload_id}/", f"/uploads/{upload_id + 1}/")
        other_variant = good.replace("/photo?", "/thumbnail?")
        assert (await client.get(good)).status_code == 200
        for refused in (
            f"/uploads/{upload_id}/photo",
            expired,
            wrong_key,
            tampered,
            other_variant,
            good[:-1] + ("0" if good[-1] != "0" else "1"),
        ):
            response = await client.get(refused, headers=bearer(api.tokens["resident_b"]))
            assert response.status_code == 403, refused
            assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code", "reason"),
    [
        (gif(), "image/jpeg", 415, "UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_IMAGE_TYPE"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png", 415, None, None),
        (truncated_jpeg(), "image/jpeg", 400, "BAD_USER_INPUT", "MALFORMED_IMAGE"),
        (b"\xff\xd8\xff" + b"\0" * 100, "image/jpeg", 400, "BAD_USER_INPUT", "MALFORMED_IMAGE"),
        (bomb(), "image/png", 400, "BAD_USER_INPUT", "DECOMPRESSION_BOMB"),
        (phone_photo((1600, 1200)), "image/jpeg", 413, "PAYLOAD_TOO_LARGE", None),
    ],
    ids=["gif", "svg", "truncated", "garbage-jpeg", "bomb", "oversized"],
)
async def test_refused_files_store_nothing(
    app_client: ClientFactory,
    api: Api,
    tmp_path: Path,
    data: bytes,
    content_type: str,
    status: int,
    code: str | None,
    reason: str | None,
) -> None:
    before = await _uploads(api)
    async with app_client(upload_dir=str(tmp_path), upload_max_bytes=20_000) as client:
        response = await _upload(client, api.tokens["resident"], data, content_type)
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    if code is not None:
        assert error["extensions"]["code"] == code
    if reason is not None:
        assert error["extensions"].get("reason") == reason
    assert await _uploads(api) == before
    assert files_under(tmp_path) == []


async def test_no_token_no_form_and_an_expired_upload(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    async with app_client(upload_dir=str(tmp_path)) as client:
        anonymous = await client.post("/uploads", files={"file": ("a.jpg", phone_photo())})
        assert anonymous.status_code == 401
        raw = await client.post(
            "/uploads",
            content=phone_photo(),
            headers={**bearer(api.tokens["resident"]), "Content-Type": "image/jpeg"},
        )
        assert raw.status_code == 415
        assert (await client.get("/uploads")).status_code == 405

        uploaded = (await _upload(client, api.tokens["resident"], phone_photo())).json()
        async with api.db.write() as session:
            await session.execute(
                sa.update(Upload).values(expires_at=utcnow() - timedelta(minutes=1))
            )
        late = await mutate(
            api,
            "reportIssue",
            {
                "compound": api.ids["compound_a"],
                "channel": "PHOTO_REPORT",
                "category": "OTHER",
                "title": "過期照片",
                "photo": uploaded["id"],
            },
            as_="resident",
        )
        assert late.codes == ["BAD_USER_INPUT"] and "expired" in late.errors[0]["message"]
        # The next upload sweeps the expired one away, bytes and all.
        fresh = (await _upload(client, api.tokens["resident"], phone_photo())).json()
    assert await _uploads(api) == 1
    assert len(files_under(tmp_path)) == 2
    assert fresh["id"] != uploaded["id"]


async def test_uploads_have_their_own_body_limit(
    app_client: ClientFactory, api: Api, tmp_path: Path
) -> None:
    past_graphql_limit = b"\xff\xd8\xff" + b"\0" * (1024 * 1024 + 1)
    async with app_client(upload_dir=str(tmp_path)) as client:
        # Past /graphql's 1 MiB but within the upload limit: the bytes are judged, not cut off.
        judged = await _upload(client, api.tokens["resident"], past_graphql_limit)
        assert judged.status_code == 400
        assert judged.json()["errors"][0]["extensions"]["reason"] == "MALFORMED_IMAGE"
    async with app_client(upload_dir=str(tmp_path), upload_max_bytes=1000) as client:
        cut = await _upload(client, api.tokens["resident"], past_graphql_limit)
        assert cut.status_code == 413
        assert cut.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert files_under(tmp_path) == []


async def test_a_person_holds_a_bounded_number_of_unattached_uploads(
    app_client: ClientFactory, api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("resolvers.uploads.photos.MAX_PENDING", 2)
    async with app_client(upload_dir=str(tmp_path)) as client:
        for _ in range(2):
            assert (await _upload(client, api.tokens["resident"], phone_photo())).status_code == 201
        third = await _upload(client, api.tokens["resident"], phone_photo())
        assert third.status_code == 429
        assert third.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # Someone else is not held back by the resident's pending photos.
        assert (await _upload(client, api.tokens["resident_b"], phone_photo())).status_code == 201
    assert await _uploads(api) == 3
