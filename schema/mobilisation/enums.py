"""GraphQL names and descriptions of the mobilisation enums."""

from __future__ import annotations

import strawberry

from db.models import (
    MobilisationGroup,
    MobilisationOutcome,
    MobilisationStatus,
    MobilisationUrgency,
)

MobilisationUrgencyEnum = strawberry.enum(
    MobilisationUrgency,
    name="MobilisationUrgency",
    description="How soon a call needs its answers: ROUTINE (常規, within days; 7 days when "
    "respondBy is not given), URGENT (緊急, within hours; 24 hours), EMERGENCY (應急, at once; "
    "2 hours).",
)
MobilisationStatusEnum = strawberry.enum(
    MobilisationStatus,
    name="MobilisationStatus",
    description="OPEN: takes acknowledgements and reports until its deadline (respondBy). "
    "CLOSED: closed by its sender, or at its deadline by `jinlin worker`; the figures stand as "
    "they were.",
)
MobilisationGroupEnum = strawberry.enum(
    MobilisationGroup,
    name="MobilisationGroup",
    description="Whom a call calls on. PARTY_MEMBER: party members living in the subtree or "
    "holding a position there. SERVICE_POST_HOLDER: in-service members with an active claim "
    "on a service post there (在職黨員). VOLUNTEER: members of a volunteer team there and "
    "volunteers whose service there was confirmed in the last year. A person in several "
    "groups is called on once, under the first in this order.",
)
MobilisationOutcomeEnum = strawberry.enum(
    MobilisationOutcome,
    name="MobilisationOutcome",
    description="What a person called on reports: DONE, PARTLY_DONE, UNABLE.",
)
