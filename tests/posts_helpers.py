"""Helpers for the service-post and co-building tests: demo people and rows by name, real
tokens for demo people without a demo token, and the refusal check every negative test makes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import clock
from db.models import (
    CoBuildingNeed,
    CoBuildingProject,
    Organisation,
    Person,
    PostClaim,
    PostFulfilment,
    ServicePost,
    ServiceRegistration,
)
from demo.sample.service_posts import SOCIAL_CENTRE
from resolvers.tokens.bearer import issue_token
from tests import mutation_cases
from tests.helpers import Api, gid
from tests.issue_helpers import PARTNER, entries_since, last_seq, org_id, person_id

POSTS_TABLES: tuple[type[SQLModel], ...] = (
    ServiceRegistration,
    ServicePost,
    PostClaim,
    PostFulfilment,
)
CO_BUILDING_TABLES: tuple[type[SQLModel], ...] = (CoBuildingNeed, CoBuildingProject)
ALL_TABLES = POSTS_TABLES + CO_BUILDING_TABLES


async def resident_id(api: Api, compound: str, number: int) -> int:
    """The demo resident "a6", "b0", ...: the NUMBER-th resident of the compound by id."""
    return int(
        await api.scalar(
            sa.select(Person.id)
            .where(Person.residence_compound_id == api.compound(compound))
            .order_by(Person.id)
            .offset(number)
            .limit(1)
        )
    )


async def token_for(api: Api, person: int) -> str:
    """A real bearer token for PERSON, issued in the test's transaction."""
    async with api.db.write() as session:
        issued = await issue_token(
            session, person_id=person, name="test", key=api.secret_key, lifetime=timedelta(days=1)
        )
    return issued.secret


async def as_resident(api: Api, compound: str, number: int) -> str:
    """A token for the demo resident COMPOUND+NUMBER (e.g. "b", 0: B's secretary)."""
    return await token_for(api, await resident_id(api, compound, number))


async def caller_id(api: Api, as_: str) -> int:
    """The person behind a demo role or a token made by token_for."""
    if as_ in api.tokens:
        return await person_id(api, as_)
    ctx = await api.context(as_)
    await ctx.close()
    assert ctx.actor.person_id is not None
    return ctx.actor.person_id


async def partner(api: Api) -> str:
    return gid("Organisation", await org_id(api, PARTNER))


async def centre(api: Api) -> str:
    found = await api.scalar(sa.select(Organisation.id).where(Organisation.name == SOCIAL_CENTRE))
    return gid("Organisation", int(found))


async def post_of(api: Api, title_prefix: str) -> ServicePost:
    """A demo post by the start of its title."""
    async with api.db.read_sessions() as session:
        row = (
            await session.execute(
                sa.select(ServicePost).where(ServicePost.title.startswith(title_prefix))  # type: ignore[attr-defined]
            )
        ).scalar_one()
    return row


async def snapshot(api: Api, tables: tuple[type[SQLModel], ...] = ALL_TABLES) -> list[Any]:
    return await mutation_cases.snapshot(api, tables)


async def refused(
    api: Api, name: str, input: dict[str, Any], as_: str, code: str, selection: str = "__typename"
) -> str:
    """NAME is refused with CODE for AS_, changing none of our tables, in an audit entry naming
    the caller (see tests.mutation_cases.assert_refused). The message."""
    seq = await last_seq(api)
    result = await mutation_cases.assert_refused(
        api, name, input, as_=as_, code=code, tables=ALL_TABLES, selection=selection
    )
    (entry,) = await entries_since(api, seq)
    assert entry.actor_person_id == await caller_id(api, as_)
    return str(result.errors[0]["message"])


def this_year() -> int:
    return clock.today().year
