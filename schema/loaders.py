"""Per-request DataLoaders: related objects cost one statement per type per level, not per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from db.models import (
    Issue,
    IssueEvent,
    JointMeeting,
    JointMeetingItem,
    LedgerEntry,
    LedgerLine,
    Organisation,
    OrganisationLink,
    Person,
    PointsAccount,
    Position,
    Reward,
    Station,
    StationDuty,
    StationFunction,
    VolunteerService,
)
from resolvers import (
    issues,
    meetings,
    organisations,
    people,
    positions,
    rewards,
    station_duties,
    stations,
    volunteer_services,
)
from resolvers import points as love_bank
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext

K = TypeVar("K")
V = TypeVar("V")


def _cached(
    ctx: RequestContext, name: str, make: Callable[[], DataLoader[Any, Any]]
) -> DataLoader[Any, Any]:
    loader = ctx.caches.get(name)
    if loader is None:
        loader = make()
        ctx.caches[name] = loader
    return loader


def _by_id(
    ctx: RequestContext, fetch: Callable[[RequestContext, list[int]], Awaitable[dict[int, V]]]
) -> Callable[[Sequence[int]], Awaitable[list[V | None]]]:
    async def load(keys: Sequence[int]) -> list[V | None]:
        found = await fetch(ctx, list(keys))
        return [found.get(key) for key in keys]

    return load


def organisation(ctx: RequestContext) -> DataLoader[int, Organisation | None]:
    return _cached(ctx, "organisation", lambda: DataLoader(_by_id(ctx, organisations.by_ids)))


def person(ctx: RequestContext) -> DataLoader[int, Person | None]:
    return _cached(ctx, "person", lambda: DataLoader(_by_id(ctx, people.by_ids)))


def position(ctx: RequestContext) -> DataLoader[int, Position | None]:
    return _cached(ctx, "position", lambda: DataLoader(_by_id(ctx, positions.by_ids)))


async def _links(ctx: RequestContext, ids: list[int]) -> dict[int, OrganisationLink]:
    return await visible_by_ids(ctx, OrganisationLink, "link", ids)


def link(ctx: RequestContext) -> DataLoader[int, OrganisationLink | None]:
    return _cached(ctx, "link", lambda: DataLoader(_by_id(ctx, _links)))


def sensitive(ctx: RequestContext, action: str) -> DataLoader[int, bool]:
    """Whether the caller may read a sensitive person field, batched per page in one query."""

    async def load(keys: Sequence[int]) -> list[bool]:
        allowed = await people.ids_allowed(ctx, action, list(keys))
        return [key in allowed for key in keys]

    return _cached(ctx, f"person:{action}", lambda: DataLoader(load))


def cross_appointed(ctx: RequestContext) -> DataLoader[int, bool]:
    async def load(keys: Sequence[int]) -> list[bool]:
        found = await positions.cross_appointed_ids(ctx, list(keys))
        return [key in found for key in keys]

    return _cached(ctx, "cross_appointed", lambda: DataLoader(load))


def issue(ctx: RequestContext) -> DataLoader[int, Issue | None]:
    return _cached(ctx, "issue", lambda: DataLoader(_by_id(ctx, issues.by_ids)))


def meeting(ctx: RequestContext) -> DataLoader[int, JointMeeting | None]:
    return _cached(ctx, "meeting", lambda: DataLoader(_by_id(ctx, meetings.by_ids)))


def reporter_visible(ctx: RequestContext) -> DataLoader[int, bool]:
    """Whether the caller may know who reported an issue, batched in one query per page."""

    async def load(keys: Sequence[int]) -> list[bool]:
        allowed = await issues.reporter_visible_ids(ctx, keys)
        return [key in allowed for key in keys]

    return _cached(ctx, "issue:read_reporter", lambda: DataLoader(load))


def last_event(ctx: RequestContext) -> DataLoader[int, IssueEvent | None]:
    async def load(keys: Sequence[int]) -> list[IssueEvent | None]:
        found = await issues.last_events(ctx, keys)
        return [found.get(key) for key in keys]

    return _cached(ctx, "issue:last_event", lambda: DataLoader(load))


def meeting_participants(ctx: RequestContext) -> DataLoader[int, list[int]]:
    async def load(keys: Sequence[int]) -> list[list[int]]:
        found = await meetings.participants(ctx, keys)
        return [found.get(key, []) for key in keys]

    return _cached(ctx, "meeting:participants", lambda: DataLoader(load))


def meeting_agenda(ctx: RequestContext) -> DataLoader[int, list[JointMeetingItem]]:
    async def load(keys: Sequence[int]) -> list[list[JointMeetingItem]]:
        found = await meetings.agenda(ctx, keys)
        return [found.get(key, []) for key in keys]

    return _cached(ctx, "meeting:agenda", lambda: DataLoader(load))


def issue_event(ctx: RequestContext) -> DataLoader[int, IssueEvent | None]:
    return _cached(ctx, "issue_event", lambda: DataLoader(_by_id(ctx, issues.events_by_ids)))


# --- stations and the love bank -------------------------------------------------------------


def _many(
    ctx: RequestContext,
    fetch: Callable[[RequestContext, Sequence[int]], Awaitable[dict[int, list[V]]]],
) -> Callable[[Sequence[int]], Awaitable[list[list[V]]]]:
    async def load(keys: Sequence[int]) -> list[list[V]]:
        found = await fetch(ctx, list(keys))
        return [found.get(key, []) for key in keys]

    return load


def station(ctx: RequestContext) -> DataLoader[int, Station | None]:
    return _cached(ctx, "station", lambda: DataLoader(_by_id(ctx, stations.by_ids)))


def station_functions(ctx: RequestContext) -> DataLoader[int, list[StationFunction]]:
    return _cached(ctx, "station:functions", lambda: DataLoader(_many(ctx, stations.functions_of)))


def station_duty(ctx: RequestContext) -> DataLoader[int, StationDuty | None]:
    return _cached(ctx, "station_duty", lambda: DataLoader(_by_id(ctx, station_duties.by_ids)))


def station_roster(
    ctx: RequestContext, start: date, end: date
) -> DataLoader[int, list[station_duties.Shift]]:
    """Each station's shifts from START to END: one statement for a page of stations."""

    async def fetch(
        ctx: RequestContext, ids: Sequence[int]
    ) -> dict[int, list[station_duties.Shift]]:
        return await station_duties.rosters(ctx, ids, start, end)

    return _cached(ctx, f"station:roster:{start}:{end}", lambda: DataLoader(_many(ctx, fetch)))


def reward(ctx: RequestContext) -> DataLoader[int, Reward | None]:
    return _cached(ctx, "reward", lambda: DataLoader(_by_id(ctx, rewards.by_ids)))


def volunteer_service(ctx: RequestContext) -> DataLoader[int, VolunteerService | None]:
    return _cached(
        ctx, "volunteer_service", lambda: DataLoader(_by_id(ctx, volunteer_services.by_ids))
    )


def service_entry(ctx: RequestContext) -> DataLoader[int, LedgerEntry | None]:
    """The earning entry of each service (by service id), if the caller may read it."""
    return _cached(
        ctx,
        "volunteer_service:entry",
        lambda: DataLoader(_by_id(ctx, love_bank.entries_of_services)),
    )


def ledger_entry(ctx: RequestContext) -> DataLoader[int, LedgerEntry | None]:
    return _cached(ctx, "ledger_entry", lambda: DataLoader(_by_id(ctx, love_bank.entries_by_ids)))


def movement_entry(ctx: RequestContext) -> DataLoader[int, LedgerEntry | None]:
    """The entry of a passbook line the caller was shown (see points.entries_of_movements)."""
    return _cached(
        ctx,
        "ledger_entry:movement",
        lambda: DataLoader(_by_id(ctx, love_bank.entries_of_movements)),
    )


def ledger_lines(ctx: RequestContext) -> DataLoader[int, list[LedgerLine]]:
    return _cached(ctx, "ledger_entry:lines", lambda: DataLoader(_many(ctx, love_bank.lines_of)))


def points_account(ctx: RequestContext) -> DataLoader[int, PointsAccount | None]:
    return _cached(
        ctx, "points_account", lambda: DataLoader(_by_id(ctx, love_bank.accounts_by_ids))
    )


def points_balance(ctx: RequestContext) -> DataLoader[int, int | None]:
    """Each person's points balance, or None where the caller may not see it: one query."""
    return _cached(ctx, "points:balance", lambda: DataLoader(_by_id(ctx, love_bank.balances)))
