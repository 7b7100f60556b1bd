"""Where photo bytes live: a small interface, and the local-disk store behind it.

The S3-compatible store (resolvers/uploads/s3.py) implements the same calls under a bucket
and key prefix; keys are opaque, so nothing else changes. A store that cannot be reached
raises StoreUnavailable, which the upload endpoints answer with 503 UNAVAILABLE.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from resolvers.errors import Unavailable
from resolvers.i18n import tr

KEY = re.compile(r"^[a-z0-9]{16,64}(\.thumb)?$")
T = TypeVar("T")
# Seconds a client is told to wait before retrying while the photo store is down.
STORE_RETRY_AFTER = 5


class StoreUnavailable(Unavailable):
    """The photo store cannot be reached or refused the call: nothing is wrong with the
    request, retry later."""

    def __init__(self, retry_after: int = STORE_RETRY_AFTER) -> None:
        super().__init__(retry_after)
        self.text = tr(
            "The photo store cannot be reached right now; try again in {seconds} seconds.",
            seconds=retry_after,
        )
        self.message = str(self.text)
        self.details["reason"] = "PHOTO_STORE_UNAVAILABLE"


def check_key(key: str) -> str:
    """KEY if it is one of ours; keys are never a caller's, so anything path-like is refused."""
    if not KEY.match(key):
        raise ValueError(f"not a blob key: {key!r}")
    return key


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes | None: ...

    async def delete(self, key: str) -> None: ...

    async def delete_many(self, keys: Sequence[str]) -> None:
        """Delete every key (a missing one is no error), in as few calls as the store allows."""
        ...


class LocalBlobStore:
    """Files under ROOT, fanned out by the key's first two characters; written to a temporary
    file and renamed, so a reader never sees half a photo."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / check_key(key)

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as partial:
            partial.write(data)
        os.replace(partial.name, path)

    def _get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def _delete_many(self, keys: Sequence[str]) -> None:
        for key in keys:
            self._path(key).unlink(missing_ok=True)

    async def _call(self, work: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.to_thread(work, *args)
        except OSError as error:  # a full or unmounted disk: the request is not at fault
            raise StoreUnavailable() from error

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(self._put, key, data)

    async def get(self, key: str) -> bytes | None:
        return await self._call(self._get, key)

    async def delete(self, key: str) -> None:
        await self.delete_many([key])

    async def delete_many(self, keys: Sequence[str]) -> None:
        await self._call(self._delete_many, keys)
