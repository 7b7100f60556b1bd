"""Settings refuse unsafe production defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import Environment, Settings


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
