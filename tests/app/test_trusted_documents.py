"""Trusted documents: operations named by their hash, and a mode that runs nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.factory import create_app
from app.settings import Settings
from app.trusted_documents import TrustedDocuments, document_hash
from tests.app.conftest import ClientFactory, bearer
from tests.conftest import SECRET_KEY
from tests.helpers import Api

ME = "query Me { me { person { name } } }"
OTHER = "{ positions(first: 1) { totalCount } }"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    source = tmp_path / "me.graphql"
    source.write_text(ME, encoding="utf-8")
    result = CliRunner().invoke(cli, ["documents", "manifest", str(source)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {document_hash(ME): ME}
    path = tmp_path / "manifest.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


async def test_a_document_is_run_by_its_id(
    app_client: ClientFactory, api: Api, manifest: Path
) -> None:
    digest = document_hash(ME)
    async with app_client(trusted_documents=str(manifest)) as client:
        by_id = await client.post(
            "/graphql",
            json={"documentId": f"sha256:{digest}"},
            headers=bearer(api.tokens["resident"]),
        )
        apollo = await client.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}},
            headers=bearer(api.tokens["resident"]),
        )
        unknown = await client.post(
            "/graphql",
            json={"documentId": "sha256:" + "0" * 64},
            headers=bearer(api.tokens["resident"]),
        )
        free_text = await client.post(
            "/graphql", json={"query": OTHER}, headers=bearer(api.tokens["resident"])
        )
    assert by_id.json()["data"]["me"]["person"]["name"]
    assert apollo.json()["data"] == by_id.json()["data"]
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "errors" not in free_text.json()  # without the strict mode, any document still runs


async def test_strict_mode_runs_only_registered_documents(
    app_client: ClientFactory, api: Api, manifest: Path
) -> None:
    async with app_client(trusted_documents=str(manifest), trusted_documents_only=True) as client:
        registered_text = await client.post(
            "/graphql", json={"query": ME}, headers=bearer(api.tokens["resident"])
        )
        other = await client.post(
            "/graphql", json={"query": OTHER}, headers=bearer(api.tokens["resident"])
        )
    assert registered_text.json()["data"]["me"]["person"]["name"]
    assert other.status_code == 403
    assert other.json()["errors"][0]["extensions"]["code"] == "DOCUMENT_NOT_TRUSTED"


def test_a_manifest_must_be_honest_and_strict_mode_needs_one() -> None:
    with pytest.raises(ValueError, match="does not hash"):
        TrustedDocuments({"0" * 64: ME}, only=False)
    with pytest.raises(ValueError, match="needs a manifest"):
        TrustedDocuments.from_settings(None, only=True)


def test_the_manifest_is_parsed_and_validated_when_the_app_starts(
    manifest: Path, database_url: str
) -> None:
    app = create_app(
        Settings(database_url=database_url, secret_key=SECRET_KEY, trusted_documents=str(manifest))
    )
    pipeline = app.state.schema.documents
    # Its first request finds both done.
    assert pipeline.is_parsed(ME) and pipeline.is_validated(ME)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("{ me { person { nickname } } }", "Cannot query field 'nickname'"),
        ("{ me { person { name } }", "Syntax Error"),
    ],
)
def test_a_manifest_document_the_schema_refuses_stops_the_app_from_starting(
    tmp_path: Path, database_url: str, document: str, problem: str
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({document_hash(document): document}), encoding="utf-8")
    settings = Settings(
        database_url=database_url, secret_key=SECRET_KEY, trusted_documents=str(path)
    )
    with pytest.raises(ValueError, match="does not accept") as refused:
        create_app(settings)
    assert document_hash(document)[:12] in str(refused.value)
    assert problem in str(refused.value)
