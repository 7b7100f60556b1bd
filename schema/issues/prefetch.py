"""What a list of issues loads up front for the related fields its document asks for, so
those fields answer without a coroutine each (schema.common.ready)."""

from __future__ import annotations

from collections.abc import Sequence

from db.models import Issue
from resolvers.context import RequestContext
from schema.common.ready import Prefetch, load_all
from schema.issues import loaders
from schema.organisations import loaders as organisations_loaders
from schema.people import loaders as people_loaders


async def _compounds(ctx: RequestContext, rows: Sequence[Issue]) -> None:
    await load_all(organisations_loaders.organisation(ctx), (r.compound_id for r in rows))


async def _buildings(ctx: RequestContext, rows: Sequence[Issue]) -> None:
    await load_all(organisations_loaders.organisation(ctx), (r.building_id for r in rows))


async def _assignees(ctx: RequestContext, rows: Sequence[Issue]) -> None:
    await load_all(
        organisations_loaders.organisation(ctx), (r.assignee_organisation_id for r in rows)
    )


async def _assignee_people(ctx: RequestContext, rows: Sequence[Issue]) -> None:
    await load_all(people_loaders.person(ctx), (r.assignee_person_id for r in rows))


async def _reporters(ctx: RequestContext, rows: Sequence[Issue]) -> None:
    """Who may be known as reporter first; only those reporters' rows are loaded."""
    gate = loaders.reporter_visible(ctx)
    known = await load_all(gate, [r.id or 0 for r in rows])
    await load_all(
        people_loaders.person(ctx),
        (r.reporter_id for r, is_known in zip(rows, known, strict=True) if is_known),
    )


async def _last_events(ctx: RequestContext, rows: Sequence[Issue]) -> None:
    await load_all(loaders.last_event(ctx), (r.id for r in rows))


# GraphQL field name on Issue -> what it needs loaded.
ISSUE_RELATIONS: dict[str, Prefetch] = {
    "compound": _compounds,
    "building": _buildings,
    "assignee": _assignees,
    "assigneePerson": _assignee_people,
    "reporter": _reporters,
    "lastEvent": _last_events,
}
