"""Mutations of funds (經費與公共收益); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.funds import actions, reversals, spending, statements
from resolvers.funds.actions import DISTRIBUTE_REVENUE, GRANT_FUNDS, RECORD_PUBLIC_REVENUE
from resolvers.funds.reversals import REVERSE_FUND_ENTRY
from resolvers.funds.spending import SPEND_BRANCH_FUNDS
from resolvers.funds.statements import PUBLISH_FUND_STATEMENT
from schema.context import Info
from schema.disclosure.types import NoticeType
from schema.funds.inputs import (
    DistributeRevenueInput,
    GrantFundsInput,
    PublishFundStatementInput,
    RecordPublicRevenueInput,
    ReverseFundEntryInput,
    SpendBranchFundsInput,
)
from schema.funds.types import FundEntryType
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type(description="Funds.")
class FundMutation:
    @declared(
        GRANT_FUNDS,
        "Grant a party branch (a compound's, or a grid's joint branch) its start-up fund "
        "(once) or a year's running fund (once a year), posted from STREET_GRANTS to "
        "BRANCH_FUNDS.",
    )
    async def grant_funds(
        self,
        info: Info,
        input: Annotated[GrantFundsInput, strawberry.argument(description=INPUT)],
    ) -> FundEntryType:
        data = await decode_input(info, GRANT_FUNDS, input, input.to_domain)
        return FundEntryType.from_row(await actions.grant_funds(info.context, data))

    @declared(
        RECORD_PUBLIC_REVENUE,
        "Record public revenue the compound received, posted from REVENUE_SOURCES to "
        "PUBLIC_REVENUE.",
    )
    async def record_public_revenue(
        self,
        info: Info,
        input: Annotated[RecordPublicRevenueInput, strawberry.argument(description=INPUT)],
    ) -> FundEntryType:
        data = await decode_input(info, RECORD_PUBLIC_REVENUE, input, input.to_domain)
        return FundEntryType.from_row(await actions.record_public_revenue(info.context, data))

    @declared(
        DISTRIBUTE_REVENUE,
        "Pay out public revenue, posted from PUBLIC_REVENUE to DISTRIBUTED; refused "
        "(BAD_USER_INPUT) when it holds less.",
    )
    async def distribute_revenue(
        self,
        info: Info,
        input: Annotated[DistributeRevenueInput, strawberry.argument(description=INPUT)],
    ) -> FundEntryType:
        data = await decode_input(info, DISTRIBUTE_REVENUE, input, input.to_domain)
        return FundEntryType.from_row(await actions.distribute_revenue(info.context, data))

    @declared(
        SPEND_BRANCH_FUNDS,
        "Record what the party branch paid for out of its funds, posted from BRANCH_FUNDS to "
        "SPENT; refused (BAD_USER_INPUT, extensions.reason FUNDS_INSUFFICIENT) when they hold "
        "less.",
    )
    async def spend_branch_funds(
        self,
        info: Info,
        input: Annotated[SpendBranchFundsInput, strawberry.argument(description=INPUT)],
    ) -> FundEntryType:
        data = await decode_input(info, SPEND_BRANCH_FUNDS, input, input.to_domain)
        return FundEntryType.from_row(await spending.spend_branch_funds(info.context, data))

    @declared(
        REVERSE_FUND_ENTRY,
        "Reverse a wrong entry with a reason: a REVERSAL entry naming it moves its amount back "
        "(entries are never edited or deleted). Refused (BAD_USER_INPUT) with extensions.reason "
        "ALREADY_REVERSED for an entry reversed before, REVERSAL_NOT_REVERSIBLE for a reversal, "
        "FUNDS_INSUFFICIENT when the money has left the account since.",
    )
    async def reverse_fund_entry(
        self,
        info: Info,
        input: Annotated[ReverseFundEntryInput, strawberry.argument(description=INPUT)],
    ) -> FundEntryType:
        data = await decode_input(info, REVERSE_FUND_ENTRY, input, input.to_domain)
        return FundEntryType.from_row(await reversals.reverse_fund_entry(info.context, data))

    @declared(
        PUBLISH_FUND_STATEMENT,
        "Publish the compound's fund statement for a year (opening balances, grants and the "
        "branch's spending, revenue by source, distribution by purpose, closing balances, in "
        "yuan) as a FINANCES notice shown to its residents from today.",
    )
    async def publish_fund_statement(
        self,
        info: Info,
        input: Annotated[PublishFundStatementInput, strawberry.argument(description=INPUT)],
    ) -> NoticeType:
        data = await decode_input(info, PUBLISH_FUND_STATEMENT, input, input.to_domain)
        return NoticeType.from_row(await statements.publish_fund_statement(info.context, data))
