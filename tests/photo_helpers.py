"""Images for the photo tests, made with Pillow: a phone photo with GPS EXIF, and the
files the upload must refuse."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

CAMERA = "JinlinTestCam"
GPS_IFD = 0x8825
MAKE = 0x010F


def phone_photo(size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG with its camera and location in EXIF, as a phone writes it."""
    exif = Image.Exif()
    exif[MAKE] = CAMERA
    exif[GPS_IFD] = {1: "N", 2: (26.0, 39.0, 50.0), 3: "E", 4: (119.0, 31.0, 40.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    return out.getvalue()


def bomb() -> bytes:
    """A PNG of 6 kilobytes that declares 48 million pixels (each a bit)."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = phone_photo()
    return data[: len(data) // 2]


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
