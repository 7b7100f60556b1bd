"""Per-request DataLoaders of mentoring pairs and commendations."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import Commendation, MentorPair
from resolvers.context import RequestContext
from resolvers.recognition import queries as recognition
from schema.common.dataloaders import by_id, cached


def mentor_pair(ctx: RequestContext) -> DataLoader[int, MentorPair | None]:
    return cached(ctx, "mentor_pair", lambda: DataLoader(by_id(ctx, recognition.pairs_by_ids)))


def commendation(ctx: RequestContext) -> DataLoader[int, Commendation | None]:
    return cached(
        ctx, "commendation", lambda: DataLoader(by_id(ctx, recognition.commendations_by_ids))
    )
