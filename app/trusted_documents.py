"""Trusted documents (persisted queries): operations registered by their SHA-256.

The frontend's build writes a manifest, `{"<sha256 hex>": "<document>"}` (made by
`jinlin documents manifest`), deployed with the app. A request may then send
`{"documentId": "sha256:<hex>"}` (or Apollo's `extensions.persistedQuery.sha256Hash`)
instead of the text; with JINLIN_TRUSTED_DOCUMENTS_ONLY, any document not in the
manifest is refused, so production runs only the operations that were reviewed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cross_web import HTTPException

DOCUMENT_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
DOCUMENT_NOT_TRUSTED = "DOCUMENT_NOT_TRUSTED"


class CodedHTTPException(HTTPException):
    """An HTTP refusal with its own error code."""

    def __init__(self, status_code: int, code: str, reason: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def build_manifest(documents: list[str]) -> dict[str, str]:
    return {document_hash(text): text for text in documents}


class TrustedDocuments:
    def __init__(self, manifest: dict[str, str], *, only: bool) -> None:
        for digest, text in manifest.items():
            if document_hash(text) != digest:
                raise ValueError(f"manifest entry {digest[:12]}… does not hash to its key")
        self.manifest = manifest
        self.only = only

    @classmethod
    def from_settings(cls, path: str | None, only: bool) -> TrustedDocuments:
        manifest = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
        if only and not manifest:
            raise ValueError(
                "JINLIN_TRUSTED_DOCUMENTS_ONLY needs a manifest (JINLIN_TRUSTED_DOCUMENTS)"
            )
        return cls(manifest, only=only)

    def prepare(self, schema: Any) -> None:
        """Parse and validate every document of the manifest with SCHEMA's pipeline now, so
        none waits for it on its first request; a document that fails (written against
        another schema) stops the app from starting, naming it, rather than failing its
        users later."""
        pipeline = getattr(schema, "documents", None)
        if pipeline is None or not self.manifest:
            return
        problems = pipeline.prepare(schema._schema, self.manifest.values())
        if problems:
            named = "; ".join(
                f"{document_hash(query)[:12]}…: {problem}" for query, problem in problems.items()
            )
            raise ValueError(f"trusted documents this schema does not accept: {named}")

    def resolve(self, body: dict[str, Any]) -> dict[str, Any]:
        """BODY with its document looked up by id, or refused when it is not trusted."""
        wanted = body.get("documentId")
        persisted = (body.get("extensions") or {}).get("persistedQuery") or {}
        if wanted is None and isinstance(persisted, dict):
            wanted = persisted.get("sha256Hash")
        if wanted is not None:
            digest = str(wanted).removeprefix("sha256:")
            text = self.manifest.get(digest)
            if text is None:
                raise CodedHTTPException(
                    400, DOCUMENT_NOT_FOUND, f"No registered document has the id {wanted!r}."
                )
            return {**body, "query": text}
        query = body.get("query")
        if self.only and (not isinstance(query, str) or document_hash(query) not in self.manifest):
            raise CodedHTTPException(
                403,
                DOCUMENT_NOT_TRUSTED,
                "This server runs only registered documents: send a registered `documentId`.",
            )
        return body
