"""Funds, the changes: the street grants a party branch (a compound's, or a grid's joint
branch) its start-up and yearly running funds, which the branch spends; the owners' committee
or the branch records the compound's public revenue and its distribution. Each is one
balanced ledger entry (resolvers/funds/ledger.py), audited. A wrong entry is reversed
(resolvers/funds/reversals.py), never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    CATEGORIES,
    FundAccountKind,
    FundCategory,
    FundEntry,
    FundEntryKind,
    Organisation,
)
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import organisation_path
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.funds import ledger
from resolvers.funds.money import yuan
from resolvers.i18n import Text, coded, tr
from resolvers.mutations import CreateMutation, Place
from resolvers.organisations.bodies import body_place, compound_body
from resolvers.organisations.branches import branch_place_id, is_branch
from resolvers.text import clean_text

# extensions.reason of a movement larger than what the account it leaves holds.
FUNDS_INSUFFICIENT = "FUNDS_INSUFFICIENT"

# The article's amounts (寧德): 3,000 yuan for a new branch, 2,000 yuan a year to run it.
DEFAULT_GRANTS = {FundCategory.START_UP: 300_000, FundCategory.RUNNING: 200_000}
MAX_AMOUNT = 100_000_000  # one million yuan, in fen, per entry
# Money is recorded while it is remembered: at most a year back, never ahead.
MAX_AGE = timedelta(days=366)
MEMO_LIMIT = 300


@dataclass(frozen=True)
class GrantFunds:
    branch_id: int
    category: FundCategory
    amount: int | None = None  # fen; the article's amount when not given
    year: int | None = None  # the year a running fund is for; the grant day's year if not given
    granted_on: date | None = None  # today when not given
    memo: str | None = None


@dataclass(frozen=True)
class RecordPublicRevenue:
    body_id: int
    category: FundCategory
    amount: int
    received_on: date | None = None
    memo: str | None = None


@dataclass(frozen=True)
class DistributeRevenue:
    body_id: int
    category: FundCategory
    amount: int
    paid_on: date | None = None
    memo: str | None = None


def _branch_of(organisation: Organisation) -> Organisation:
    if not is_branch(organisation):
        raise BadUserInput(
            tr(
                "Funds are granted to a party branch; {name} is a {kind}.",
                name=organisation.name,
                kind=coded(organisation.kind),
            )
        )
    return organisation


async def _grant_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    """A grant lies at the branch, and is checked at its compound (a joint branch's grid):
    `below` lets only a grant held above it give it."""
    branch = _branch_of(organisation)
    ledger_path = await organisation_path(session, branch_place_id(branch))
    return Place(branch.id, branch.path, RowFacts(paths=(ledger_path,)), branch.compound_id)


async def _body_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    body = compound_body(
        organisation,
        lambda other: tr(
            "Public revenue is kept by a compound's owners' committee or party branch; "
            "{name} is a {kind}.",
            name=other.name,
            kind=coded(other.kind),
        ),
    )
    return body_place(body, body.compound_id)


GRANT_FUNDS = CreateMutation(
    operation="grantFunds",
    resource="fund",
    action="grant",
    what=tr("grant funds to this branch"),
    audited_as="fund_entry",
    needs=" (the street's or community's organisation officer, held above the compound or a "
    "joint branch's grid; never the branch itself)",
    model=Organisation,
    reads="organisation",
    noun=tr("party branch"),
    locate=_grant_place,
)
RECORD_PUBLIC_REVENUE = CreateMutation(
    operation="recordPublicRevenue",
    resource="fund",
    action="record_revenue",
    what=tr("record public revenue for this body"),
    audited_as="fund_entry",
    needs=" (a member of the compound's owners' committee or party branch, for that body)",
    model=Organisation,
    reads="organisation",
    noun=tr("owners' committee or party branch"),
    locate=_body_place,
)
DISTRIBUTE_REVENUE = CreateMutation(
    operation="distributeRevenue",
    resource="fund",
    action="distribute",
    what=tr("distribute public revenue for this body"),
    audited_as="fund_entry",
    needs=" (a member of the compound's owners' committee or party branch, for that body)",
    model=Organisation,
    reads="organisation",
    noun=tr("owners' committee or party branch"),
    locate=_body_place,
)


def overdrawn(error: ledger.Overdrawn) -> BadUserInput:
    """The refusal of a movement larger than what its account holds: a stable reason, and
    how much it holds (in yuan)."""
    if error.kind is FundAccountKind.BRANCH_FUNDS:
        message = tr(
            "The branch's funds hold {balance} yuan; {amount} yuan cannot leave them.",
            balance=yuan(error.balance),
            amount=yuan(error.amount),
        )
    else:
        message = tr(
            "The compound's public revenue holds {balance} yuan; {amount} yuan cannot be "
            "paid out of it.",
            balance=yuan(error.balance),
            amount=yuan(error.amount),
        )
    return BadUserInput(message, reason=FUNDS_INSUFFICIENT, balanceYuan=yuan(error.balance))


def category_of(kind: FundEntryKind, category: FundCategory) -> FundCategory:
    allowed = CATEGORIES[kind]
    if category not in allowed:
        raise BadUserInput(
            tr(
                "A {kind} is one of {names}; not {category}.",
                kind=coded(kind, english=kind.value.lower()),
                names=coded(*(c for c in FundCategory if c in allowed)),
                category=coded(category),
            )
        )
    return category


def amount_of(amount: int) -> int:
    if not 0 < amount <= MAX_AMOUNT:
        raise BadUserInput(
            tr(
                "An amount is in fen (分): more than 0 and at most {most} ({yuan} yuan).",
                most=MAX_AMOUNT,
                yuan=yuan(MAX_AMOUNT),
            )
        )
    return amount


def day_of(day: date | None, today: date, what: Text) -> date:
    chosen = day or today
    if chosen > today:
        raise BadUserInput(
            tr("The {what} day cannot be ahead of today ({today}).", what=what, today=today)
        )
    if today - chosen > MAX_AGE:
        raise BadUserInput(
            tr("The {what} day may be at most {days} days back.", what=what, days=MAX_AGE.days)
        )
    return chosen


def memo_of(memo: str | None, what: Text | None = None) -> str:
    """A memo (optional), or with WHAT a required text of that name kept as the memo."""
    return clean_text(memo, what or tr("memo"), required=what is not None, limit=MEMO_LIMIT) or ""


async def _granted(
    session: AsyncSession, branch: Organisation, data: GrantFunds, year: int
) -> None:
    """Refuse a second start-up fund, or a second running fund for the year, unless the
    first was reversed (called with the branch's account locked, so grants queue)."""
    reversed_ = sa.select(col(FundEntry.reverses_id)).where(col(FundEntry.reverses_id).is_not(None))
    statement = sa.select(col(FundEntry.occurred_on)).where(
        col(FundEntry.ledger_id) == branch_place_id(branch),
        col(FundEntry.kind) == FundEntryKind.GRANT,
        col(FundEntry.category) == data.category,
        col(FundEntry.id).not_in(reversed_),
    )
    if data.category is FundCategory.RUNNING:
        statement = statement.where(col(FundEntry.year) == year)
    before = (await session.execute(statement.limit(1))).scalar_one_or_none()
    if before is None:
        return
    if data.category is FundCategory.START_UP:
        raise BadUserInput(
            tr("{name} was granted its start-up fund on {before}.", name=branch.name, before=before)
        )
    raise BadUserInput(
        tr(
            "{name} was granted its running fund for {year} on {before}.",
            name=branch.name,
            year=year,
            before=before,
        )
    )


# What an entry's audit record shows (each only when set).
FIELDS = (
    "ledger_id",
    "compound_id",
    "body_id",
    "kind",
    "category",
    "amount",
    "year",
    "occurred_on",
    "memo",
    "issue_id",
    "mobilisation_id",
    "reverses_id",
)


def record_entry(record: AuditRecord, entry: FundEntry, posted: ledger.Posted) -> None:
    record.made(entry.id)
    for name in FIELDS:
        value = getattr(entry, name)
        if value is not None and value != "":
            record.change(name, None, value)
    if entry.kind in (FundEntryKind.DISTRIBUTION, FundEntryKind.SPENDING, FundEntryKind.REVERSAL):
        record.change("balance", posted.source_before, posted.source_after)


async def grant_funds(ctx: RequestContext, data: GrantFunds) -> FundEntry:
    """The street grants a compound's party branch its start-up or a year's running fund."""

    async def apply(session: AsyncSession, branch: Organisation, record: AuditRecord) -> FundEntry:
        category = category_of(FundEntryKind.GRANT, data.category)
        amount = amount_of(DEFAULT_GRANTS[category] if data.amount is None else data.amount)
        granted_on = day_of(data.granted_on, ctx.today, tr("grant"))
        year = granted_on.year if data.year is None else data.year
        if category is FundCategory.START_UP and year != granted_on.year:
            raise BadUserInput(tr("A start-up fund is for the year it is granted in."))
        if not granted_on.year - 1 <= year <= granted_on.year + 1:
            raise BadUserInput(
                tr(
                    "A running fund granted on {granted_on} is for {last_year}, {this_year} or "
                    "{next_year}.",
                    granted_on=granted_on,
                    last_year=granted_on.year - 1,
                    this_year=granted_on.year,
                    next_year=granted_on.year + 1,
                )
            )
        # The branch's account first: grants to one branch queue, so the check below holds.
        ledger_id = branch_place_id(branch)
        await ledger.lock_account(
            session, await ledger.account_id(session, ledger_id, FundAccountKind.BRANCH_FUNDS)
        )
        await _granted(session, branch, data, year)
        entry = FundEntry(
            ledger_id=ledger_id,
            compound_id=branch.compound_id,
            body_id=branch.id or 0,
            kind=FundEntryKind.GRANT,
            category=category,
            amount=amount,
            year=year,
            occurred_on=granted_on,
            memo=memo_of(data.memo),
            created_by_id=ctx.actor.person_id,
        )
        posted = await ledger.post(session, entry)
        record_entry(record, entry, posted)
        return entry

    return await GRANT_FUNDS.under(ctx, data.branch_id, apply, data=data)


async def record_public_revenue(ctx: RequestContext, data: RecordPublicRevenue) -> FundEntry:
    """Public revenue (advertising, parking, venue rental) received into the compound's
    public account."""

    async def apply(session: AsyncSession, body: Organisation, record: AuditRecord) -> FundEntry:
        received_on = day_of(data.received_on, ctx.today, tr("received"))
        entry = FundEntry(
            ledger_id=body.compound_id or 0,
            compound_id=body.compound_id,
            body_id=body.id or 0,
            kind=FundEntryKind.REVENUE,
            category=category_of(FundEntryKind.REVENUE, data.category),
            amount=amount_of(data.amount),
            year=received_on.year,
            occurred_on=received_on,
            memo=memo_of(data.memo),
            created_by_id=ctx.actor.person_id,
        )
        posted = await ledger.post(session, entry)
        record_entry(record, entry, posted)
        return entry

    return await RECORD_PUBLIC_REVENUE.under(ctx, data.body_id, apply, data=data)


async def distribute_revenue(ctx: RequestContext, data: DistributeRevenue) -> FundEntry:
    """Public revenue paid out (owners' dividend, maintenance, community services); never more
    than the compound's public account holds."""

    async def apply(session: AsyncSession, body: Organisation, record: AuditRecord) -> FundEntry:
        paid_on = day_of(data.paid_on, ctx.today, tr("payment"))
        entry = FundEntry(
            ledger_id=body.compound_id or 0,
            compound_id=body.compound_id,
            body_id=body.id or 0,
            kind=FundEntryKind.DISTRIBUTION,
            category=category_of(FundEntryKind.DISTRIBUTION, data.category),
            amount=amount_of(data.amount),
            year=paid_on.year,
            occurred_on=paid_on,
            memo=memo_of(data.memo),
            created_by_id=ctx.actor.person_id,
        )
        try:
            posted = await ledger.post(session, entry)
        except ledger.Overdrawn as error:
            raise overdrawn(error) from None
        record_entry(record, entry, posted)
        return entry

    return await DISTRIBUTE_REVENUE.under(ctx, data.body_id, apply, data=data)
