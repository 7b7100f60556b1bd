"""The gettext catalogues, read from their .po files when the app is built (load_all).

The .po files are the only copy: they are compiled in memory (babel's write_mo) into
standard gettext translations, so a clean clone or an editable install needs no build
step and no compiled .mo file can fall out of step with its source.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from resolvers.i18n.enum_labels import ENUM_LABELS
from resolvers.i18n.negotiation import DEFAULT_LOCALE
from resolvers.i18n.text import Coded, Text

LOCALES = ("zh_Hans", "zh_Hant", "en")
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent / "locales"


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> Translations:
    """LOCALE's catalogue as gettext translations (an unknown locale gets the default's)."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    with po_path(locale).open("rb") as po:
        catalog = read_po(po, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def load_all() -> None:
    """Read every catalogue now (~0.1 s): at start-up, not in the first refusal's answer,
    and a broken .po stops the start instead of an error's formatting."""
    for locale in LOCALES:
        translations(locale)


def translate(message: Text | str, locale: str) -> str:
    """MESSAGE in LOCALE; a plain string (not marked for translation) stays as it is."""
    if isinstance(message, str):
        return message
    try:
        return _InLocale(locale).text(message)
    except (KeyError, IndexError, ValueError):
        # A translation whose placeholders do not match its source: the English rather
        # than nothing (the catalogue test keeps this from shipping).
        return str(message)


class _InLocale:
    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else DEFAULT_LOCALE
        self.catalogue = translations(self.locale)

    def text(self, text: Text) -> str:
        if text.context is not None:
            return text.format(str(self.catalogue.pgettext(text.context, text.msgid)), self)
        return text.format(self.catalogue.gettext(text.msgid), self)

    def coded(self, coded: Coded) -> str:
        if self.locale == "en":  # English messages spell enum values as the API does
            return str(coded)
        labels = ENUM_LABELS.get(coded.enum, {})
        return "、".join(self.text(labels[v]) if v in labels else v for v in coded.values)
