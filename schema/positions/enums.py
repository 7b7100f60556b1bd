"""GraphQL names and descriptions of the position enums."""

from __future__ import annotations

import strawberry

from db.models import PositionTitle
from resolvers.positions.queries import PositionOrder

PositionTitleEnum = strawberry.enum(
    PositionTitle,
    name="PositionTitle",
    description="The title of a position; each fits some kinds of organisation only.",
)


PositionOrderEnum = strawberry.enum(
    PositionOrder,
    name="PositionOrder",
    description="APPOINTED (in order of appointment, the oldest record first), "
    "TERM_START_NEWEST (the latest term start first), TERM_START_OLDEST (the earliest "
    "first) or PERSON_NAME (by the holder's name, A to Z as people's NAME order sorts); "
    "positions starting the same day, or held by people of one name, by appointment (the "
    "later first when newest).",
)
