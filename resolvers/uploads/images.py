"""Cleaning an uploaded image: its type from its bytes, its size bounded before decoding,
re-encoded without metadata (EXIF, GPS, comments), and a thumbnail.

Everything here works on bytes in memory and raises ImageRefused before anything is stored.
Run it off the event loop (asyncio.to_thread): decoding a photo takes tens of milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from resolvers.errors import BadUserInput
from resolvers.i18n import Text, tr

# The formats accepted, by their signature: nothing else is even handed to Pillow.
JPEG, PNG, WEBP = "JPEG", "PNG", "WEBP"
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", WEBP: "image/webp"}
THUMBNAIL_SIZE = (320, 320)
THUMBNAIL_TYPE = "image/webp"
DEFAULT_MAX_PIXELS = 40_000_000  # a 48-megapixel phone sensor bins to 12; 40 leaves room


class ImageRefused(BadUserInput):
    """A refused image; `reason` is a stable code clients can branch on."""

    def __init__(self, message: Text, reason: str, status: int = 400) -> None:
        super().__init__(message, reason=reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str
    thumbnail: bytes


def sniff(data: bytes) -> str | None:
    """The accepted format DATA's leading bytes announce, whatever the client claimed."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def _bomb(width: int, height: int, max_pixels: int) -> ImageRefused:
    return ImageRefused(
        tr(
            "The image is {width}×{height} pixels, more than the {max_pixels} allowed.",
            width=width,
            height=height,
            max_pixels=max_pixels,
        ),
        "DECOMPRESSION_BOMB",
    )


def _decoded(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """The decoded image, its declared size checked before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and above twice its own limit, raises) about huge images; ours is
            # checked first from the header, and any warning left is treated as a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                if probe.width * probe.height > max_pixels:
                    raise _bomb(probe.width, probe.height, max_pixels)
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=[fmt])
            image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(
            tr("The image is too large to decode safely ({error}).", error=str(error)),
            "DECOMPRESSION_BOMB",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRefused(
            tr(
                "The file looks like {fmt} but cannot be read as one ({name}).",
                fmt=fmt,
                name=type(error).__name__,
            ),
            "MALFORMED_IMAGE",
        ) from error
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    """IMAGE in FMT with no metadata: nothing from the original's info is passed on."""
    out = io.BytesIO()
    if fmt == JPEG:
        image.convert("RGB").save(out, JPEG, quality=85, optimize=True)
    elif fmt == PNG:
        image.save(out, PNG, optimize=True)
    else:
        image.save(out, WEBP, quality=85)
    return out.getvalue()


def _pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """A fresh image holding IMAGE's pixels, turned upright, and nothing else."""
    upright = ImageOps.exif_transpose(image)
    modes = {JPEG: ("RGB", "L"), PNG: ("RGB", "RGBA", "L", "LA", "P"), WEBP: ("RGB", "RGBA")}
    # Transparency kept in info (a palette's or a colour key) would be lost with the info.
    has_alpha = "A" in upright.mode or "transparency" in upright.info
    if upright.mode not in modes[fmt] or (has_alpha and "A" not in upright.mode):
        upright = upright.convert("RGBA" if has_alpha and fmt != JPEG else "RGB")
    fresh = Image.new(upright.mode, upright.size)
    if upright.mode == "P":
        palette = upright.getpalette()
        if palette is not None:
            fresh.putpalette(palette)
    fresh.paste(upright)
    return fresh


def clean_photo(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> CleanPhoto:
    """DATA as a metadata-free photo and its thumbnail, or ImageRefused."""
    fmt = sniff(data)
    if fmt is None:
        raise ImageRefused(
            tr("Only JPEG, PNG and WebP photos are accepted (judged from the file's bytes)."),
            "UNSUPPORTED_IMAGE_TYPE",
            status=415,
        )
    with _decoded(data, fmt, max_pixels) as image:
        clean = _pixels_only(image, fmt)
    encoded = _encode(clean, fmt)
    thumb = clean.convert("RGBA" if "A" in clean.mode else "RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    thumb.save(out, WEBP, quality=80)
    return CleanPhoto(
        data=encoded,
        content_type=CONTENT_TYPES[fmt],
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(encoded).hexdigest(),
        thumbnail=out.getvalue(),
    )
