"""A webhook's signing secret and the signature each delivery carries.

The secret is never stored: an endpoint keeps a random salt, and its secret is the HMAC of
that salt under the server's secret key. Whoever holds the database alone can sign nothing;
changing the server's key changes every endpoint's secret (register again).

Signature recipe (README "Webhooks"): ``Jinlin-Signature: v1=<hex>`` where hex is
HMAC-SHA256 under the secret over ``f"{timestamp}.{body}"``, the timestamp being the
``Jinlin-Timestamp`` header (Unix seconds) and the body the exact bytes received.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 (a public marker, not a secret)
DISPLAY_CHARS = 10
SIGNATURE_VERSION = "v1"


def new_salt() -> str:
    return secrets.token_hex(32)


def signing_secret(server_key: str, salt: str) -> str:
    """The endpoint's secret, derived from its SALT under the server's secret key."""
    digest = hmac.new(server_key.encode(), f"webhook:{salt}".encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The Jinlin-Signature header value for BODY sent at TIMESTAMP."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify(secret: str, timestamp: int, body: bytes, header: str) -> bool:
    """Whether HEADER is BODY's signature at TIMESTAMP (what a receiver checks)."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)
