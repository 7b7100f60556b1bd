"""/console: the supervisors' web console, served by the app itself.

Pages and assets ship in the package (no CDN, no build). The page's data comes only
through /console/api/graphql, which runs the console's own registered documents with
the session's token, so the console shows exactly what the API allows that person.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from app.console.chain import ChainStatus
from app.console.session import CookiePolicy, csrf_holds, same_origin, session_secret
from app.language import language, say
from app.transport import is_json_media_type, json_error
from app.unavailable import unavailable_response
from db import clock
from db.engine import Database, is_unavailable
from policies.actor import Actor
from resolvers.context import RequestContext
from resolvers.errors import DomainError, Forbidden, Unauthenticated
from resolvers.i18n import tr
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate
from resolvers.tokens.console import REFUSED, may_use_console, sign_in, sign_out

HERE = Path(__file__).parent
STATIC = HERE / "static"
# Pages run only their own scripts and styles, and are never framed.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}

Endpoint = Callable[[Request], Awaitable[Response]]


def load_documents() -> dict[str, str]:
    """The console's operations by name (one .graphql file each)."""
    return {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted((HERE / "documents").glob("*.graphql"))
    }


def with_bearer(request: Request, secret: str) -> dict[str, Any]:
    """REQUEST's scope with the session's token as its Authorization header."""
    headers = [(k, v) for k, v in request.scope["headers"] if k != b"authorization"]
    headers.append((b"authorization", f"Bearer {secret}".encode()))
    return {**request.scope, "headers": headers}


@dataclass
class Console:
    db: Database
    key: str
    actors: ActorCache
    graphql: ASGIApp  # the GraphQL endpoint running only the console's documents
    export: Endpoint  # GET /audit/export
    chain: ChainStatus
    cookies: CookiePolicy
    document_ids: dict[str, str]

    async def _actor(self, request: Request) -> tuple[str, Actor]:
        """The session's secret and actor; refused unless the person may use the console."""
        secret = session_secret(request)
        if secret is None:
            raise Unauthenticated(tr("Sign in to the console first."))
        ctx = self._context(request)
        try:
            actor = await authenticate(
                await ctx.token_reader(), secret, key=self.key, today=ctx.today, actors=self.actors
            )
        finally:
            await ctx.close()
        if not may_use_console(actor):
            raise Forbidden(REFUSED)
        return secret, actor

    def _context(self, request: Request, actor: Actor | None = None) -> RequestContext:
        state = request.scope.setdefault("state", {})
        return RequestContext(
            db=self.db,
            actor=actor or Actor(person_id=None),
            request_id=state.get("request_id", "-"),
            client_address=request.client.host if request.client else None,
            secret_key=self.key,
            today=clock.today(),
        )

    def guarded(self, handler: Endpoint) -> Endpoint:
        """HANDLER with domain refusals answered as JSON errors (and 503 when the database
        is down)."""

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as error:
                status = STATUS.get(error.code.value, 400)
                return json_error(status, error.code.value, say(error.text, request.scope))
            except Exception as error:
                if is_unavailable(error):
                    return unavailable_response(
                        request.scope.get("state", {}).get("request_id", "-"),
                        language(request.scope),
                    )
                raise

        return run

    async def index(self, request: Request) -> Response:
        try:
            await self._actor(request)
        except Forbidden:
            return RedirectResponse("/console/sign-in?refused=1", status_code=303)
        except Unauthenticated:
            return RedirectResponse("/console/sign-in", status_code=303)
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    async def sign_in_page(self, request: Request) -> Response:
        return FileResponse(STATIC / "sign-in.html", headers=PAGE_HEADERS)

    async def documents(self, request: Request) -> Response:
        return JSONResponse(self.document_ids)

    async def sign_in(self, request: Request) -> Response:
        if not same_origin(request) or not is_json_media_type(request.headers.get("content-type")):
            raise Forbidden(tr("Sign in from the console's own page."))
        try:
            code = str(json.loads(await request.body())["code"])
        except (ValueError, KeyError, TypeError) as exc:
            raise Unauthenticated(tr("Send the sign-in code.")) from exc
        ctx = self._context(request)
        session = await sign_in(
            self.db,
            code,
            key=self.key,
            today=ctx.today,
            request_id=ctx.request_id,
            client_address=ctx.client_address,
        )
        response = JSONResponse(
            {"signedIn": True, "expiresAt": session.token.expires_at.isoformat()}
        )
        self.cookies.set_session(response, session.secret, self.key)
        return response

    async def sign_out(self, request: Request) -> Response:
        _, actor = await self._signed_in_with_csrf(request, allow_refused=True)
        ctx = self._context(request, actor)
        try:
            await sign_out(ctx)
        finally:
            await ctx.close()
        response = JSONResponse({"signedOut": True})
        self.cookies.clear(response)
        return response

    async def _signed_in_with_csrf(
        self, request: Request, *, allow_refused: bool = False
    ) -> tuple[str, Actor]:
        secret = session_secret(request)
        if secret is None:
            raise Unauthenticated(tr("Sign in to the console first."))
        if not csrf_holds(request, secret, self.key):
            raise Forbidden(tr("The request lacks this page's CSRF token."))
        if not allow_refused:
            return await self._actor(request)
        ctx = self._context(request)
        try:
            actor = await authenticate(
                await ctx.token_reader(), secret, key=self.key, today=ctx.today, actors=self.actors
            )
        finally:
            await ctx.close()
        return secret, actor

    async def chain_status(self, request: Request) -> Response:
        _, actor = await self._actor(request)
        ctx = self._context(request, actor)
        if not ctx.auth.decide("audit", "read").allowed_somewhere:
            raise Forbidden(tr("You may not read the audit log."))
        return JSONResponse(await self.chain.read())

    async def export_file(self, request: Request) -> Response:
        secret, _ = await self._actor(request)
        return await self.export(Request(with_bearer(request, secret), request.receive))

    async def run_graphql(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            secret, _ = await self._signed_in_with_csrf(request)
        except DomainError as error:
            status = STATUS.get(error.code.value, 400)
            message = say(error.text, scope)
            await json_error(status, error.code.value, message)(scope, receive, send)
            return
        await self.graphql(with_bearer(request, secret), receive, send)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/console", self.index, methods=["GET"]),
            Route("/console/sign-in", self.sign_in_page, methods=["GET"]),
            Route("/console/api/documents", self.documents, methods=["GET"]),
            Route("/console/api/sign-in", self.guarded(self.sign_in), methods=["POST"]),
            Route("/console/api/sign-out", self.guarded(self.sign_out), methods=["POST"]),
            Route("/console/api/chain", self.guarded(self.chain_status), methods=["GET"]),
            Route("/console/api/export", self.guarded(self.export_file), methods=["GET"]),
            Route("/console/api/graphql", _AsgiEndpoint(self.run_graphql), methods=["POST"]),
            Mount("/console/static", StaticFiles(directory=STATIC)),
        ]


class _AsgiEndpoint:
    """A bound method as an ASGI app (a Route treats a plain callable as an endpoint)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
