"""Per-request DataLoaders of notices, their questions, read counts and askers' visibility."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Notice, NoticeQuestion
from resolvers.context import RequestContext
from resolvers.disclosure import queries as disclosure
from schema.common.dataloaders import by_id, cached


def notice(ctx: RequestContext) -> DataLoader[int, Notice | None]:
    return cached(ctx, "notice", lambda: DataLoader(by_id(ctx, disclosure.notices_by_ids)))


def notice_question(ctx: RequestContext) -> DataLoader[int, NoticeQuestion | None]:
    return cached(
        ctx, "notice_question", lambda: DataLoader(by_id(ctx, disclosure.questions_by_ids))
    )


def read_count(ctx: RequestContext) -> DataLoader[int, int]:
    """How many people read each notice, one statement per page."""

    async def load(keys: Sequence[int]) -> list[int]:
        found = await disclosure.read_counts(ctx, keys)
        return [found.get(key, 0) for key in keys]

    return cached(ctx, "notice:read_count", lambda: DataLoader(load))


def read_by_me(ctx: RequestContext) -> DataLoader[int, bool]:
    async def load(keys: Sequence[int]) -> list[bool]:
        found = await disclosure.read_by_me(ctx, keys)
        return [key in found for key in keys]

    return cached(ctx, "notice:read_by_me", lambda: DataLoader(load))


def asker_visible(ctx: RequestContext) -> DataLoader[int, bool]:
    """Whether the caller may know who asked a question, one statement per page."""

    async def load(keys: Sequence[int]) -> list[bool]:
        found = await disclosure.asker_visible_ids(ctx, keys)
        return [key in found for key in keys]

    return cached(ctx, "notice_question:read_asker", lambda: DataLoader(load))
