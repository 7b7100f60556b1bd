"""GraphQL names and descriptions of the position enums."""

from __future__ import annotations

import strawberry

from db.models import PositionTitle

PositionTitleEnum = strawberry.enum(
    PositionTitle,
    name="PositionTitle",
    description="The title of a position; each fits some kinds of organisation only.",
)
