"""The /graphql endpoint: transport rules, bearer token -> actor -> context -> strawberry."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import structlog
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from app.graphiql import PAGE as GRAPHIQL_PAGE
from app.language import say
from app.observability import RequestFacts, facts_of, note_error
from app.request_body import check_operation, decode_body
from app.transport import (
    BAD_REQUEST,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    TIMEOUT,
    UNSUPPORTED_MEDIA_TYPE,
    is_json_media_type,
    json_error,
)
from app.trusted_documents import TrustedDocuments
from app.unavailable import retry_after_of, stopped_response, unavailable_response
from db import clock
from db.engine import Database, is_unavailable
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, Unauthenticated
from resolvers.i18n import negotiate, tr, translate
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate, bearer_secret, note_token_use
from schema.documents import DocumentPipeline

log = structlog.get_logger("jinlin.http")

CONTEXT_KEY = "jinlin_context"
_STATUS_CODES = {400: BAD_REQUEST, 404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}


class JinlinGraphQL(GraphQL[RequestContext, None]):
    documents = TrustedDocuments({}, only=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            # strawberry answers transport errors in plain text; ours are GraphQL-shaped JSON.
            code = getattr(error, "code", None) or _STATUS_CODES.get(error.status_code, BAD_REQUEST)
            note_error(scope, code)
            response = json_error(error.status_code, code, error.reason)
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Any) -> Response:
        # Our page, with every asset from the package (strawberry's loads them from a CDN).
        return HTMLResponse(GRAPHIQL_PAGE)

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        context: RequestContext = request.scope["state"][CONTEXT_KEY]
        context.splice_json = True
        return context

    def encode_json(self, data: object) -> bytes:
        # orjson copies the JSON a compiled read built in the database (orjson.Fragment)
        # into the response as it is, without decoding it first.
        return orjson.dumps(data)

    def parse_json(self, data: str | bytes) -> Any:
        parsed = decode_body(data)
        if isinstance(parsed, list):
            if self.schema.config.batching_config is None:
                raise HTTPException(
                    400, "Batched operations are not accepted: send one operation per request."
                )
            return [
                self.documents.resolve(check_operation(o, f"Operation {n} of the batch"))
                for n, o in enumerate(parsed, start=1)
            ]
        return self.documents.resolve(check_operation(parsed))

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # The endpoint admits only POST with JSON and has set the media type to exactly
        # "application/json", and parse_json checks each operation's members, so what
        # strawberry would parse again (the header, through email.message) is known here.
        if (
            request.method != "POST"
            or request.content_type != "application/json"
            or self._get_stream_transport_from_headers(request.headers) is not None
        ):
            return await super().parse_http_body(request)
        data = self.parse_json(await request.get_body())
        if isinstance(data, list):
            self._validate_batch_request(data, protocol="http")
            return [_request_data(operation) for operation in data]
        return _request_data(data)

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: RequestContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        facts = facts_of(request.scope)
        self._note_operation_name(facts, request_data)  # a document seen before: named now
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        retry_after = retry_after_of(result.errors)
        if retry_after is not None:  # the database is unreachable: 503, retry later
            sub_response.status_code = 503
            sub_response.headers["Retry-After"] = str(retry_after)
        if facts is not None:
            self._note_operation_name(facts, request_data)
            cost = (result.extensions or {}).get("cost", {})
            if isinstance(cost, dict) and isinstance(cost.get("requested"), int):
                facts.cost = cost["requested"]
            for error in result.errors or ():
                facts.error_codes.append(str((error.extensions or {}).get("code", "UNKNOWN")))
        return result

    def _note_operation_name(
        self, facts: RequestFacts | None, request_data: GraphQLRequestData
    ) -> None:
        """The operation's name for the log: the client's, or the only one in its document.

        Read from the documents the schema has parsed (once, off the event loop); never
        parsed here."""
        if facts is None or facts.operation_name is not None:
            return
        documents = getattr(self.schema, "documents", None)
        if request_data.operation_name is not None:
            facts.operation_name = request_data.operation_name
        elif isinstance(request_data.query, str) and isinstance(documents, DocumentPipeline):
            facts.operation_name = documents.operation_name(request_data.query)


def _request_data(operation: dict[str, Any]) -> GraphQLRequestData:
    return GraphQLRequestData(
        query=operation.get("query"),
        variables=operation.get("variables"),
        operation_name=operation.get("operationName"),
        extensions=operation.get("extensions"),
    )


class GraphQLEndpoint:
    """Applies the transport rules, then authenticates the caller before strawberry runs.

    Only POST with `application/json` carries operations (GET serves GraphiQL in
    development, nothing else). A missing token means an anonymous caller; a wrong,
    expired or revoked one is refused with 401 and a GraphQL-shaped error, before any
    query runs. A request still running after TIMEOUT seconds is answered 503.
    """

    def __init__(
        self,
        graphql: JinlinGraphQL,
        db: Database,
        secret_key: str,
        *,
        timeout: float = 30.0,
        actors: ActorCache | None = None,
        compiled_reads: bool = True,
    ) -> None:
        self.graphql = graphql
        self.compiled_reads = compiled_reads
        self.db = db
        self.secret_key = secret_key
        self.timeout = timeout
        # Actors derived for tokens, reused while the access epoch stands still.
        self.actors = actors if actors is not None else ActorCache()

    def _transport_refusal(self, request: Request) -> tuple[str, Response] | None:
        if request.method == "POST":
            if is_json_media_type(request.headers.get("content-type")):
                return None
            return UNSUPPORTED_MEDIA_TYPE, json_error(
                415,
                UNSUPPORTED_MEDIA_TYPE,
                say(
                    tr(
                        "POST /graphql accepts only Content-Type: application/json (a body "
                        'like {{"query": "...", "variables": {{...}}}}).'
                    ),
                    request.scope,
                ),
            )
        wants_page = "query" not in request.query_params and any(
            accepted in request.headers.get("accept", "") for accepted in ("text/html", "*/*")
        )
        if request.method == "GET" and wants_page:
            return None  # GraphiQL in development; strawberry answers 404 in production
        return METHOD_NOT_ALLOWED, json_error(
            405,
            METHOD_NOT_ALLOWED,
            say(
                tr(
                    "GraphQL operations are accepted only as POST with Content-Type: "
                    "application/json; queries and mutations over GET are refused."
                ),
                request.scope,
            ),
            headers={"Allow": "POST"},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        refusal = self._transport_refusal(request)
        if refusal is not None:
            code, response = refusal
            note_error(scope, code)
            await response(scope, receive, send)
            return
        if request.method == "POST":
            # Validated above; strawberry matches the media type case-sensitively.
            MutableHeaders(scope=scope)["content-type"] = "application/json"
        state = scope.setdefault("state", {})
        client = request.client.host if request.client else None
        context = RequestContext(
            db=self.db,
            actor=ANONYMOUS,
            request_id=state.get("request_id", "-"),
            client_address=client,
            locale=negotiate(request.headers.get("accept-language")),
            secret_key=self.secret_key,
            today=clock.today(),
            compiled_reads=self.compiled_reads,
        )
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(self.timeout):
                await self._authenticated(scope, receive, tracking_send, request, context)
        except TimeoutError:
            if started:
                raise
            note_error(scope, TIMEOUT)
            seconds = f"{self.timeout:g}"
            response = json_error(
                503,
                TIMEOUT,
                translate(
                    tr(
                        "The request took longer than {seconds} seconds and was stopped; quote "
                        "request id {request_id} when reporting it.",
                        seconds=seconds,
                        request_id=context.request_id,
                    ),
                    context.locale,
                ),
                requestId=context.request_id,
            )
            await response(scope, receive, send)
        except asyncio.CancelledError:
            # Only a shutdown cancels a request: still running when its grace ended
            # (app/cli/serve.py), past its own timeout. Answered here, not with uvicorn's
            # bare 500; the cancellation ends with this request, which is all it stops.
            if started:
                raise
            note_error(scope, ErrorCode.UNAVAILABLE.value)
            log.warning("request stopped at the shutdown grace")
            await stopped_response(context.request_id)(scope, receive, send)
        finally:
            await context.close()

    async def _authenticated(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request,
        context: RequestContext,
    ) -> None:
        try:
            secret = bearer_secret(request.headers.get("authorization"))
            if secret is not None:
                context.actor = await authenticate(
                    await context.token_reader(),
                    secret,
                    key=self.secret_key,
                    today=context.today,
                    actors=self.actors,
                )
                await note_token_use(context)
        except Unauthenticated as error:
            note_error(scope, error.code.value)
            response = json_error(
                401,
                error.code.value,
                translate(error.text, context.locale),
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        except Exception as error:
            if not is_unavailable(error):
                raise
            note_error(scope, ErrorCode.UNAVAILABLE.value)
            await unavailable_response(context.request_id, context.locale)(scope, receive, send)
            return
        facts = facts_of(scope)
        if facts is not None:
            facts.person_id = context.actor.person_id
            facts.token_id = context.actor.token_id
        scope["state"][CONTEXT_KEY] = context
        await self.graphql(scope, receive, send)
