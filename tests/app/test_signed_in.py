"""A plain endpoint's caller comes from the bearer token, exactly as /graphql's does."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from app.signed_in import request_context, sign_in
from resolvers.errors import Unauthenticated
from resolvers.tokens.actors import ActorCache
from tests.helpers import Api


def _request(authorization: str | None) -> Request:
    headers = [] if authorization is None else [(b"authorization", authorization.encode())]
    return Request({"type": "http", "headers": headers, "state": {"request_id": "r-1"}})


async def test_the_bearer_becomes_the_caller_and_keeps_the_request_id(api: Api) -> None:
    request = _request(f"Bearer {api.tokens['secretary']}")
    ctx = request_context(request, api.db)
    try:
        await sign_in(request, ctx, api.secret_key, ActorCache())
        assert ctx.actor.person_id is not None and ctx.actor.grants
        assert ctx.request_id == "r-1"
    finally:
        await ctx.close()


@pytest.mark.parametrize("authorization", [None, "Bearer jl_not-a-token", "Basic abc"])
async def test_no_good_token_no_caller(api: Api, authorization: str | None) -> None:
    request = _request(authorization)
    ctx = request_context(request, api.db)
    try:
        with pytest.raises(Unauthenticated):
            await sign_in(request, ctx, api.secret_key, ActorCache())
        assert ctx.actor.person_id is None
    finally:
        await ctx.close()
