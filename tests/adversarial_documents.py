"""Documents built to make a GraphQL server work hard, shared by the schema and app tests."""

from __future__ import annotations


def doubling(n: int, leaf: str = "__typename") -> str:
    """Each fragment spreads the next one twice: 2**n leaves once every spread is inlined."""
    fragments = " ".join(f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}" for i in range(n))
    return f"query{{...F0}} {fragments} fragment F{n} on Query{{{leaf}}}"
