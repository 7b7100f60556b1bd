"""A fund statement (經費及公共收益公開): a year's accounts of a compound's funds, written from
its ledger and published to its residents as a FINANCES notice of the branch or the owners'
committee (public disclosure, resolvers/disclosure), where residents read it, mark it read and
ask about it like any notice. A joint branch (聯合黨支部) publishes its statement to one compound
it serves at a time: its own ledger's grants and spending (at the grid, shared by the compounds
it serves, and labelled so) and that compound's public revenue.

Publishing is notice:publish by a member of the publishing body; the figures are read in the
same transaction, so the statement is exactly the ledger as it stood when published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import FundCategory, FundEntry, FundEntryKind, Notice, NoticeKind, Organisation
from db.models import FundCategory as C
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.disclosure.actions import MAX_PERIOD
from resolvers.errors import BadUserInput
from resolvers.funds.money import yuan
from resolvers.i18n import coded, tr
from resolvers.mutations import CreateMutation, Place
from resolvers.organisations.bodies import body_place, compound_for, serving_body
from resolvers.organisations.branches import branch_place_id, is_joint

LABELS: dict[FundCategory, str] = {
    C.START_UP: "啟動經費",
    C.RUNNING: "運轉經費",
    C.ADVERTISING: "廣告收益",
    C.PARKING: "停車收益",
    C.VENUE_RENTAL: "場所租賃收益",
    C.OTHER_REVENUE: "其他收益",
    C.OWNER_DIVIDEND: "業主分紅",
    C.MAINTENANCE: "維修支出",
    C.COMMUNITY_SERVICES: "公益服務支出",
    C.OTHER_USE: "其他支出",
    C.PARTY_ACTIVITIES: "黨組織活動",
    C.RESIDENT_SERVICES: "為民服務",
    C.SUPPLIES: "辦公及活動用品",
    C.OTHER_SPENDING: "其他支出",
}
GRANTS = (C.START_UP, C.RUNNING)
REVENUE = (C.ADVERTISING, C.PARKING, C.VENUE_RENTAL, C.OTHER_REVENUE)
USES = (C.OWNER_DIVIDEND, C.MAINTENANCE, C.COMMUNITY_SERVICES, C.OTHER_USE)
SPENDING = (C.PARTY_ACTIVITIES, C.RESIDENT_SERVICES, C.SUPPLIES, C.OTHER_SPENDING)


@dataclass(frozen=True)
class PublishFundStatement:
    publisher_id: int
    year: int | None = None  # this year when not given
    published_until: date | None = None  # the first day it is no longer shown
    # The compound it is published to: a joint branch's must name one it serves.
    compound_id: int | None = None


@dataclass(frozen=True)
class Figures:
    """Fen per category, net of reversals: moved before the year began, and within it up to
    the statement day."""

    before: dict[FundCategory, int]
    during: dict[FundCategory, int]

    def opening_branch(self) -> int:
        return sum(self.before.get(c, 0) for c in GRANTS) - sum(
            self.before.get(c, 0) for c in SPENDING
        )

    def opening_public(self) -> int:
        return sum(self.before.get(c, 0) for c in REVENUE) - sum(
            self.before.get(c, 0) for c in USES
        )

    def closing_branch(self) -> int:
        return (
            self.opening_branch()
            + sum(self.during.get(c, 0) for c in GRANTS)
            - sum(self.during.get(c, 0) for c in SPENDING)
        )

    def closing_public(self) -> int:
        return (
            self.opening_public()
            + sum(self.during.get(c, 0) for c in REVENUE)
            - sum(self.during.get(c, 0) for c in USES)
        )


async def _publisher_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    body = serving_body(
        organisation,
        lambda other: tr(
            "A fund statement is published by a compound's party branch or owners' "
            "committee; {name} is a {kind}.",
            name=other.name,
            kind=coded(other.kind),
        ),
    )
    return body_place(body)


PUBLISH_FUND_STATEMENT = CreateMutation(
    operation="publishFundStatement",
    resource="notice",
    action="publish",
    what=tr("publish notices for this body"),
    audited_as="notice",
    needs=" (a member of the publishing party branch or owners' committee)",
    model=Organisation,
    reads="organisation",
    noun=tr("party branch or owners' committee"),
    locate=_publisher_place,
)


async def figures(session: AsyncSession, compound_id: int, year: int, last: date) -> Figures:
    """The compound's money per category before YEAR and from its start to LAST; a reversal
    counts against its category on its own day."""
    # Flagged in a subquery: PostgreSQL would not match a CASE with a bound date in the
    # SELECT to the same CASE in the GROUP BY (two parameters).
    moved = (
        sa.select(
            col(FundEntry.category).label("category"),
            sa.case(
                (col(FundEntry.kind) == FundEntryKind.REVERSAL, -col(FundEntry.amount)),
                else_=col(FundEntry.amount),
            ).label("amount"),
            (col(FundEntry.occurred_on) < date(year, 1, 1)).label("earlier"),
        )
        .where(col(FundEntry.ledger_id) == compound_id, col(FundEntry.occurred_on) <= last)
        .subquery()
    )
    rows = await session.execute(
        sa.select(moved.c.category, moved.c.earlier, sa.func.sum(moved.c.amount)).group_by(
            moved.c.category, moved.c.earlier
        )
    )
    found: Figures = Figures({}, {})
    for category, earlier, amount in rows.all():
        target = found.before if earlier else found.during
        target[FundCategory(category)] = int(amount)
    return found


async def joint_figures(
    session: AsyncSession, branch: Organisation, compound_id: int, year: int, last: date
) -> Figures:
    """A joint branch's statement to a compound it serves: the branch's funds from its ledger
    at the grid (the same figures for every compound it serves), the compound's public
    revenue from the compound's own."""
    shared = await figures(session, branch_place_id(branch), year, last)
    own = await figures(session, compound_id, year, last)
    branch_kinds, public_kinds = set(GRANTS + SPENDING), set(REVENUE + USES)

    def merged(
        of_branch: dict[FundCategory, int], of_compound: dict[FundCategory, int]
    ) -> dict[FundCategory, int]:
        return {c: v for c, v in of_branch.items() if c in branch_kinds} | {
            c: v for c, v in of_compound.items() if c in public_kinds
        }

    return Figures(merged(shared.before, own.before), merged(shared.during, own.during))


def statement_text(
    body: str, compound: str, year: int, last: date, numbers: Figures, *, joint: bool = False
) -> str:
    """The statement as residents read it, in yuan; a joint branch's funds are labelled as
    shared by the compounds it serves."""

    def line(category: FundCategory) -> str:
        return f"  {LABELS[category]}：{yuan(numbers.during.get(category, 0))}"

    return "\n".join(
        [
            f"{body}公開{compound}{year}年度經費及公共收益（截至{last}，單位：元）。",
            "一、聯合黨支部經費（街道撥付，所服務各小區共用）"
            if joint
            else "一、黨支部經費（街道撥付）",
            f"  年初結餘：{yuan(numbers.opening_branch())}",
            *(line(c) for c in GRANTS),
            "  使用：",
            *(line(c) for c in SPENDING),
            f"  結餘：{yuan(numbers.closing_branch())}",
            "二、小區公共收益",
            f"  年初結餘：{yuan(numbers.opening_public())}",
            *(line(c) for c in REVENUE),
            "  分配及使用：",
            *(line(c) for c in USES),
            f"  結餘：{yuan(numbers.closing_public())}",
            "如有疑問，請在本公示下提問，我們將公開答復。",
        ]
    )


def _year_and_until(data: PublishFundStatement, today: date) -> tuple[int, date, date | None]:
    year = today.year if data.year is None else data.year
    if not 2000 <= year <= today.year:
        raise BadUserInput(
            tr("A fund statement covers a year from 2000 to {year}.", year=today.year)
        )
    last = min(today, date(year, 12, 31))
    until = data.published_until
    if until is not None and until <= today:
        raise BadUserInput(
            tr(
                "publishedUntil is the first day the statement is no longer shown: after {today}.",
                today=today,
            )
        )
    if until is not None and until - today > MAX_PERIOD:
        raise BadUserInput(
            tr("A publication period may run at most {days} days.", days=MAX_PERIOD.days)
        )
    return year, last, until


async def publish_fund_statement(ctx: RequestContext, data: PublishFundStatement) -> Notice:
    """Publish the compound's fund statement for a year as a FINANCES notice, from today."""

    async def apply(session: AsyncSession, body: Organisation, record: AuditRecord) -> Notice:
        year, last, until = _year_and_until(data, ctx.today)
        compound_id = await compound_for(session, body, data.compound_id, record)
        compound = await session.get(Organisation, compound_id)
        assert compound is not None  # a body's compound is a foreign key
        joint = is_joint(body)
        if joint:
            numbers = await joint_figures(session, body, compound_id, year, last)
        else:
            numbers = await figures(session, compound_id, year, last)
        notice = Notice(
            compound_id=compound_id,
            publisher_id=body.id or 0,
            kind=NoticeKind.FINANCES,
            title=f"{compound.name}{year}年度經費及公共收益公開"[:200],
            body=statement_text(body.name, compound.name, year, last, numbers, joint=joint),
            published_from=ctx.today,
            published_until=until,
            published_by_id=ctx.actor.person_id,
        )
        session.add(notice)
        await session.flush()
        record.made(notice.id)
        for name in ("compound_id", "publisher_id", "kind", "title"):
            record.change(name, None, getattr(notice, name))
        record.change("published_from", None, notice.published_from)
        record.change("published_until", None, until)
        record.change("year", None, year)
        return notice

    return await PUBLISH_FUND_STATEMENT.under(ctx, data.publisher_id, apply, data=data)
