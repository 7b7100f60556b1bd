"""Each Chinese catalogue is written in its own script: no Simplified form in the Traditional
catalogue, no Traditional form in the Simplified one (OpenCC, character by character)."""

from __future__ import annotations

import opencc
import pytest
from babel.messages.pofile import read_po

from resolvers.i18n.catalogues import po_path

# Characters OpenCC would change that are right in the words they stand in: 控制台
# (console; 台 is the common form in Traditional writing), 游標 (cursor: 游 as in
# swimming, not 遊), 鄰里 (neighbourhood).
TRADITIONAL_AS_WRITTEN = {"台": "控制台", "游": "游標", "里": "鄰里"}


def _texts(locale: str) -> list[str]:
    with po_path(locale).open("rb") as po:
        catalog = read_po(po, locale=locale)
    found: list[str] = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.extend(str(text) for text in strings)
    return found


@pytest.mark.parametrize(
    ("locale", "conversion", "allowed"),
    [("zh_Hans", "t2s", {}), ("zh_Hant", "s2t", TRADITIONAL_AS_WRITTEN)],
)
def test_no_character_of_the_other_script(
    locale: str, conversion: str, allowed: dict[str, str]
) -> None:
    converter = opencc.OpenCC(conversion)
    texts = _texts(locale)
    assert len(texts) > 500
    foreign = {
        (character, text)
        for text in texts
        for character in set(text)
        if converter.convert(character) != character
        and not (character in allowed and allowed[character] in text)
    }
    assert not foreign, sorted(foreign)[:10]
