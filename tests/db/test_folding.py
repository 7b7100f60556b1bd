"""The one folding both the stored copy and the query go through."""

from __future__ import annotations

import pytest

from db.folding import fold, issue_search_text, like_pattern


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("電梯", "电梯"),
        ("电梯", "电梯"),
        ("業主委員會", "业主委员会"),
        ("ＡＢＣ１２３", "abc123"),
        ("（停車）", "(停车)"),
        ("MiXeD", "mixed"),
        ("Straße", "strasse"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(folded) == folded  # folding twice changes nothing


def test_issue_search_text_keeps_title_and_description_apart() -> None:
    assert issue_search_text("電梯", "漏水") == "电梯\n漏水"
    assert issue_search_text("電梯", None) == "电梯\n"


def test_like_pattern_escapes_its_wildcards() -> None:
    assert like_pattern("100%_a\\b") == "%100\\%\\_a\\\\b%"
