"""The photo store: where uploads go, what is accepted and when strays are swept."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class UploadSettings(BaseSettings):
    upload_dir: str = Field(
        default="uploads",
        description="Directory of the local photo store (beside the SQLite database by default).",
    )
    upload_max_bytes: int = Field(
        default=10 * 1024 * 1024, gt=0, description="Largest photo POST /uploads accepts."
    )
    upload_s3_bucket: str | None = Field(
        default=None,
        description="Keep photos in this bucket of S3-compatible object storage instead of "
        "upload_dir; credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID, "
        "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or boto3's other sources, never from here.",
    )
    upload_s3_endpoint: str | None = Field(
        default=None,
        description="The S3 API's URL for a service other than AWS (MinIO, Ceph, ...).",
    )
    upload_s3_prefix: str = Field(default="", description="Key prefix of photos in the bucket.")
    upload_s3_region: str | None = Field(default=None, description="The bucket's region.")
    upload_s3_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds one call to the object store may take."
    )
    upload_unattached_hours: float = Field(
        default=24.0,
        gt=0,
        description="An upload nobody attached to a report or comment is swept after this.",
    )
    upload_sweep_seconds: float = Field(
        default=300.0,
        gt=0,
        description="How often the sweeps (`serve`, `worker`) remove unattached uploads.",
    )
    upload_max_pixels: int = Field(
        default=40_000_000,
        gt=0,
        description="Most pixels a photo may declare; more is refused before decoding (a "
        "decompression bomb).",
    )
