"""Signed, expiring links to a photo.

A link is minted only while resolving a timeline entry the caller may read (or for the
uploader, in the upload's answer), so the signature carries that decision: the GET that
serves it checks the signature and the expiry and needs no bearer token, which lets an
<img> tag or an image loader use it. The price is that a copied link works for anyone
until it expires, so links live minutes, not days.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlencode

from db.types import utcnow

LINK_SECONDS = 300


class Variant(StrEnum):
    PHOTO = "photo"
    THUMBNAIL = "thumbnail"


def _key(secret_key: str) -> bytes:
    # A key of its own, derived from the secret, so a link's MAC is no token hash.
    return hmac.new(secret_key.encode(), b"jinlin photo links v1", hashlib.sha256).digest()


def signature(secret_key: str, upload_id: int, variant: Variant, expires: int) -> str:
    message = f"{upload_id}:{variant.value}:{expires}".encode()
    return hmac.new(_key(secret_key), message, hashlib.sha256).hexdigest()


def link_expiry(now: datetime | None = None) -> datetime:
    moment = (now or utcnow()) + timedelta(seconds=LINK_SECONDS)
    return moment.replace(microsecond=0)


def signed_path(secret_key: str, upload_id: int, variant: Variant, expires: datetime) -> str:
    """/uploads/ID/VARIANT?expires=…&signature=…, valid until EXPIRES."""
    stamp = int(expires.timestamp())
    query = urlencode(
        {"expires": stamp, "signature": signature(secret_key, upload_id, variant, stamp)}
    )
    return f"/uploads/{upload_id}/{variant.value}?{query}"


def link_valid(secret_key: str, upload_id: int, variant: Variant, expires: str, given: str) -> bool:
    """Whether a link's signature is ours and it has not expired."""
    if not expires.isdigit() or len(expires) > 12:
        return False
    if int(expires) < utcnow().timestamp():
        return False
    expected = signature(secret_key, upload_id, variant, int(expires))
    return hmac.compare_digest(expected, given)
