"""Per-request DataLoaders of fund entries, their lines and accounts."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import FundAccount, FundEntry, FundLine
from resolvers.context import RequestContext
from resolvers.funds import queries as funds
from schema.common.dataloaders import by_id, cached, many


def fund_entry(ctx: RequestContext) -> DataLoader[int, FundEntry | None]:
    return cached(ctx, "fund_entry", lambda: DataLoader(by_id(ctx, funds.entries_by_ids)))


def fund_lines(ctx: RequestContext) -> DataLoader[int, list[FundLine]]:
    return cached(ctx, "fund_entry:lines", lambda: DataLoader(many(ctx, funds.lines_of)))


def fund_reversal(ctx: RequestContext) -> DataLoader[int, FundEntry | None]:
    """An entry's reversal, by the entry's id."""
    return cached(ctx, "fund_entry:reversal", lambda: DataLoader(by_id(ctx, funds.reversals_of)))


def fund_account(ctx: RequestContext) -> DataLoader[int, FundAccount | None]:
    return cached(ctx, "fund_account", lambda: DataLoader(by_id(ctx, funds.accounts_by_ids)))
