"""The Subscription root: live feeds over WebSocket (the graphql-transport-ws protocol),
signed in at connection_init with the same bearer tokens as every request."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.issue_feed import ISSUE_KINDS, FeedFilter, issue_events
from resolvers.live import LiveContext
from resolvers.notification_feed import my_notifications
from schema.context import Info
from schema.ids import decode_id, decode_optional
from schema.issues.notice_types import EVENT_ID_TYPE, IssueEventsFilter, IssueNotice
from schema.notification_types import MyNotification


@strawberry.type(
    description="Live feeds: connect a WebSocket to /graphql with the graphql-transport-ws "
    'protocol and send the bearer token in connection_init ({"Authorization": "Bearer '
    'jl_…"}). Each event is filtered by what you may read when it is delivered. A client '
    "that falls more than the server's backlog limit (500 by default) of events behind is "
    "closed with code 4413; reconnect and pass the last id received as `after`. A token "
    "revoked or expired closes the connection with 4401, a grant ended (a position) with 4403."
)
class Subscription:
    @strawberry.subscription(
        description="Events of the issues you may read (permission issue:read), from now on or "
        "after the event id `after`, oldest first. Ends when the connection is closed for your "
        "token or grants."
    )
    async def issue_events(
        self,
        info: Info,
        filter: Annotated[
            IssueEventsFilter | None, strawberry.argument(description="Which events.")
        ] = None,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Resume after this event id (an IssueNotice's id); the events "
                "since are delivered first, then new ones."
            ),
        ] = None,
    ) -> AsyncGenerator[IssueNotice, None]:
        ctx = info.context
        if not isinstance(ctx, LiveContext):
            raise BadUserInput(tr("Subscriptions are served over WebSocket at /graphql."))
        wanted = FeedFilter(
            compound_id=decode_optional(filter.compound, "Organisation") if filter else None,
            issue_id=decode_optional(filter.issue, "Issue") if filter else None,
            kinds=frozenset(filter.kinds) if filter and filter.kinds else ISSUE_KINDS,
        )
        start = None if after is None else decode_id(after, EVENT_ID_TYPE)
        async for delivery in issue_events(ctx, wanted, start, poll_seconds=ctx.poll_seconds):
            yield IssueNotice.from_delivery(delivery)

    @strawberry.subscription(
        description="Events addressed to you, from now on or after the event id `after`, "
        "oldest first: what happens to issues you reported or are assigned, joint meetings "
        "you sit in (a position in the host or a participating organisation) being "
        "scheduled or decided, your tokens about to expire and webhook endpoints you registered "
        "disabled after sustained failure; never your own changes. "
        "Each is checked against what you may read when it is delivered. Ends when your "
        "connection is closed for your token or grants."
    )
    async def my_notifications(
        self,
        info: Info,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Resume after this event id (a notification's id); the events "
                "since are delivered first, then new ones."
            ),
        ] = None,
    ) -> AsyncGenerator[MyNotification, None]:
        ctx = info.context
        if not isinstance(ctx, LiveContext):
            raise BadUserInput(tr("Subscriptions are served over WebSocket at /graphql."))
        start = None if after is None else decode_id(after, EVENT_ID_TYPE)
        async for notification in my_notifications(ctx, start, poll_seconds=ctx.poll_seconds):
            yield MyNotification.from_notification(notification)
