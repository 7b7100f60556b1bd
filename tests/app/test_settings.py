"""Settings refuse unsafe production defaults."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pydantic import ValidationError

from app.settings import Settings
from app.settings.security import Environment


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_ENV", "production")
    monkeypatch.delenv("JINLIN_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="JINLIN_SECRET_KEY"):
        Settings()


def test_production_starts_with_a_private_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_ENV", "production")
    monkeypatch.setenv("JINLIN_SECRET_KEY", "a-long-private-value-from-the-vault")
    settings = Settings()
    assert settings.env is Environment.PRODUCTION
    assert settings.is_production


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_DATABASE_URL", "postgresql://u@h/db")
    assert Settings().database_url == "postgresql://u@h/db"


def test_transport_defaults() -> None:
    settings = Settings()
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.request_timeout_seconds == 30
    assert settings.cors_origins == []


def test_cors_origins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_CORS_ORIGINS", "https://app.example.org, https://admin.example.org/")
    assert Settings().cors_origins == ["https://app.example.org", "https://admin.example.org"]


def test_production_refuses_a_wildcard_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_ENV", "production")
    monkeypatch.setenv("JINLIN_SECRET_KEY", "a-long-private-value-from-the-vault")
    monkeypatch.setenv("JINLIN_CORS_ORIGINS", "https://app.example.org,*")
    with pytest.raises(ValidationError, match="JINLIN_CORS_ORIGINS"):
        Settings()
    monkeypatch.setenv("JINLIN_ENV", "development")
    assert Settings().cors_origins == ["https://app.example.org", "*"]


PRIVATE = "a-long-private-value-from-the-vault"
AUDIT_KEY = "another-private-value-of-32-chars-or-more"


def _production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_ENV", "production")
    monkeypatch.setenv("JINLIN_SECRET_KEY", PRIVATE)
    monkeypatch.setenv("JINLIN_AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("JINLIN_AUDIT_SIGNING_KEY", base64.b64encode(b"s" * 32).decode())


@pytest.mark.parametrize(
    ("variable", "value", "refusal"),
    [
        ("JINLIN_AUDIT_KEY", None, "JINLIN_AUDIT_KEY"),
        ("JINLIN_AUDIT_KEY", "short-audit-key", "at least 32 characters"),
        ("JINLIN_AUDIT_KEY", PRIVATE + "-and-more", None),
        ("JINLIN_AUDIT_SIGNING_KEY", None, "JINLIN_AUDIT_SIGNING_KEY"),
        ("JINLIN_AUDIT_SIGNING_KEY", "bm90LTMyLWJ5dGVz", "JINLIN_AUDIT_SIGNING_KEY"),
        ("JINLIN_AUDIT_SIGNING_KEY", "/no/such/key.pem", "JINLIN_AUDIT_SIGNING_KEY"),
    ],
)
def test_production_requires_the_audit_keys(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str | None, refusal: str | None
) -> None:
    _production(monkeypatch)
    if value is None:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, value)
    if refusal is None:
        assert Settings().audit_chain_key() == value.encode()  # type: ignore[union-attr]
        return
    with pytest.raises(ValidationError, match=refusal):
        Settings()


def test_production_refuses_the_secret_key_as_audit_key(monkeypatch: pytest.MonkeyPatch) -> None:
    _production(monkeypatch)
    monkeypatch.setenv("JINLIN_SECRET_KEY", AUDIT_KEY)
    with pytest.raises(ValidationError, match="must differ from JINLIN_SECRET_KEY"):
        Settings()


def test_the_signing_key_may_be_a_pem_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "audit-signing.pem"
    pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    _production(monkeypatch)
    monkeypatch.setenv("JINLIN_AUDIT_SIGNING_KEY", str(pem))
    signing = Settings().audit_checkpoint_key()
    assert signing.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()


def test_development_derives_two_distinct_audit_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JINLIN_AUDIT_KEY", raising=False)
    monkeypatch.delenv("JINLIN_AUDIT_SIGNING_KEY", raising=False)
    monkeypatch.setenv("JINLIN_SECRET_KEY", PRIVATE)
    settings = Settings()
    chain = settings.audit_chain_key()
    assert len(chain) == 32 and PRIVATE.encode() not in chain
    assert chain != settings.audit_checkpoint_key().private_bytes_raw()
    monkeypatch.setenv("JINLIN_SECRET_KEY", PRIVATE + "!")
    assert Settings().audit_chain_key() != chain


def test_replica_urls_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_DATABASE_URL", "postgresql://u@primary/db")
    monkeypatch.setenv("JINLIN_DATABASE_REPLICA_URLS", "postgresql://u@r1/db, postgresql://u@r2/db")
    assert Settings().database_replica_urls == ["postgresql://u@r1/db", "postgresql://u@r2/db"]
    monkeypatch.delenv("JINLIN_DATABASE_REPLICA_URLS")
    assert Settings().database_replica_urls == []


@pytest.mark.parametrize(
    ("primary", "replica"),
    [("sqlite:///jinlin.db", "postgresql://u@r1/db"), ("postgresql://u@p/db", "sqlite:///r.db")],
)
def test_replicas_are_refused_with_sqlite(
    monkeypatch: pytest.MonkeyPatch, primary: str, replica: str
) -> None:
    monkeypatch.setenv("JINLIN_DATABASE_URL", primary)
    monkeypatch.setenv("JINLIN_DATABASE_REPLICA_URLS", replica)
    with pytest.raises(ValidationError, match="SQLite has no replicas"):
        Settings()


def test_the_read_your_writes_window_outlasts_the_lag_a_replica_may_have(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JINLIN_DATABASE_URL", "postgresql://u@p/db")
    monkeypatch.setenv("JINLIN_DATABASE_REPLICA_URLS", "postgresql://u@r1/db")
    monkeypatch.setenv("JINLIN_REPLICA_MAX_LAG_SECONDS", "3")
    monkeypatch.setenv("JINLIN_REPLICA_CHECK_SECONDS", "1")
    monkeypatch.setenv("JINLIN_READ_YOUR_WRITES_SECONDS", "4.5")
    with pytest.raises(ValidationError, match="at least 5"):
        Settings()
    monkeypatch.setenv("JINLIN_READ_YOUR_WRITES_SECONDS", "5")
    assert Settings().read_your_writes_seconds == 5
