"""Rewards a station gives for love-bank points, and redeeming them.

A redemption locks the redeemer's points account before it reads the balance, so
concurrent redemptions by one person queue and none can overdraw (FOR UPDATE on PostgreSQL;
on SQLite the write transaction, begun IMMEDIATE, already holds the database).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import AccountKind, LedgerEntry, Reward, Station
from resolvers.audited import AuditRecord
from resolvers.common import locked, organisation_path, scoped, visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.love_bank import ledger
from resolvers.mutations import CreateMutation, Place, bump, place
from resolvers.pagination import Page, Window, keyset_page
from resolvers.stations.duties import station_place
from resolvers.text import clean_name

RESOURCE = "reward"
MAX_COST = 100_000
MAX_STOCK = 100_000
MAX_QUANTITY = 100
# The lock that keeps a balance from being overdrawn; a name of its own so a test can show
# what happens without it (tests/db/test_redemption_concurrency.py).
lock_points = ledger.lock_account


@dataclass(frozen=True)
class ListReward:
    station_id: int
    name: str
    cost: int
    stock: int | None = None


@dataclass(frozen=True)
class RedeemPoints:
    reward_id: int
    quantity: int = 1


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Reward]:
    return await visible_by_ids(ctx, Reward, RESOURCE, ids)


async def list_rewards(ctx: RequestContext, station_id: int, window: Window) -> Page[Reward]:
    statement = scoped(ctx, Reward, RESOURCE).where(col(Reward.station_id) == station_id)
    return await keyset_page(
        ctx, statement, keys=[col(Reward.id)], key_of=lambda r: (r.id,), window=window
    )


def _clean_reward(data: ListReward) -> str:
    name = clean_name(data.name, tr("reward name"))
    if len(name) > 100:
        raise BadUserInput(tr("The reward name must be at most 100 characters."))
    if not 0 < data.cost <= MAX_COST:
        raise BadUserInput(
            tr("A reward costs more than 0 and at most {MAX_COST} points.", MAX_COST=MAX_COST)
        )
    if data.stock is not None and not 0 <= data.stock <= MAX_STOCK:
        raise BadUserInput(
            tr(
                "The stock must be between 0 and {MAX_STOCK}, or left out (no limit).",
                MAX_STOCK=MAX_STOCK,
            )
        )
    return name


async def _reward_place(ctx: RequestContext, session: AsyncSession, reward: Reward) -> Place:
    """A redemption lies in the reward's compound and is the redeeming resident's own."""
    path = await organisation_path(session, reward.compound_id)
    return place(reward.compound_id, path, owner_person_id=ctx.require_actor())


LIST_REWARD = CreateMutation(
    operation="listReward",
    resource=RESOURCE,
    action="list",
    what=tr("list rewards at this station"),
    needs=" (the secretary; admins)",
    model=Station,
    reads="station",
    noun=tr("station"),
    locate=station_place,
)
REDEEM_POINTS = CreateMutation(
    operation="redeemPoints",
    resource=RESOURCE,
    action="redeem",
    what=tr("redeem rewards here: only the compound's residents may"),
    audited_as="ledger_entry",
    needs=" (residents)",
    model=Reward,
    reads=RESOURCE,
    noun=tr("reward"),
    locate=_reward_place,
)


async def list_reward(ctx: RequestContext, data: ListReward) -> Reward:
    """Offer a reward at a station."""

    async def apply(session: AsyncSession, station: Station, record: AuditRecord) -> Reward:
        reward = Reward(
            station_id=station.id or 0,
            compound_id=station.compound_id,
            name=_clean_reward(data),
            cost=data.cost,
            stock=data.stock,
        )
        session.add(reward)
        await session.flush()
        record.made(reward.id)
        for name in ("station_id", "name", "cost", "stock"):
            record.change(name, None, getattr(reward, name))
        return reward

    return await LIST_REWARD.under(ctx, data.station_id, apply, data=data)


async def redeem_points(ctx: RequestContext, data: RedeemPoints) -> LedgerEntry:
    """A resident spends their own points on a reward at a station of their compound."""

    async def apply(session: AsyncSession, reward: Reward, record: AuditRecord) -> LedgerEntry:
        person_id = ctx.require_actor()
        if not 1 <= data.quantity <= MAX_QUANTITY:
            raise BadUserInput(
                tr("Redeem between 1 and {MAX_QUANTITY} at a time.", MAX_QUANTITY=MAX_QUANTITY)
            )
        # The account first, then a reward with a stock: every redemption locks in this order.
        account = await ledger.account_id(session, AccountKind.PERSON, person_id)
        await lock_points(session, account)
        if reward.stock is not None:
            reward = await locked(session, Reward, data.reward_id, tr("reward"))
        cost = reward.cost * data.quantity
        if reward.stock is not None and reward.stock < data.quantity:
            raise BadUserInput(
                tr("Only {stock} of {name} are left.", stock=reward.stock, name=reward.name)
            )
        before = await ledger.balance(session, account)
        if before < cost:
            raise BadUserInput(
                tr(
                    "You have {before} points; {quantity} × {name} costs {cost}.",
                    before=before,
                    quantity=data.quantity,
                    name=reward.name,
                    cost=cost,
                )
            )
        entry = await ledger.post_redemption(
            session, reward, data.quantity, person_account=account, on=ctx.today, by=person_id
        )
        record.made(entry.id)
        record.change("reward_id", None, reward.id)
        record.change("quantity", None, data.quantity)
        record.change("points", None, cost)
        record.change("balance", before, before - cost)
        if reward.stock is not None:
            record.change("stock", reward.stock, reward.stock - data.quantity)
            reward.stock -= data.quantity
            bump(reward)
        await session.flush()
        return entry

    return await REDEEM_POINTS.under(ctx, data.reward_id, apply, data=data)
