"""GraphQL subscriptions over WebSocket at /graphql (graphql-transport-ws only).

The connection signs in at connection_init with the bearer token every request uses; a
missing or bad token closes it with 4403, a client too slow to take its events with 4413
(resolvers/live_feed.py), its token revoked or expired since with 4401 and a grant ended
with 4403 (resolvers/live.py). Only subscriptions run here: queries and
mutations go over HTTP, where the transport rules, timeouts and rate limits apply.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.types.unset import UNSET, UnsetType

from db import clock
from db.engine import Database, is_unavailable
from policies.actor import ANONYMOUS
from resolvers.errors import Unauthenticated
from resolvers.i18n import DEFAULT_LOCALE, negotiate, tr, translate
from resolvers.live import Backlog, FeedSlots, LiveContext
from resolvers.tokens.actors import ActorCache

LIVE_KEY = "jinlin_live_context"
MAX_TOKENS = 5000


class SubscriptionsOnly(BaseGraphQLTransportWSHandler[LiveContext, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A feed whose client fell too far behind closes the connection (resolvers/live_feed).
        self.context.hang_up = self.hang_up

    async def hang_up(self, code: int, reason: str) -> None:
        # A client gone meanwhile (uvicorn's ClientDisconnected is an OSError) or a socket
        # already closed needs no closing: the handler's shutdown ends its feeds either way.
        with contextlib.suppress(OSError, RuntimeError):
            await self.websocket.close(code=code, reason=reason)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not _only_subscriptions(message):
            refusal = tr(
                "Only subscriptions run over WebSocket; send queries and mutations over HTTP."
            )
            error = GraphQLError(
                translate(refusal, getattr(self.context, "locale", DEFAULT_LOCALE))
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        await super().handle_subscribe(message)


def _only_subscriptions(message: SubscribeMessage) -> bool:
    try:
        document = parse(message["payload"]["query"], max_tokens=MAX_TOKENS)
    except (GraphQLError, KeyError, TypeError):
        return True  # malformed: strawberry answers it as it answers any bad document
    return all(
        d.operation is OperationType.SUBSCRIPTION
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


class LiveGraphQL(GraphQL[LiveContext, None]):
    graphql_transport_ws_handler_class = SubscriptionsOnly

    def __init__(
        self,
        schema: Any,
        db: Database,
        secret_key: str,
        actors: ActorCache,
        *,
        poll_seconds: float,
        access_check_seconds: float = 5.0,
        max_subscriptions: int,
        max_per_token: int,
        max_backlog: int,
        allowed_origins: list[str],
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=max_subscriptions,
            allowed_origins=allowed_origins,
        )
        self.db = db
        self.secret_key = secret_key
        self.actors = actors
        self.poll_seconds = poll_seconds
        self.access_check_seconds = access_check_seconds
        self.slots = FeedSlots(per_token=max_per_token)
        self.max_backlog = max_backlog

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            context = scope.get("state", {}).get(LIVE_KEY)
            if isinstance(context, LiveContext):
                await context.close()

    async def get_context(self, request: Any, response: Any) -> LiveContext:
        state = request.scope.setdefault("state", {})
        client = request.client.host if request.client else None
        context = LiveContext(
            db=self.db,
            actor=ANONYMOUS,
            request_id=state.get("request_id", "-"),
            client_address=client,
            # The handshake's header; connection_init may name another (LiveContext.sign_in).
            locale=negotiate(request.headers.get("accept-language")),
            secret_key=self.secret_key,
            today=clock.today(),
            actors=self.actors,
            poll_seconds=self.poll_seconds,
            access_check_seconds=self.access_check_seconds,
            slots=self.slots,
            backlog=Backlog(limit=self.max_backlog),
        )
        state[LIVE_KEY] = context
        return context

    async def on_ws_connect(self, context: LiveContext) -> UnsetType:
        acknowledged: UnsetType = UNSET  # a plain connection_ack
        try:
            await context.sign_in()
            return acknowledged
        except Unauthenticated as error:
            raise ConnectionRejectionError() from error
        except Exception as error:
            if is_unavailable(error):
                raise ConnectionRejectionError() from error
            raise
        finally:
            await context.release_reads()
