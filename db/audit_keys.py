"""The audit log's two keys, which the database never holds.

The chain key keys the HMAC that links entries: without it nobody can recompute
the chain after changing an entry. The signing key (Ed25519) signs checkpoints of
the chain head, which are also kept outside the database. Production sets both
(JINLIN_AUDIT_KEY, JINLIN_AUDIT_SIGNING_KEY); development derives them from the
server secret, each under its own label, so neither equals the other or the secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

CHAIN_KEY_LABEL = b"jinlin audit chain key"


def derived_chain_key(secret: str) -> bytes:
    """A development chain key derived from the server secret."""
    return hmac.new(secret.encode(), CHAIN_KEY_LABEL, hashlib.sha256).digest()


def derived_private_key(secret: str) -> Ed25519PrivateKey:
    """A development signing key derived from the server secret (as before the chain was keyed)."""
    seed = hashlib.sha256(b"jinlin audit checkpoint key\0" + secret.encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key_from(encoded: str) -> Ed25519PrivateKey:
    """A key from the base64 of its raw 32-byte seed."""
    try:
        seed = base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise ValueError("not base64") from error
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key_from(text: str) -> Ed25519PrivateKey:
    """JINLIN_AUDIT_SIGNING_KEY: the path of a PEM file, or the base64 of a raw seed."""
    if text.lstrip().startswith(("/", ".", "~")) or text.endswith(".pem"):
        loaded = load_pem_private_key(Path(text).expanduser().read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError("the PEM file does not hold an Ed25519 private key")
        return loaded
    return private_key_from(text)
