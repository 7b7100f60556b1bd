"""A photo on an issue's timeline, with short-lived signed links to its bytes."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from db.models import Upload
from resolvers.uploads.signing import Variant, link_expiry, signed_path
from schema.ids import encode_id


@strawberry.type(
    name="Photo",
    description="An uploaded photo, re-encoded without its metadata (EXIF, location). Its "
    "links are signed for whoever could read it when they were made, and expire minutes "
    "later: ask again for fresh ones rather than storing them.",
)
class PhotoType:
    id: strawberry.ID = strawberry.field(description="The upload's id.")
    content_type: str = strawberry.field(description="image/jpeg, image/png or image/webp.")
    byte_size: int = strawberry.field(description="Size of the stored photo in bytes.")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")
    sha256: str = strawberry.field(description="SHA-256 of the stored bytes (hex).")
    url: str = strawberry.field(description="Signed path of the photo on this server.")
    thumbnail_url: str = strawberry.field(
        description="Signed path of a thumbnail (WebP, at most 320 pixels a side)."
    )
    links_expire_at: datetime = strawberry.field(description="When both links stop working.")

    @classmethod
    def from_row(cls, row: Upload, secret_key: str) -> Self:
        assert row.id is not None
        expires = link_expiry()
        return cls(
            id=encode_id("Photo", row.id),
            content_type=row.content_type,
            byte_size=row.byte_size,
            width=row.width,
            height=row.height,
            sha256=row.sha256,
            url=signed_path(secret_key, row.id, Variant.PHOTO, expires),
            thumbnail_url=signed_path(secret_key, row.id, Variant.THUMBNAIL, expires),
            links_expire_at=expires,
        )
