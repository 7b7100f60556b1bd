"""GraphQL names and descriptions of the recognition enums."""

from __future__ import annotations

import strawberry

from db.models import CommendationKind

CommendationKindEnum = strawberry.enum(
    CommendationKind,
    name="CommendationKind",
    description="The honours of 兩優一先: EXCELLENT_PARTY_MEMBER (優秀共產黨員) and "
    "EXCELLENT_PARTY_WORKER (優秀黨務工作者) to a party member; ADVANCED_PARTY_ORGANISATION "
    "(先進基層黨組織) to a compound's party branch.",
)
