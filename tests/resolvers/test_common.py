"""Scoped reads' shared helpers: a caller's subtree resolved to compound ids is kept
between requests only while nothing it derives from has changed."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import col

from db.engine import Database, create_engine
from db.models import AccessEpoch
from policies.actor import ANONYMOUS
from resolvers.common import compounds_under
from resolvers.context import RequestContext
from resolvers.tokens.bearer import authenticate
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import COMMUNITY, org


async def _subtree_compounds(api: Api, db: Database | None = None) -> tuple[str, list[int]]:
    """The supervisor's subtree domain and its compounds, as one request reads them (through
    DB's own sessions when given, as a server would: committed data only)."""
    if db is None:
        ctx = await api.context("supervisor")
    else:
        ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="test")
        ctx.actor = await authenticate(
            await ctx.token_reader(),
            api.tokens["supervisor"],
            key=api.secret_key,
            today=ctx.today,
            actors=api.actors,
        )
    try:
        (domain,) = ctx.auth.decide("issue", "read").compound_domains
        return domain, (await compounds_under(ctx, [domain]))[domain]
    finally:
        await ctx.close()


async def _epoch(api: Api) -> int:
    return int(await api.scalar(sa.select(col(AccessEpoch.value))))


async def test_the_supervisors_compounds_are_read_once_while_nothing_changes(
    api: Api, database_url: str
) -> None:
    # Through an engine of its own, as a server reads (committed data only).
    engine = create_engine(database_url)
    counted: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: counted.append(a[2]))
    try:
        db = Database.from_engine(engine)
        _, before = await _subtree_compounds(api, db)
        assert any("organisation.path" in sql for sql in counted)
        counted.clear()
        _, again = await _subtree_compounds(api, db)
        assert again == before
        # Only the token (with the epoch) is read: the compounds are kept under that epoch.
        assert not any("organisation.path" in sql for sql in counted), counted
    finally:
        await engine.dispose()


async def test_a_compound_created_in_the_subtree_is_there_on_the_next_request(api: Api) -> None:
    _, before = await _subtree_compounds(api)
    epoch = await _epoch(api)
    created = await api.run(
        "mutation ($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }",
        {
            "i": {
                "name": f"新建小區-{uuid.uuid4().hex[:6]}",
                "kind": "COMPOUND",
                "parent": await org(api, COMMUNITY),
            }
        },
        as_="admin",
    )
    compound = decode_id(created.ok()["createOrganisation"]["id"], "Organisation")
    assert await _epoch(api) > epoch  # migration 0020: an INSERT moves the epoch on
    _, after = await _subtree_compounds(api)
    assert compound not in before
    assert sorted(after) == sorted([*before, compound])
