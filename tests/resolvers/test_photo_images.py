"""Cleaning a photo in memory: every accepted format loses its metadata, keeps its pixels'
meaning (upright, transparent where it was) and gets a thumbnail."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from resolvers.uploads.images import ImageRefused, clean_photo
from tests.photo_helpers import CAMERA, GPS_IFD, MAKE

ORIENTATION = 0x0112


def _with_exif(fmt: str, mode: str = "RGB", size: tuple[int, int] = (60, 40)) -> bytes:
    exif = Image.Exif()
    exif[MAKE] = CAMERA
    exif[GPS_IFD] = {1: "N", 2: (26.0, 39.0, 50.0)}
    exif[ORIENTATION] = 6  # the camera was held on its side
    out = io.BytesIO()
    colour = (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)  # half transparent
    Image.new(mode, size, colour).save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "mode", "content_type"),
    [("JPEG", "RGB", "image/jpeg"), ("PNG", "RGBA", "image/png"), ("WEBP", "RGBA", "image/webp")],
)
def test_metadata_is_gone_and_the_photo_stands_upright(
    fmt: str, mode: str, content_type: str
) -> None:
    original = _with_exif(fmt, mode)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    photo = clean_photo(original)
    cleaned = Image.open(io.BytesIO(photo.data))
    assert photo.content_type == content_type
    assert dict(cleaned.getexif()) == {} and CAMERA.encode() not in photo.data
    assert (photo.width, photo.height) == cleaned.size == (40, 60)  # rotated by its orientation
    assert ("A" in cleaned.mode) == (mode == "RGBA")
    assert Image.open(io.BytesIO(photo.thumbnail)).format == "WEBP"


def test_a_thumbnail_is_at_most_320_pixels_a_side() -> None:
    photo = clean_photo(_with_exif("JPEG", size=(1200, 900)))
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (240, 320)


def test_the_pixel_limit_is_read_from_the_header() -> None:
    with pytest.raises(ImageRefused) as refused:
        clean_photo(_with_exif("PNG", size=(200, 100)), max_pixels=19_999)
    assert refused.value.reason == "DECOMPRESSION_BOMB"
