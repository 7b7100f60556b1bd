"""The caller of a plain HTTP endpoint (export, uploads) from its bearer token, as /graphql
knows it: the token authenticated (its actor kept while the access epoch stands still) and
its use noted. A missing token is refused here; /graphql alone serves anonymous callers."""

from __future__ import annotations

from starlette.requests import Request

from db.engine import Database
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.errors import Unauthenticated
from resolvers.i18n import negotiate
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate, bearer_secret, note_token_use


def request_context(request: Request, db: Database) -> RequestContext:
    """A context for REQUEST, still anonymous, carrying its request id and language."""
    state = request.scope.setdefault("state", {})
    return RequestContext(
        db=db,
        actor=ANONYMOUS,
        request_id=state.get("request_id", "-"),
        locale=negotiate(request.headers.get("accept-language")),
    )


async def sign_in(
    request: Request, ctx: RequestContext, secret_key: str, actors: ActorCache | None
) -> None:
    """Make CTX the bearer's: Unauthenticated without a token or with a bad one."""
    secret = bearer_secret(request.headers.get("authorization"))
    if secret is None:
        raise Unauthenticated()
    ctx.actor = await authenticate(
        await ctx.token_reader(), secret, key=secret_key, today=ctx.today, actors=actors
    )
    await note_token_use(ctx)
