"""Photo bytes in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, or any service that
speaks the S3 API), under a bucket and a key prefix.

boto3 is the maintained SDK; its clients are thread-safe but blocking, so each call runs in
a worker thread (as the local store's file calls do). Credentials come from boto3's own
chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, a profile, an instance
role); this module never sees, keeps or logs them. A failure to reach the service, or any
answer but "no such key", is StoreUnavailable: the endpoints answer 503 and store nothing.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from resolvers.uploads.storage import StoreUnavailable, check_key

# DeleteObjects takes at most this many keys per call.
DELETE_BATCH = 1000
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


def normalise_prefix(prefix: str) -> str:
    """'jinlin/photos' and '/jinlin/photos/' alike become 'jinlin/photos/'; '' stays ''."""
    cleaned = prefix.strip("/")
    return f"{cleaned}/" if cleaned else ""


class S3BlobStore:
    """Objects BUCKET/PREFIX+KEY. ENDPOINT_URL names a service other than AWS (path-style
    addressing then, which MinIO and Ceph expect); REGION is the bucket's region."""

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        timeout_seconds: float = 10.0,
        max_attempts: int = 3,
    ) -> None:
        self.bucket = bucket
        self.prefix = normalise_prefix(prefix)
        self._endpoint_url = endpoint_url
        self._region = region
        self._config = Config(
            connect_timeout=timeout_seconds,
            read_timeout=timeout_seconds,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            # Checksums only where the API requires them: services other than AWS (older
            # MinIO, Ceph) refuse the CRC headers boto3 would otherwise add to every upload.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self._client: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3BlobStore(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def _s3(self) -> Any:
        # Made on first use (loading the service model takes a while), once per store:
        # a boto3 client may be shared by threads, a session may not.
        with self._lock:
            if self._client is None:
                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self._endpoint_url,
                    region_name=self._region,
                    config=self._config,
                )
            return self._client

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3().put_object(
            Bucket=self.bucket, Key=self._name(key), Body=data, ContentType=content_type
        )

    def _get(self, key: str) -> bytes | None:
        try:
            answer = self._s3().get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        body = answer["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    def _delete_many(self, keys: Sequence[str]) -> None:
        names = [self._name(key) for key in keys]
        for start in range(0, len(names), DELETE_BATCH):
            chunk = names[start : start + DELETE_BATCH]
            answer = self._s3().delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": name} for name in chunk], "Quiet": True},
            )
            # A missing key is no error to S3; anything reported here is.
            if answer.get("Errors"):
                failed = answer["Errors"][0]
                raise StoreUnavailable() from RuntimeError(
                    f"S3 could not delete {failed.get('Key')}: {failed.get('Code')}"
                )

    async def _call(self, work: Any, *args: Any) -> Any:
        try:
            return await asyncio.to_thread(work, *args)
        except (BotoCoreError, ClientError) as error:
            raise StoreUnavailable() from error

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(self._put, key, data, content_type)

    async def get(self, key: str) -> bytes | None:
        data: bytes | None = await self._call(self._get, key)
        return data

    async def delete(self, key: str) -> None:
        await self.delete_many([key])

    async def delete_many(self, keys: Sequence[str]) -> None:
        if keys:
            await self._call(self._delete_many, keys)
