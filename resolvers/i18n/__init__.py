"""Messages in the caller's language: Simplified Chinese (the default), Traditional Chinese
and English, from gettext catalogues (``locales/<locale>/LC_MESSAGES/messages.po``).

Code marks a message with ``tr("English text with {named} placeholders", named=value)`` and
raises or returns it as it is; the words are chosen only when the message is written for its
reader (``translate``), in the locale the request negotiated from ``Accept-Language``.
"""

from resolvers.i18n.catalogues import LOCALES, translate
from resolvers.i18n.negotiation import DEFAULT_LOCALE, negotiate
from resolvers.i18n.text import Coded, Text, coded, tr, tr_in

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "Coded",
    "Text",
    "coded",
    "negotiate",
    "tr",
    "tr_in",
    "translate",
]
