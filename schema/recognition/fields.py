"""The recognition lists other types show (a person's commendations and mentors, a branch's
commendations): one definition each, the parent choosing the filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers.pagination import Window
from resolvers.recognition import queries as recognition
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info

if TYPE_CHECKING:
    from schema.recognition.types import CommendationType, MentorPairType

PairRef = Annotated["MentorPairType", strawberry.lazy("schema.recognition.types")]
CommendationRef = Annotated["CommendationType", strawberry.lazy("schema.recognition.types")]


def commendations_field(
    wanted: Callable[[Any], recognition.CommendationFilter], description: str
) -> Any:
    """A field listing the commendations WANTED (of the parent) picks, newest first."""

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[CommendationRef]:
        from schema.recognition.types import CommendationType

        page = await recognition.list_commendations(
            info.context, wanted(root), Window(first, after, last, before)
        )
        return to_connection(page, CommendationType.from_row)

    return strawberry.field(resolver=resolve, description=description)


def mentor_pairs_field(wanted: Callable[[Any], recognition.PairFilter], description: str) -> Any:
    """A field listing the mentoring pairs WANTED (of the parent) picks, newest first."""

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PairRef]:
        from schema.recognition.types import MentorPairType

        page = await recognition.list_pairs(
            info.context, wanted(root), Window(first, after, last, before)
        )
        return to_connection(page, MentorPairType.from_row)

    return strawberry.field(resolver=resolve, description=description)
