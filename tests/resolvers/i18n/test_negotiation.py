"""Accept-Language picks the language of messages; without one, Simplified Chinese."""

from __future__ import annotations

import pytest

from resolvers.i18n import DEFAULT_LOCALE, negotiate


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "zh_Hans"),
        ("", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh-SG", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("zh-MO", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh_TW", "zh_Hant"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN-us", "en"),
        ("*", "zh_Hans"),
        ("fr, de", "zh_Hans"),  # nothing we speak: the compounds' own language
        ("fr, en;q=0.1", "en"),  # the first we speak, however little wanted
        ("not a tag!!, en", "en"),
    ],
)
def test_a_header_picks_a_locale(header: str | None, locale: str) -> None:
    assert negotiate(header) == locale


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("en;q=0.3, zh-Hant;q=0.8", "zh_Hant"),  # the weights decide, not the order
        ("zh-TW;q=0.5, en;q=0.9, zh-CN;q=0.7", "en"),
        ("en, zh-TW", "en"),  # equal weights keep the header's order
        ("en;q=0, zh-TW;q=0.2", "zh_Hant"),  # q=0 refuses a language
        ("zh-CN;q=0, en", "en"),
        ("en;q=nonsense, zh-TW;q=0.9", "en"),  # a malformed weight counts as 1
    ],
)
def test_q_weights_order_the_languages(header: str, locale: str) -> None:
    assert negotiate(header) == locale


def test_a_huge_header_is_read_only_at_its_start() -> None:
    assert negotiate("fr, " * 10_000 + "en") == DEFAULT_LOCALE
    assert negotiate("zh-TW, " + "x" * 100_000) == "zh_Hant"
