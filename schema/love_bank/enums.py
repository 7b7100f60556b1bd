"""GraphQL enums of the love bank."""

from __future__ import annotations

import strawberry

from db.models import AccountKind, LedgerEntryKind, ServiceStatus

ServiceStatusEnum = strawberry.enum(
    ServiceStatus,
    name="VolunteerServiceStatus",
    description="PENDING: recorded, waiting for the volunteer to confirm, no points yet. "
    "CONFIRMED: the volunteer confirmed it and its points were posted to the ledger.",
)
AccountKindEnum = strawberry.enum(
    AccountKind,
    name="PointsAccountKind",
    description="An account of the love-bank ledger: a compound's ISSUANCE account (points "
    "issued for service leave it), a PERSON's points account, a station's REDEMPTION account "
    "(points spent on its rewards go to it).",
)
LedgerEntryKindEnum = strawberry.enum(
    LedgerEntryKind,
    name="LedgerEntryKind",
    description="EARN: points issued for confirmed volunteer service. REDEEM: points spent on "
    "a reward at a station.",
)
