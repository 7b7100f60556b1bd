"""The /graphql endpoint: bearer token -> actor -> request context -> strawberry."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from db.engine import Database
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.errors import Unauthenticated
from resolvers.tokens import authenticate, bearer_secret

CONTEXT_KEY = "jinlin_context"


class JinlinGraphQL(GraphQL[RequestContext, None]):
    async def get_context(self, request: Any, response: Any) -> RequestContext:
        context: RequestContext = request.scope["state"][CONTEXT_KEY]
        return context


class GraphQLEndpoint:
    """Authenticates the caller before strawberry sees the request.

    A missing token means an anonymous caller; a wrong, expired or revoked one
    is refused with 401 and a GraphQL-shaped error, before any query runs.
    """

    def __init__(self, graphql: JinlinGraphQL, db: Database, secret_key: str) -> None:
        self.graphql = graphql
        self.db = db
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        state = scope.setdefault("state", {})
        client = request.client.host if request.client else None
        context = RequestContext(
            db=self.db,
            actor=ANONYMOUS,
            request_id=state.get("request_id", "-"),
            client_address=client,
            today=date.today(),
        )
        try:
            secret = bearer_secret(request.headers.get("authorization"))
            if secret is not None:
                context.actor = await authenticate(
                    await context.reader(), secret, key=self.secret_key, today=context.today
                )
            state[CONTEXT_KEY] = context
            await self.graphql(scope, receive, send)
        except Unauthenticated as error:
            await _unauthenticated(error, context.request_id)(scope, receive, send)
        finally:
            await context.close()


def _unauthenticated(error: Unauthenticated, request_id: str) -> Response:
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code.value}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
