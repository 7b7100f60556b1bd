"""Cases of the every-mutation-is-audited walk for service posts and co-building lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from db import clock
from db.models import (
    CoBuildingNeed,
    CoBuildingProject,
    PostClaim,
    PostFulfilment,
    ServicePost,
    ServiceRegistration,
)
from tests.helpers import Api, gid
from tests.issue_helpers import person_id
from tests.mutation_cases import Case
from tests.posts_helpers import partner, post_of, resident_id


async def _report(api: Api) -> dict[str, Any]:
    # The secretary (an in-service member) reported in the demo: withdraw that first.
    secretary = await person_id(api, "secretary")
    async with api.db.write() as session:
        await session.execute(
            sa.update(ServiceRegistration)
            .where(ServiceRegistration.person_id == secretary)
            .values(active=False)
        )
    return {"compound": api.ids["compound_a"], "availability": "周末"}


async def _publish(api: Api) -> dict[str, Any]:
    return {
        "compound": api.ids["compound_a"],
        "kind": "NEIGHBOURHOOD_HELP",
        "title": "鄰裡互助崗：代購代取",
        "capacity": 2,
        "schedule": {"startsOn": clock.today().isoformat(), "description": "按需"},
    }


async def _claim(api: Api) -> dict[str, Any]:
    result = await api.run(
        "mutation ($i: PublishServicePostInput!) { publishServicePost(input: $i) { id } }",
        {"i": await _publish(api)},
        as_="secretary",
    )
    return {"post": result.ok()["publishServicePost"]["id"]}


async def _record(api: Api) -> dict[str, Any]:
    post = await post_of(api, "環境衛生保潔崗")
    return {
        "post": gid("ServicePost", post.id or 0),
        "person": gid("Person", await resident_id(api, "a", 12)),
        "date": (clock.today() - timedelta(days=1)).isoformat(),
        "hours": 2,
    }


async def _need(api: Api) -> dict[str, Any]:
    return {"compound": api.ids["compound_a"], "title": "樓頂防水", "year": clock.today().year}


async def _commit(api: Api) -> dict[str, Any]:
    return {
        "compound": api.ids["compound_a"],
        "partner": await partner(api),
        "year": clock.today().year,
        "title": "供電設施巡檢",
    }


async def _committed(api: Api) -> str:
    result = await api.run(
        "mutation ($i: CommitProjectInput!) { commitProject(input: $i) { id } }",
        {"i": await _commit(api)},
        as_="secretary",
    )
    return str(result.ok()["commitProject"]["id"])


async def _complete(api: Api) -> dict[str, Any]:
    return {
        "project": await _committed(api),
        "completedOn": clock.today().isoformat(),
        "outcome": "已完成",
    }


async def _cancel(api: Api) -> dict[str, Any]:
    return {"project": await _committed(api), "reason": "資金未到位"}


POSTS_CASES: dict[str, Case] = {
    "reportForService": Case("secretary", "resident", _report, ServiceRegistration),
    "publishServicePost": Case("secretary", "committee_member", _publish, ServicePost),
    "claimServicePost": Case("secretary", "supervisor", _claim, PostClaim, (ServicePost,)),
    "recordPostFulfilment": Case("secretary", "supervisor", _record, PostFulfilment),
    "publishNeed": Case("secretary", "committee_member", _need, CoBuildingNeed),
    "commitProject": Case("secretary", "resident", _commit, CoBuildingProject),
    "completeProject": Case("secretary", "committee_member", _complete, CoBuildingProject),
    "cancelProject": Case("secretary", "resident", _cancel, CoBuildingProject),
}
