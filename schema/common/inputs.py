"""Wording shared by the inputs of every domain."""

from __future__ import annotations

VERSION = (
    "The version you last read; if the record changed since, the mutation fails with CONFLICT."
)
