"""The messages the code marks with ``tr``, found by Babel's Python extractor: what the
catalogues must translate (the catalogue test holds them to it; ``jinlin i18n update``
merges new ones into the .po files)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

# The packages whose messages reach people; the layers below raise none.
SOURCES = ("app", "schema", "resolvers")
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "tr": None,
    "tr_in": ((1, "c"), 2),
}
ROOT = Path(__file__).resolve().parents[2]


def extract_catalog(root: Path = ROOT) -> Catalog:
    """A template catalogue of every message id marked in SOURCES under ROOT."""
    catalog = Catalog(project="jinlin", fuzzy=False)
    for package in SOURCES:
        found = extract_from_dir(
            root / package,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            catalog.add(
                message,
                locations=[(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
                flags=("python-brace-format",) if "{" in str(message) else (),
            )
    return catalog
