"""Per-request DataLoaders: related objects cost one statement per type per level, not per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from db.models import (
    ApiToken,
    AuditEntry,
    CoBuildingNeed,
    CoBuildingProject,
    Evaluation,
    EvaluationCriterion,
    FirmStanding,
    Issue,
    IssueEvent,
    JointMeeting,
    JointMeetingItem,
    LedgerEntry,
    LedgerLine,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    Person,
    PointsAccount,
    Position,
    PostClaim,
    PostFulfilment,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    StationDuty,
    StationFunction,
    VolunteerService,
)
from resolvers.audit import queries as audit
from resolvers.co_building import queries as co_building
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext
from resolvers.evaluations import queries as evaluations
from resolvers.evaluations import standing
from resolvers.issues import meetings
from resolvers.issues import queries as issues
from resolvers.love_bank import points as love_bank
from resolvers.love_bank import rewards
from resolvers.love_bank import services as volunteer_services
from resolvers.organisations import operations as organisations
from resolvers.people import operations as people
from resolvers.positions import operations as positions
from resolvers.service_posts import queries as service_posts
from resolvers.stations import duties as station_duties
from resolvers.stations import operations as stations
from resolvers.tokens import partner as partner_tokens

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


def token(ctx: RequestContext) -> DataLoader[int, ApiToken | None]:
    return _cached(ctx, "token", lambda: DataLoader(_by_id(ctx, partner_tokens.by_ids)))


def token_organisation_ids(ctx: RequestContext) -> DataLoader[int, list[int]]:
    """The organisations each token names, for a page of tokens in one statement."""

    async def load(keys: Sequence[int]) -> list[list[int]]:
        found = await partner_tokens.organisation_ids_of(ctx, keys)
        return [found.get(key, []) for key in keys]

    return _cached(ctx, "token:organisations", lambda: DataLoader(load))


def audit_entry(ctx: RequestContext) -> DataLoader[int, AuditEntry | None]:
    return _cached(ctx, "audit", lambda: DataLoader(_by_id(ctx, audit.by_seqs)))


# --- Service posts (服務崗位) and co-building lists (共建清單) -------------------------------


def service_registration(ctx: RequestContext) -> DataLoader[int, ServiceRegistration | None]:
    return _cached(
        ctx,
        "service_registration",
        lambda: DataLoader(_by_id(ctx, service_posts.registrations_by_ids)),
    )


def service_post(ctx: RequestContext) -> DataLoader[int, ServicePost | None]:
    return _cached(ctx, "service_post", lambda: DataLoader(_by_id(ctx, service_posts.posts_by_ids)))


def post_claim(ctx: RequestContext) -> DataLoader[int, PostClaim | None]:
    return _cached(ctx, "post_claim", lambda: DataLoader(_by_id(ctx, service_posts.claims_by_ids)))


def co_building_need(ctx: RequestContext) -> DataLoader[int, CoBuildingNeed | None]:
    return _cached(ctx, "need", lambda: DataLoader(_by_id(ctx, co_building.needs_by_ids)))


def co_building_project(ctx: RequestContext) -> DataLoader[int, CoBuildingProject | None]:
    return _cached(ctx, "project", lambda: DataLoader(_by_id(ctx, co_building.projects_by_ids)))


def person_registration(ctx: RequestContext) -> DataLoader[int, ServiceRegistration | None]:
    """A person's active service registration, by person id."""
    return _cached(
        ctx,
        "person:service_registration",
        lambda: DataLoader(_by_id(ctx, service_posts.active_registrations)),
    )


def _lists(
    ctx: RequestContext,
    fetch: Callable[[RequestContext, Sequence[int]], Awaitable[dict[int, list[V]]]],
) -> Callable[[Sequence[int]], Awaitable[list[list[V]]]]:
    async def load(keys: Sequence[int]) -> list[list[V]]:
        found = await fetch(ctx, keys)
        return [found.get(key, []) for key in keys]

    return load


def post_claims(ctx: RequestContext) -> DataLoader[int, list[PostClaim]]:
    return _cached(
        ctx, "service_post:claims", lambda: DataLoader(_lists(ctx, service_posts.post_claims))
    )


def claim_fulfilments(ctx: RequestContext, latest: int) -> DataLoader[int, list[PostFulfilment]]:
    """The LATEST most recent service records of each claim (one loader per LATEST)."""

    async def fetch(ctx: RequestContext, keys: Sequence[int]) -> dict[int, list[PostFulfilment]]:
        return await service_posts.latest_fulfilments(ctx, keys, latest)

    return _cached(ctx, f"post_claim:fulfilments:{latest}", lambda: DataLoader(_lists(ctx, fetch)))


def _served(
    ctx: RequestContext,
    fetch: Callable[[RequestContext, Sequence[int]], Awaitable[dict[int, service_posts.Served]]],
) -> Callable[[Sequence[int]], Awaitable[list[service_posts.Served]]]:
    async def load(keys: Sequence[int]) -> list[service_posts.Served]:
        found = await fetch(ctx, keys)
        return [found.get(key, service_posts.Served()) for key in keys]

    return load


def post_served(ctx: RequestContext) -> DataLoader[int, service_posts.Served]:
    return _cached(
        ctx, "service_post:served", lambda: DataLoader(_served(ctx, service_posts.served_by_post))
    )


def claim_served(ctx: RequestContext) -> DataLoader[int, service_posts.Served]:
    return _cached(
        ctx, "post_claim:served", lambda: DataLoader(_served(ctx, service_posts.served_by_claim))
    )


def need_projects(ctx: RequestContext) -> DataLoader[int, list[CoBuildingProject]]:
    return _cached(ctx, "need:projects", lambda: DataLoader(_lists(ctx, co_building.need_projects)))


def delivery_summary(
    ctx: RequestContext, year: int
) -> DataLoader[int, list[co_building.PartnerDelivery]]:
    """Each compound's partners of YEAR and what they delivered (one loader per YEAR)."""

    async def fetch(
        ctx: RequestContext, keys: Sequence[int]
    ) -> dict[int, list[co_building.PartnerDelivery]]:
        return await co_building.delivery_summaries(ctx, keys, year)

    return _cached(ctx, f"compound:co_building:{year}", lambda: DataLoader(_lists(ctx, fetch)))


# Annual evaluations and firm standing.


def evaluation(ctx: RequestContext) -> DataLoader[int, Evaluation | None]:
    return _cached(ctx, "evaluation", lambda: DataLoader(_by_id(ctx, evaluations.by_ids)))


def evaluation_criterion(ctx: RequestContext) -> DataLoader[int, EvaluationCriterion | None]:
    return _cached(
        ctx, "evaluation_criterion", lambda: DataLoader(_by_id(ctx, evaluations.criteria_by_ids))
    )


def evaluation_criteria(ctx: RequestContext) -> DataLoader[int, list[EvaluationCriterion]]:
    async def load(keys: Sequence[int]) -> list[list[EvaluationCriterion]]:
        found = await evaluations.criteria_of(ctx, keys)
        return [found.get(key, []) for key in keys]

    return _cached(ctx, "evaluation:criteria", lambda: DataLoader(load))


def evaluation_scorer_count(ctx: RequestContext) -> DataLoader[int, int]:
    async def load(keys: Sequence[int]) -> list[int]:
        found = await evaluations.scorer_counts(ctx, keys)
        return [found.get(key, 0) for key in keys]

    return _cached(ctx, "evaluation:scorer_count", lambda: DataLoader(load))


def my_evaluation_score(ctx: RequestContext) -> DataLoader[int, evaluations.MySubmission | None]:
    async def load(keys: Sequence[int]) -> list[evaluations.MySubmission | None]:
        found = await evaluations.my_submissions(ctx, keys)
        return [found.get(key) for key in keys]

    return _cached(ctx, "evaluation:mine", lambda: DataLoader(load))


def organisation_label(ctx: RequestContext) -> DataLoader[int, tuple[str, OrganisationKind]]:
    """Name and kind of an evaluated firm or committee, shown with the record naming it even
    where the organisation itself is not visible (a list names the firm)."""

    async def load(keys: Sequence[int]) -> list[tuple[str, OrganisationKind]]:
        found = await evaluations.organisation_labels(ctx, keys)
        return [found.get(key, ("", OrganisationKind.PROPERTY_FIRM)) for key in keys]

    return _cached(ctx, "organisation:label", lambda: DataLoader(load))


def firm_standing(ctx: RequestContext) -> DataLoader[int, FirmStanding | None]:
    return _cached(ctx, "standing", lambda: DataLoader(_by_id(ctx, standing.by_ids)))


def standing_in_force(ctx: RequestContext) -> DataLoader[int, FirmStanding | None]:
    """The entry in force today per firm id."""

    async def load(keys: Sequence[int]) -> list[FirmStanding | None]:
        found = await standing.in_force(ctx, keys, ctx.today)
        return [found.get(key) for key in keys]

    return _cached(ctx, "standing:in_force", lambda: DataLoader(load))


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
