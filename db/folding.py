"""Text folded for search: simplified and traditional Chinese, full and half width, and
upper and lower case all read the same, so `电梯` finds `電梯` and `ＡＢＣ` finds `abc`.

It lives in db/ because the stored folded columns (issue.search_text) are written by the
models' own hooks, the bulk seeders and the migration that backfills them; a query folds
its text with the same function so both sides agree.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from opencc import OpenCC


@cache
def _to_simplified() -> OpenCC:
    # Built once: loading the dictionaries is the slow part; converting is cheap.
    return OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC first (full-width letters and digits become ASCII, compatibility ideographs
    become the unified ones OpenCC knows), then traditional to simplified, then casefold."""
    normal = unicodedata.normalize("NFKC", text)
    return str(_to_simplified().convert(normal)).casefold()


def issue_search_text(title: str, description: str | None) -> str:
    """What an issue's search matches: its title and description, folded."""
    return fold(f"{title}\n{description or ''}")


def like_pattern(text: str) -> str:
    """A LIKE pattern matching folded TEXT anywhere, its `%`, `_` and `\\` taken literally
    (used with ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
