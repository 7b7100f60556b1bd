"""GraphQL names and descriptions of the fund enums."""

from __future__ import annotations

import strawberry

from db.models import FundAccountKind, FundCategory, FundEntryKind

FundAccountKindEnum = strawberry.enum(
    FundAccountKind,
    name="FundAccountKind",
    description="An account of a compound's fund ledger. STREET_GRANTS: what the street has "
    "granted the branch (negative: money leaves it). BRANCH_FUNDS: the party branch's funds "
    "(never below zero). REVENUE_SOURCES: public revenue earned (negative). PUBLIC_REVENUE: "
    "public revenue held, not yet distributed (never below zero). DISTRIBUTED: public "
    "revenue paid out. SPENT: the branch's funds spent.",
)
FundEntryKindEnum = strawberry.enum(
    FundEntryKind,
    name="FundEntryKind",
    description="GRANT: the street grants the party branch funds (STREET_GRANTS to "
    "BRANCH_FUNDS). REVENUE: public revenue received (REVENUE_SOURCES to PUBLIC_REVENUE). "
    "DISTRIBUTION: public revenue paid out (PUBLIC_REVENUE to DISTRIBUTED). SPENDING: the "
    "branch spends its funds (BRANCH_FUNDS to SPENT). REVERSAL: a wrong entry reversed, its "
    "amount moved back between the same accounts (the entry names it in `reverses`).",
)
FundCategoryEnum = strawberry.enum(
    FundCategory,
    name="FundCategory",
    description="What the money is. Grants: START_UP (啟動經費, once for a new branch), RUNNING "
    "(運轉經費, once a year). Revenue: ADVERTISING (廣告), PARKING (停車), VENUE_RENTAL (場所"
    "租賃), OTHER_REVENUE. Distribution: OWNER_DIVIDEND (業主分紅), MAINTENANCE (維修), "
    "COMMUNITY_SERVICES (公益服務), OTHER_USE. The branch's spending: PARTY_ACTIVITIES (黨組織"
    "活動), RESIDENT_SERVICES (為民服務), SUPPLIES (辦公及活動用品), OTHER_SPENDING. A reversal "
    "keeps the category of the entry it reverses.",
)
