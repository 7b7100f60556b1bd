"""Per-request DataLoaders of the love bank: services, rewards, ledger entries, accounts."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import LedgerEntry, LedgerLine, PointsAccount, Reward, VolunteerService
from resolvers.context import RequestContext
from resolvers.love_bank import points as love_bank
from resolvers.love_bank import rewards
from resolvers.love_bank import services as volunteer_services
from schema.common.dataloaders import by_id, cached, many


def reward(ctx: RequestContext) -> DataLoader[int, Reward | None]:
    return cached(ctx, "reward", lambda: DataLoader(by_id(ctx, rewards.by_ids)))


def volunteer_service(ctx: RequestContext) -> DataLoader[int, VolunteerService | None]:
    return cached(
        ctx, "volunteer_service", lambda: DataLoader(by_id(ctx, volunteer_services.by_ids))
    )


def service_entry(ctx: RequestContext) -> DataLoader[int, LedgerEntry | None]:
    """The earning entry of each service (by service id), if the caller may read it."""
    return cached(
        ctx,
        "volunteer_service:entry",
        lambda: DataLoader(by_id(ctx, love_bank.entries_of_services)),
    )


def ledger_entry(ctx: RequestContext) -> DataLoader[int, LedgerEntry | None]:
    return cached(ctx, "ledger_entry", lambda: DataLoader(by_id(ctx, love_bank.entries_by_ids)))


def movement_entry(ctx: RequestContext) -> DataLoader[int, LedgerEntry | None]:
    """The entry of a passbook line the caller was shown (see points.entries_of_movements)."""
    return cached(
        ctx,
        "ledger_entry:movement",
        lambda: DataLoader(by_id(ctx, love_bank.entries_of_movements)),
    )


def ledger_lines(ctx: RequestContext) -> DataLoader[int, list[LedgerLine]]:
    return cached(ctx, "ledger_entry:lines", lambda: DataLoader(many(ctx, love_bank.lines_of)))


def points_account(ctx: RequestContext) -> DataLoader[int, PointsAccount | None]:
    return cached(ctx, "points_account", lambda: DataLoader(by_id(ctx, love_bank.accounts_by_ids)))


def points_balance(ctx: RequestContext) -> DataLoader[int, int | None]:
    """Each person's points balance, or None where the caller may not see it: one query."""
    return cached(ctx, "points:balance", lambda: DataLoader(by_id(ctx, love_bank.balances)))
