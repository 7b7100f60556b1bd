"""Queries that serve every domain: any object by its global id."""

from __future__ import annotations

import asyncio
from typing import Annotated, cast

import strawberry
from strawberry import relay

from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from schema.common.compiled_nodes import compiled_node, compiled_nodes
from schema.common.nodes import load_node
from schema.context import Info
from schema.ids import parse_global_id

MAX_NODES = 100


async def _load_node(info: Info, value: strawberry.ID) -> relay.Node | None:
    type_name, node_id = parse_global_id(value)
    read = compiled_node(info, type_name)
    if read is not None:
        return cast(relay.Node | None, await read(node_id))
    return await load_node(info.context, type_name, node_id)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id; null if it does not exist or you may not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> relay.Node | None:
        return await _load_node(info, id)

    @strawberry.field(
        description="Objects by global id, in the order asked (at most 100); "
        "null where not visible."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(tr("Ask for at most {MAX_NODES} ids at once.", MAX_NODES=MAX_NODES))
        # Every id is checked before any lookup starts: a malformed one failing the gather
        # would otherwise leave the others' lookups running after the request has ended.
        parsed = [parse_global_id(value) for value in ids]
        compiled = await compiled_nodes(info, parsed)
        if compiled is not None:
            return [cast(relay.Node | None, compiled.get(key)) for key in parsed]
        # Gathered, so each type's DataLoader fetches all its ids in one statement.
        return list(await asyncio.gather(*(load_node(info.context, t, n) for t, n in parsed)))
