"""Per-request DataLoaders of mobilisations, their recipients, figures and your own answers."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Mobilisation, MobilisationRecipient
from resolvers.context import RequestContext
from resolvers.mobilisation import queries as mobilisation
from schema.common.dataloaders import by_id, cached


def mobilisation_row(ctx: RequestContext) -> DataLoader[int, Mobilisation | None]:
    return cached(
        ctx, "mobilisation", lambda: DataLoader(by_id(ctx, mobilisation.mobilisations_by_ids))
    )


def recipient(ctx: RequestContext) -> DataLoader[int, MobilisationRecipient | None]:
    return cached(
        ctx,
        "mobilisation_recipient",
        lambda: DataLoader(by_id(ctx, mobilisation.recipients_by_ids)),
    )


def figures(ctx: RequestContext) -> DataLoader[int, mobilisation.Figures]:
    """Each call's figures, two statements per page."""

    async def load(keys: Sequence[int]) -> list[mobilisation.Figures]:
        found = await mobilisation.figures_of(ctx, keys)
        return [found.get(key, mobilisation.Figures()) for key in keys]

    return cached(ctx, "mobilisation:figures", lambda: DataLoader(load))


def my_answer(ctx: RequestContext) -> DataLoader[int, MobilisationRecipient | None]:
    async def load(keys: Sequence[int]) -> list[MobilisationRecipient | None]:
        found = await mobilisation.my_rows(ctx, keys)
        return [found.get(key) for key in keys]

    return cached(ctx, "mobilisation:mine", lambda: DataLoader(load))
