"""GET /audit/export: the audit log as a streamed file, for whoever may read it.

The same scoped read path as `auditLog` (a supervisor gets their subtree), streamed
entry by entry so the response is never built in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from app.transport import json_error
from app.unavailable import unavailable_response
from db import clock
from db.engine import Database, is_unavailable
from policies.actor import ANONYMOUS
from resolvers.audit.export import ExportFormat, export_lines
from resolvers.audit.queries import AuditFilter
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, DomainError, Unauthenticated
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate, bearer_secret, note_token_use
from schema.ids import decode_optional

MEDIA_TYPES = {ExportFormat.JSONL: "application/x-ndjson", ExportFormat.CSV: "text/csv"}


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadUserInput(f"'{name}' must be an ISO 8601 time.") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _filter(request: Request) -> tuple[ExportFormat, AuditFilter]:
    params = request.query_params
    try:
        fmt = ExportFormat(params.get("format", ExportFormat.JSONL.value))
    except ValueError as exc:
        raise BadUserInput("'format' is jsonl or csv.") from exc
    return fmt, AuditFilter(
        subtree_of=decode_optional(params.get("subtree"), "Organisation"),
        occurred_from=_time(params.get("from"), "from"),
        occurred_to=_time(params.get("to"), "to"),
    )


def export_endpoint(db: Database, secret_key: str, actors: ActorCache | None = None) -> Any:
    async def export(request: Request) -> Response:
        state = request.scope.setdefault("state", {})
        ctx = RequestContext(db=db, actor=ANONYMOUS, request_id=state.get("request_id", "-"))
        try:
            secret = bearer_secret(request.headers.get("authorization"))
            if secret is None:
                raise Unauthenticated()
            ctx.actor = await authenticate(
                await ctx.reader(), secret, key=secret_key, today=ctx.today, actors=actors
            )
            await note_token_use(ctx)
            fmt, filter = _filter(request)
            if not ctx.auth.decide("audit", "read").allowed_somewhere:
                await ctx.close()
                return json_error(403, "FORBIDDEN", "You may not read the audit log.")
        except DomainError as error:
            await ctx.close()
            status = {"UNAUTHENTICATED": 401, "BAD_USER_INPUT": 400}.get(error.code.value, 400)
            return json_error(status, error.code.value, error.message)
        except Exception as error:
            await ctx.close()
            if is_unavailable(error):
                return unavailable_response(ctx.request_id)
            raise

        async def body() -> AsyncIterator[str]:
            try:
                async for line in export_lines(ctx, filter, fmt):
                    yield line
            finally:
                await ctx.close()

        filename = f"audit-{clock.now():%Y%m%dT%H%M%SZ}.{fmt.value}"
        return StreamingResponse(
            body(),
            media_type=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return export
