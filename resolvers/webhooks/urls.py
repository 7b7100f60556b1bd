"""Which URLs an endpoint may have: HTTPS, or plain HTTP to this machine (development)."""

from __future__ import annotations

from urllib.parse import urlsplit

from resolvers.errors import BadUserInput
from resolvers.i18n import tr

MAX_URL = 2048
# Plain HTTP reaches only the machine itself: a receiver under development, or a test's.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def clean_url(url: str) -> str:
    """URL as an endpoint keeps it, or BAD_USER_INPUT saying what is wrong."""
    text = url.strip()
    if not text or len(text) > MAX_URL:
        raise BadUserInput(tr("A webhook URL has 1 to {MAX_URL} characters.", MAX_URL=MAX_URL))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise BadUserInput(tr("That is not a URL: {error}.", error=str(error))) from error
    host = parts.hostname or ""
    if not host:
        raise BadUserInput(tr("A webhook URL names a host: https://partner.example/hooks/jinlin."))
    if parts.username is not None or parts.password is not None:
        raise BadUserInput(tr("Put no credentials in a webhook URL: verify the signature instead."))
    if parts.fragment:
        raise BadUserInput(tr("A webhook URL has no #fragment (it is never sent to the server)."))
    if port == 0:
        raise BadUserInput(tr("A webhook URL needs a port a receiver listens on (not 0)."))
    if parts.scheme == "https":
        return text
    if parts.scheme == "http" and host in LOOPBACK_HOSTS:
        return text
    raise BadUserInput(
        tr(
            "A webhook URL must be https:// (plain http only to 127.0.0.1 or localhost, for "
            "development)."
        )
    )
