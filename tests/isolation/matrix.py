"""The isolation matrix: every role × every path of the schema × objects inside and outside
the caller's scope, generated from the schema and checked against the tables.

Paths are every Query field (entry points), every Subscription field (replayed from the
outbox's first event: tests/isolation/subscriptions.py) and every field of every node type,
reached through node(id); each object a caller may see is walked in turn, so
nested connections of visible objects (a street's children, a meeting's agenda)
are paths too. For each response the oracle asks the tables which compound
every returned object belongs to; an object of a compound outside the caller's
scope anywhere in a response is a leak. Where the policy grants a role reading
a resource over a whole subtree, an object inside it must be returned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from graphql import GraphQLObjectType

from db.models import Organisation
from db.paths import in_subtree
from policies.actor import Actor
from policies.enforcer import allowed_conditions
from resolvers.errors import Unauthenticated
from schema.ids import encode_id, parse_global_id
from schema.schema import schema
from tests.helpers import Api, Result
from tests.isolation.compounds import COMPOUND_OF, RESOURCE_OF
from tests.isolation.subscriptions import walk_subscriptions
from tests.isolation.walk import (
    Filler,
    connection_node_type,
    identities,
    node_document,
    node_types,
    root_document,
)
from tests.isolation.webhooks import webhooks_in_a_and_b

GRAPHQL = schema._schema
# Objects of each type walked per caller beyond the inside/outside samples.
DISCOVERED_PER_TYPE = 3
# Refusals a path may answer with; anything else (INTERNAL, a bad generated input) fails.
REFUSALS = frozenset({"FORBIDDEN", "NOT_FOUND"})


@dataclass
class Outcome:
    cases: int = 0
    # Events the caller's subscriptions delivered (tests/isolation/subscriptions.py).
    delivered: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failures.append(message)


@dataclass
class World:
    """The compounds of the run ("a", "b", and "c" under another street) and their paths."""

    compounds: dict[str, int]
    paths: dict[int, str]

    def key_of(self, compound_id: int | None) -> str | None:
        for key, value in self.compounds.items():
            if value == compound_id:
                return key
        return None


async def compounds_of(api: Api, type_name: str, ids: list[int]) -> dict[int, int | None]:
    statement = COMPOUND_OF[type_name]()
    id_column = statement.selected_columns[0]
    async with api.db.read_sessions() as session:
        rows = (await session.execute(statement.where(id_column.in_(ids)))).all()
    found: dict[int, int | None] = {}
    for row_id, compound in rows:
        # A row of several compounds (a token naming two) counts as each: keep any outside one.
        found.setdefault(int(row_id), compound)
    return found


async def samples(api: Api, world: World) -> list[tuple[str, int, str]]:
    """(type, id, compound key): the first object of every node type in every compound."""
    picked: list[tuple[str, int, str]] = []
    async with api.db.read_sessions() as session:
        for type_name in node_types(GRAPHQL):
            statement = COMPOUND_OF[type_name]()
            id_column, compound_column = statement.selected_columns
            for key, compound in world.compounds.items():
                first = (
                    await session.execute(
                        statement.where(compound_column == compound).order_by(id_column).limit(1)
                    )
                ).first()
                if first is not None:
                    picked.append((type_name, int(first[0]), key))
    return picked


def visible_by_policy(actor: Actor, resource: str, compound_path: str) -> bool:
    """Whether the policy lets ACTOR read every RESOURCE row of the compound at the path."""
    if not actor.may_attempt(resource, "read"):
        return False
    if actor.is_partner and resource == "audit":
        return False  # a partner reads only the entries it made (resolvers/audit.readable)
    if actor.is_partner and resource in ("webhook", "webhook_delivery"):
        return False  # a partner token reads only its own endpoints (resolvers/webhooks)
    return any(
        "subtree" in (allowed_conditions(grant.role, resource, "read") or ())
        and in_subtree(compound_path, grant.domain)
        for grant in actor.grants
    )


class Walk:
    def __init__(self, api: Api, world: World, role: str | None, scope: set[str]) -> None:
        self.api = api
        self.world = world
        self.role = role
        self.scope = scope
        self.outcome = Outcome()
        self.actor: Actor | None = None

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> Result | None:
        """The result, or None when the caller's token is refused before any query."""
        try:
            return await self.api.run(query, variables, as_=self.role)
        except Unauthenticated:
            return None

    async def leaks(self, data: object, where: str) -> list[tuple[str, str]]:
        """Fail for every object of an outside compound in DATA; return the visible objects."""
        by_type: dict[str, list[int]] = defaultdict(list)
        seen = identities(data)
        for type_name, global_id in seen:
            if type_name not in COMPOUND_OF:
                self.outcome.fail(f"{type_name} has no entry in tests/isolation/compounds.py")
                continue
            by_type[type_name].append(parse_global_id(global_id)[1])
        for type_name, ids in by_type.items():
            for row_id, compound in (await compounds_of(self.api, type_name, ids)).items():
                key = self.world.key_of(compound)
                if key is not None and key not in self.scope:
                    self.outcome.fail(
                        f"{self.role}: {where} returned {type_name} {row_id} of compound {key}"
                    )
        return sorted(seen)

    async def attempt(
        self, document: str, variables: dict[str, Any] | None, where: str, *, refused: bool
    ) -> Result | None:
        """Run one case; a refused caller must be turned away and any other must not be.
        None when there is no answer to look into further."""
        result = await self.run(document, variables)
        if result is None:
            if not refused:
                self.outcome.fail(f"{self.role}: {where} refused the token")
            return None
        if refused:
            self.outcome.fail(f"{self.role}: {where} ran with a refused token")
        self.check_errors(result, where)
        return result

    def check_errors(self, result: Result, where: str) -> None:
        for error in result.errors:
            code = error.get("extensions", {}).get("code")
            if code not in REFUSALS:
                self.outcome.fail(f"{self.role}: {where} answered {code}: {error['message']}")


async def walk_role(api: Api, world: World, role: str | None, scope: set[str] | None) -> Outcome:
    """Walk every path for ROLE; SCOPE is the compounds it may see (None: refused outright)."""
    walk = Walk(api, world, role, scope or set())
    if role is not None and scope is not None:
        ctx = await api.context(role)
        await ctx.close()
        walk.actor = ctx.actor
    await _entry_points(walk, refused=scope is None)
    await _nodes(walk, await samples(api, world), refused=scope is None)
    await walk_subscriptions(walk, refused=scope is None)
    return walk.outcome


async def _entry_points(walk: Walk, *, refused: bool) -> None:
    assert GRAPHQL.query_type is not None
    for name in sorted(GRAPHQL.query_type.fields):
        if name in ("node", "nodes"):
            continue  # walked per node type below
        for key, compound in walk.world.compounds.items():
            filler = Filler(id=str(encode_id("Organisation", compound)))
            where = f"Query.{name} (compound {key})"
            walk.outcome.cases += 1
            document = root_document(GRAPHQL, name, filler)
            result = await walk.attempt(document, None, where, refused=refused)
            if result is None:
                continue
            await walk.leaks(result.data, where)
            await _expect_rows(walk, name, key, result, where)


async def _expect_rows(walk: Walk, name: str, key: str, result: Result, where: str) -> None:
    """A connection over a compound whose rows the policy lets the caller read in full
    must not come back empty when that compound has such rows."""
    type_name = connection_node_type(GRAPHQL, name)
    resource = RESOURCE_OF.get(type_name or "")
    if type_name is None or resource is None or walk.actor is None or key not in walk.scope:
        return
    compound = walk.world.compounds[key]
    if not visible_by_policy(walk.actor, resource, walk.world.paths[compound]):
        return
    statement = COMPOUND_OF[type_name]()
    exists = await walk.api.scalar(
        sa.select(sa.func.count()).select_from(
            statement.where(statement.selected_columns[1] == compound).subquery()
        )
    )
    connection = (result.data or {}).get(name) or {}
    if exists and not connection.get("totalCount"):
        walk.outcome.fail(f"{walk.role}: {where} is readable by policy but came back empty")


async def _nodes(walk: Walk, picked: list[tuple[str, int, str]], *, refused: bool) -> None:
    queue: list[tuple[str, int, str | None]] = [(t, i, k) for t, i, k in picked]
    done: set[tuple[str, int]] = set()
    discovered: dict[str, int] = defaultdict(int)
    while queue:
        type_name, row_id, key = queue.pop(0)
        if (type_name, row_id) in done:
            continue
        done.add((type_name, row_id))
        type_ = GRAPHQL.type_map[type_name]
        assert isinstance(type_, GraphQLObjectType)
        paths = len(type_.fields)
        walk.outcome.cases += paths
        compound = walk.world.compounds.get(key) if key else None
        filler = Filler(id=str(encode_id("Organisation", compound or walk.world.compounds["a"])))
        global_id = str(encode_id(type_name, row_id))
        where = f"node({type_name} {row_id}, compound {key})"
        document = node_document(GRAPHQL, type_name, filler)
        result = await walk.attempt(document, {"id": global_id}, where, refused=refused)
        if result is None:
            continue
        node = (result.data or {}).get("node")
        outside = key is not None and key not in walk.scope
        if outside and node is not None:
            walk.outcome.fail(f"{walk.role}: {where} was returned outside the caller's scope")
        resource = RESOURCE_OF.get(type_name)
        if (
            node is None
            and key is not None
            and not outside
            and walk.actor is not None
            and resource is not None
            and visible_by_policy(walk.actor, resource, walk.world.paths[compound or 0])
        ):
            walk.outcome.fail(f"{walk.role}: {where} is readable by policy but was not returned")
        if node is None:
            continue
        for found_type, found_id in await walk.leaks(node, where):
            found_row = parse_global_id(found_id)[1]
            if (found_type, found_row) in done or discovered[found_type] >= DISCOVERED_PER_TYPE:
                continue
            if found_type not in COMPOUND_OF:
                continue
            discovered[found_type] += 1
            owner = (await compounds_of(walk.api, found_type, [found_row])).get(found_row)
            queue.append((found_type, found_row, walk.world.key_of(owner)))


async def world_with_a_third_compound(api: Api) -> World:
    """Compounds A, B and D of the demo, and C under a second street (outside the
    supervisor's), made through the real mutations with a resident and an issue."""
    district = await api.scalar(sa.select(Organisation.id).where(Organisation.kind == "DISTRICT"))

    async def create(kind: str, name: str, parent: int) -> int:
        result = await api.run(
            "mutation ($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }",
            {"i": {"kind": kind, "name": name, "parent": str(encode_id("Organisation", parent))}},
            as_="admin",
        )
        return parse_global_id(result.ok()["createOrganisation"]["id"])[1]

    street = await create("STREET", "城南街道", int(district))
    community = await create("COMMUNITY", "南岸社區", street)
    compound_c = await create("COMPOUND", "南岸花園", community)
    gid_c = str(encode_id("Organisation", compound_c))
    person = await api.run(
        "mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }",
        {"i": {"name": "南岸居民", "compound": gid_c}},
        as_="admin",
    )
    reporter = person.ok()["registerPerson"]["id"]
    await api.run(
        "mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id } }",
        {
            "i": {
                "compound": gid_c,
                "channel": "HOTLINE",
                "category": "SAFETY",
                "title": "路燈不亮",
                "reporter": reporter,
            }
        },
        as_="admin",
    )
    await webhooks_in_a_and_b(api)
    compounds = {
        "a": api.compound("a"),
        "b": api.compound("b"),
        "c": compound_c,
        # A small compound the demo's joint branch serves (demo/sample/joint.py).
        "d": api.compound("d"),
    }
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(Organisation.id, Organisation.path).where(
                Organisation.id.in_(compounds.values())  # type: ignore[union-attr]
            )
        )
        paths = {int(i): str(p) for i, p in rows.all()}
    return World(compounds=compounds, paths=paths)
