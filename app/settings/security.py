"""Secrets, the audit chain's keys and what production refuses.

Production refuses the unsafe development defaults, so a deployment that forgot
to set a secret fails at start-up instead of running with a public one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode

from db.audit_keys import derived_chain_key, derived_private_key, signing_key_from

DEVELOPMENT_SECRET = "jinlin-development-secret-not-for-production"  # noqa: S105


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class UnsafeSettingsError(ValueError):
    """Raised when production is started with a development-only default."""


class SecuritySettings(BaseSettings):
    env: Environment = Environment.DEVELOPMENT
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET,
        description="Key of the HMAC under which API tokens are stored.",
        min_length=16,
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed cross-origin access, comma-separated; empty: none.",
    )
    trusted_documents: str | None = Field(
        default=None,
        description="Path of the trusted-documents manifest ({sha256: document}) requests may "
        "name by documentId.",
    )
    trusted_documents_only: bool = Field(
        default=False, description="Run only documents in the manifest (for production)."
    )
    audit_key: str | None = Field(
        default=None,
        min_length=32,
        description="Key of the HMAC that chains the audit log; the database never holds it. "
        "Unset: derived from the secret key (development only).",
    )
    audit_signing_key: str | None = Field(
        default=None,
        description="The Ed25519 key that signs audit checkpoints: base64 of its raw 32-byte "
        "seed, or the path of a PEM file. Unset: derived from the secret key (development only).",
    )
    audit_retired_public_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Public keys (base64, comma-separated) of signing keys rotated out: "
        "checkpoints they signed still count.",
    )
    audit_checkpoint_file: str | None = Field(
        default=None,
        description="Append every signed checkpoint to this file too (JSON lines), outside the "
        "database; `jinlin audit verify` reads it.",
    )
    audit_checkpoint_every_entries: int = Field(
        default=1000, gt=0, description="Sign a checkpoint once the chain has grown this much."
    )
    audit_checkpoint_every_minutes: float = Field(
        default=60.0,
        gt=0,
        description="Sign a checkpoint at least this often while the chain grows.",
    )

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @field_validator("audit_retired_public_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.is_production and self.secret_key == DEVELOPMENT_SECRET:
            raise UnsafeSettingsError(
                "JINLIN_SECRET_KEY must be set to a private value when JINLIN_ENV=production"
            )
        if self.is_production and "*" in self.cors_origins:
            raise UnsafeSettingsError(
                "JINLIN_CORS_ORIGINS must list the frontend's origins, not '*', "
                "when JINLIN_ENV=production"
            )
        if self.is_production and self.audit_key is None:
            raise UnsafeSettingsError(
                "JINLIN_AUDIT_KEY (32 characters or more) must be set when JINLIN_ENV=production"
            )
        if self.is_production and self.audit_key == self.secret_key:
            raise UnsafeSettingsError("JINLIN_AUDIT_KEY must differ from JINLIN_SECRET_KEY")
        if self.is_production and self.audit_signing_key is None:
            raise UnsafeSettingsError(
                "JINLIN_AUDIT_SIGNING_KEY must be set when JINLIN_ENV=production"
            )
        if self.audit_signing_key is not None:
            try:
                signing_key_from(self.audit_signing_key)
            except (OSError, ValueError) as error:
                raise UnsafeSettingsError(
                    "JINLIN_AUDIT_SIGNING_KEY is neither a base64 Ed25519 seed nor a readable "
                    f"PEM file of an Ed25519 private key ({type(error).__name__})"
                ) from None
        return self

    def audit_chain_key(self) -> bytes:
        """The key of the audit chain's HMAC."""
        if self.audit_key is not None:
            return self.audit_key.encode()
        return derived_chain_key(self.secret_key)

    def audit_checkpoint_key(self) -> Ed25519PrivateKey:
        """The key that signs checkpoints."""
        if self.audit_signing_key is not None:
            return signing_key_from(self.audit_signing_key)
        return derived_private_key(self.secret_key)
