"""Real concurrency on one service post: twelve reported members claim a five-place post at
once, each request on its own connections in committed transactions. Exactly five win, and the
post never holds more active claims than its capacity.

This cannot run in the rolled-back test transaction, so it commits, and removes what it made
afterwards (its audit entries stay: the log is append-only, and no test counts it absolutely).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db import clock
from db.engine import Database
from db.models import (
    ApiToken,
    AuditEntry,
    PartyMembership,
    PartyMemberStatus,
    Person,
    PostClaim,
    ServicePost,
    ServiceRegistration,
)
from resolvers.tokens.bearer import issue_token
from schema.ids import decode_id
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import mutate

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

MEMBERS = 12
CAPACITY = 5


@pytest.fixture
async def members(
    engine: AsyncEngine, demo: dict[str, Any]
) -> AsyncIterator[tuple[Api, list[str]]]:
    """A committing Api and tokens of MEMBERS new in-service members of compound A, each
    reported for service there. Everything made is deleted afterwards."""
    db = Database.from_engine(engine)
    api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
    compound = api.compound("a")
    async with db.read_sessions() as session:
        first_post = (await session.execute(sa.select(sa.func.max(ServicePost.id)))).scalar() or 0
    async with db.write() as session:
        people = [
            Person(
                name=f"在職黨員{n:02d}",
                residence_compound_id=compound,
                party_membership=PartyMembership.MEMBER,
                party_member_status=PartyMemberStatus.IN_SERVICE,
            )
            for n in range(MEMBERS)
        ]
        session.add_all(people)
        await session.flush()
        ids = [p.id or 0 for p in people]
        session.add_all(
            ServiceRegistration(person_id=person, compound_id=compound) for person in ids
        )
        secrets = [
            (
                await issue_token(
                    session,
                    person_id=person,
                    name="concurrency",
                    key=SECRET_KEY,
                    lifetime=timedelta(days=1),
                )
            ).secret
            for person in ids
        ]
    try:
        yield api, secrets
    finally:
        async with db.write() as session:
            posts = sa.select(ServicePost.id).where(ServicePost.id > first_post)
            await session.execute(sa.delete(PostClaim).where(PostClaim.post_id.in_(posts)))  # type: ignore[attr-defined]
            await session.execute(sa.delete(ServicePost).where(ServicePost.id > first_post))
            await session.execute(
                sa.delete(ServiceRegistration).where(ServiceRegistration.person_id.in_(ids))  # type: ignore[attr-defined]
            )
            await session.execute(sa.delete(ApiToken).where(ApiToken.person_id.in_(ids)))  # type: ignore[attr-defined]
            await session.execute(sa.delete(Person).where(Person.id.in_(ids)))  # type: ignore[union-attr]


async def _state(api: Api, post_id: int) -> tuple[int, int]:
    """(active claims, the post's claimed count), read fresh."""
    async with api.db.read_sessions() as session:
        active = (
            await session.execute(
                sa.select(sa.func.count())
                .select_from(PostClaim)
                .where(PostClaim.post_id == post_id, PostClaim.active)
            )
        ).scalar_one()
        post = await session.get(ServicePost, post_id)
        assert post is not None
        return int(active), post.claimed_count


async def test_concurrent_claims_never_exceed_the_capacity(
    members: tuple[Api, list[str]],
) -> None:
    api, secrets = members
    published = await mutate(
        api,
        "publishServicePost",
        {
            "compound": api.ids["compound_a"],
            "kind": "VOLUNTEER_SERVICE",
            "title": "志願服務崗：搶位測試",
            "capacity": CAPACITY,
            "schedule": {"startsOn": clock.today().isoformat(), "weekdays": ["SATURDAY"]},
        },
        as_="secretary",
        selection="id",
    )
    post = published.ok()["publishServicePost"]["id"]
    post_id = decode_id(post, "ServicePost")
    start_seq = int(await api.scalar(sa.select(sa.func.max(AuditEntry.seq))))

    async def claim_all() -> list[Any]:
        calls = [
            mutate(api, "claimServicePost", {"post": post}, as_=secret, selection="id")
            for secret in secrets
        ]
        return list(await asyncio.wait_for(asyncio.gather(*calls), timeout=90))

    results = await claim_all()
    winners = [r for r in results if not r.errors]
    assert len(winners) == CAPACITY, [r.errors for r in results]
    assert all(r.codes == ["CONFLICT"] for r in results if r.errors)
    assert await _state(api, post_id) == (CAPACITY, CAPACITY)

    # Everyone again: the winners hold a place already, the others find it full.
    again = await claim_all()
    assert all(r.codes == ["CONFLICT"] for r in again), [r.errors for r in again]
    assert await _state(api, post_id) == (CAPACITY, CAPACITY)

    async with api.db.read_sessions() as session:
        audit = (
            (
                await session.execute(
                    sa.select(AuditEntry).where(
                        AuditEntry.seq > start_seq, AuditEntry.operation == "claimServicePost"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert Counter((e.outcome, e.error_code) for e in audit) == {
        ("SUCCESS", None): CAPACITY,
        ("REJECTED", "CONFLICT"): 2 * MEMBERS - CAPACITY,
    }
    counts = [c for e in audit for c in e.changes if c["field"] == "claimed_count"]
    # Each success moved the count by one, from 0 up to the capacity, each step once.
    assert sorted((c["before"], c["after"]) for c in counts) == [
        (n, n + 1) for n in range(CAPACITY)
    ]
