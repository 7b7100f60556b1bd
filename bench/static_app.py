"""A trivial Starlette app that answers every POST /graphql with the same bytes.

The benchmark runs it beside the real app as the framework's floor: the same body over the
same server, with no GraphQL, no database and no authorization.

    JINLIN_BENCH_BODY=/path/to/body.json uvicorn bench.static_app:app
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ.get("JINLIN_BENCH_BODY", "/dev/null")).read_bytes()


async def answer(_: Request) -> Response:
    return Response(BODY, media_type="application/json")


async def healthz(_: Request) -> Response:
    return Response(b"ok")


app = Starlette(routes=[Route("/graphql", answer, methods=["POST"]), Route("/healthz", healthz)])
