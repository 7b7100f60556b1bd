"""Posting to the love bank's double-entry ledger (愛心銀行).

Used by the mutations (resolvers/) and by the demo alike, so both write the ledger the same
way: every entry's lines sum to zero, accounts are made on first use, and a balance is always
the sum of an account's lines, read in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    AccountKind,
    LedgerEntry,
    LedgerEntryKind,
    LedgerLine,
    PointsAccount,
    Reward,
    VolunteerService,
)
from db.types import utcnow

# The documented rate: 10 points per hour of service, rounded to the nearest point.
POINTS_PER_HOUR = 10

# The column naming each kind of account's owner.
_OWNER = {
    AccountKind.ISSUANCE: "compound_id",
    AccountKind.PERSON: "person_id",
    AccountKind.REDEMPTION: "station_id",
}


class UnbalancedEntry(ValueError):
    """A bug: an entry whose lines do not sum to zero must never be written."""


def points_for(minutes: int) -> int:
    """Points earned by MINUTES of service at POINTS_PER_HOUR, half up, at least one."""
    return max(1, (minutes * POINTS_PER_HOUR + 30) // 60)


async def account_id(session: AsyncSession, kind: AccountKind, owner_id: int) -> int:
    """The id of OWNER_ID's account of KIND, created on first use.

    INSERT ... ON CONFLICT DO NOTHING, then a read: two transactions making the same new
    account at once both end up with the one row, neither fails.
    """
    owner = _OWNER[kind]
    values = {"kind": kind.value, owner: owner_id, "created_at": utcnow()}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(PointsAccount).values(**values).on_conflict_do_nothing())
    found = await session.execute(
        sa.select(col(PointsAccount.id)).where(getattr(PointsAccount, owner) == owner_id)
    )
    account = found.scalar_one()
    assert account is not None  # a stored row always has its id
    return account


async def lock_account(session: AsyncSession, account: int) -> None:
    """Hold ACCOUNT's row until the transaction ends (FOR UPDATE on PostgreSQL; SQLite's write
    transaction already holds the whole database), so its balance cannot change under us."""
    await session.execute(
        sa.select(col(PointsAccount.id)).where(col(PointsAccount.id) == account).with_for_update()
    )


async def balance(session: AsyncSession, account: int) -> int:
    total = await session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(col(LedgerLine.amount)), 0)).where(
            col(LedgerLine.account_id) == account
        )
    )
    return int(total.scalar_one())


async def post(
    session: AsyncSession, entry: LedgerEntry, lines: Sequence[tuple[int, int]]
) -> LedgerEntry:
    """Write ENTRY with its (account, amount) LINES, which must balance."""
    if len(lines) < 2 or any(amount == 0 for _, amount in lines):
        raise UnbalancedEntry(f"an entry needs two or more non-zero lines, got {lines!r}")
    if sum(amount for _, amount in lines) != 0:
        raise UnbalancedEntry(f"the lines of an entry must sum to zero, got {lines!r}")
    session.add(entry)
    await session.flush()
    session.add_all(
        LedgerLine(entry_id=entry.id or 0, account_id=account, amount=amount)
        for account, amount in lines
    )
    await session.flush()
    return entry


async def post_earning(
    session: AsyncSession, service: VolunteerService, *, person_account: int, by: int | None
) -> LedgerEntry:
    """The compound's love bank issues SERVICE's points to the volunteer."""
    issuance = await account_id(session, AccountKind.ISSUANCE, service.compound_id)
    entry = LedgerEntry(
        kind=LedgerEntryKind.EARN,
        compound_id=service.compound_id,
        occurred_on=service.occurred_on,
        service_id=service.id,
        memo=service.activity[:300],
        created_by_id=by,
    )
    return await post(
        session, entry, [(issuance, -service.points), (person_account, service.points)]
    )


async def post_redemption(
    session: AsyncSession,
    reward: Reward,
    quantity: int,
    *,
    person_account: int,
    on: date,
    by: int | None,
) -> LedgerEntry:
    """QUANTITY of REWARD paid from the person's account into the station's."""
    station = await account_id(session, AccountKind.REDEMPTION, reward.station_id)
    cost = reward.cost * quantity
    entry = LedgerEntry(
        kind=LedgerEntryKind.REDEEM,
        compound_id=reward.compound_id,
        occurred_on=on,
        reward_id=reward.id,
        station_id=reward.station_id,
        quantity=quantity,
        memo=f"{reward.name} × {quantity}"[:300],
        created_by_id=by,
    )
    return await post(session, entry, [(person_account, -cost), (station, cost)])
