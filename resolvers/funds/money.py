"""Money as people read it: whole fen (分) shown as yuan with two decimals."""

from __future__ import annotations

from decimal import Decimal


def yuan(fen: int) -> str:
    """FEN as yuan: 300000 -> "3000.00", -150 -> "-1.50"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def as_yuan(fen: int) -> Decimal:
    """FEN as an exact yuan amount with two places: 300000 -> Decimal("3000.00"). Sums are
    shown this way: a city's fen can exceed GraphQL's 32-bit Int, a Decimal cannot overflow."""
    return Decimal(fen).scaleb(-2)
