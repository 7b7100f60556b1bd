"""strawberry's own trivial query on Starlette: `{ hello }` answered by one resolver.

The issue "Speed I" measured `me` against this ("strawberry answers a trivial query at
~3,700 on this machine"); the benchmark serves it beside Jinlin in the same run, so the
comparison survives a machine that is faster or slower than that day's.

    uvicorn bench.strawberry_app:app
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.asgi import GraphQL


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


async def healthz(_: Request) -> Response:
    return Response(b"ok")


app = Starlette(
    routes=[
        Route("/graphql", GraphQL(strawberry.Schema(query=Query)), methods=["POST"]),
        Route("/healthz", healthz),
    ]
)
