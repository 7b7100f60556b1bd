"""The branch spends its funds (經費使用): what it paid for, how much and when, perhaps for one of
the issues of a compound it serves or a call to action (activity) it sent; one entry from
BRANCH_FUNDS to SPENT, never more than the branch holds, by a member of the branch itself
(a joint branch's for its grid)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FundCategory, FundEntry, FundEntryKind, Issue, Mobilisation, Organisation
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.funds import ledger
from resolvers.funds.actions import (
    amount_of,
    category_of,
    day_of,
    memo_of,
    overdrawn,
    record_entry,
)
from resolvers.i18n import coded, tr
from resolvers.mutations import CreateMutation, Place
from resolvers.organisations.branches import branch_place_id, compounds_served, is_branch


@dataclass(frozen=True)
class SpendBranchFunds:
    branch_id: int
    category: FundCategory
    amount: int  # fen
    purpose: str
    spent_on: date | None = None  # today when not given
    issue_id: int | None = None
    mobilisation_id: int | None = None


async def _branch_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    """The spending speaks for the branch (`member`: only its own people spend its money)."""
    if not is_branch(organisation):
        raise BadUserInput(
            tr(
                "Only a party branch spends branch funds; {name} is a {kind}.",
                name=organisation.name,
                kind=coded(organisation.kind),
            )
        )
    facts = RowFacts(paths=(organisation.path,), body_path=organisation.path)
    return Place(organisation.id, organisation.path, facts, organisation.compound_id)


SPEND_BRANCH_FUNDS = CreateMutation(
    operation="spendBranchFunds",
    resource="fund",
    action="spend",
    what=tr("spend this branch's funds"),
    audited_as="fund_entry",
    needs=" (a member of the party branch itself: its secretary, deputy or committee member)",
    model=Organisation,
    reads="organisation",
    noun=tr("party branch"),
    locate=_branch_place,
)


async def _for_what(session: AsyncSession, branch: Organisation, data: SpendBranchFunds) -> None:
    """An issue must lie in a compound the branch serves, a call must be the branch's own."""
    if data.issue_id is not None:
        issue = await session.get(Issue, data.issue_id)
        if issue is None or issue.compound_id not in await compounds_served(session, branch):
            raise BadUserInput(
                tr("That issue is not one of a compound {name} serves.", name=branch.name)
            )
    if data.mobilisation_id is not None:
        call = await session.get(Mobilisation, data.mobilisation_id)
        if call is None or call.sender_id != branch.id:
            raise BadUserInput(tr("That call to action was not sent by {name}.", name=branch.name))


async def spend_branch_funds(ctx: RequestContext, data: SpendBranchFunds) -> FundEntry:
    """The branch pays for something out of its funds; never more than they hold."""

    async def apply(session: AsyncSession, branch: Organisation, record: AuditRecord) -> FundEntry:
        spent_on = day_of(data.spent_on, ctx.today, tr("spending"))
        await _for_what(session, branch, data)
        entry = FundEntry(
            ledger_id=branch_place_id(branch),
            compound_id=branch.compound_id,
            body_id=branch.id or 0,
            kind=FundEntryKind.SPENDING,
            category=category_of(FundEntryKind.SPENDING, data.category),
            amount=amount_of(data.amount),
            year=spent_on.year,
            occurred_on=spent_on,
            memo=memo_of(data.purpose, tr("purpose")),
            issue_id=data.issue_id,
            mobilisation_id=data.mobilisation_id,
            created_by_id=ctx.actor.person_id,
        )
        try:
            posted = await ledger.post(session, entry)
        except ledger.Overdrawn as error:
            raise overdrawn(error) from None
        record_entry(record, entry, posted)
        return entry

    return await SPEND_BRANCH_FUNDS.under(ctx, data.branch_id, apply, data=data)
