"""GET /audit/export: the audit log as a streamed file, for whoever may read it.

The same scoped read path and the same filters as `auditLog` (a supervisor gets their
subtree): `format` (jsonl, csv with a UTF-8 BOM, xlsx) and `subtree`, `organisation`,
`actor`, `token`, `partner`, `resource` (global ids), `operation`, `resourceType`,
`outcome`, `from`, `to` (ISO times). JSONL and CSV stream entry by entry; an XLSX is
built in constant memory (spilling to a temporary file) and then streamed.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from app.audit_filter import audit_filter, checked
from app.signed_in import request_context, sign_in
from app.transport import json_error
from app.unavailable import unavailable_response
from db import clock
from db.engine import Database, is_unavailable
from resolvers.audit.export import ExportFormat, export_lines, write_xlsx
from resolvers.audit.queries import AuditFilter
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, DomainError
from resolvers.i18n import tr, translate
from resolvers.tokens.actors import ActorCache

MEDIA_TYPES = {
    ExportFormat.JSONL: "application/x-ndjson",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# An XLSX is assembled before it is sent: in memory up to this size, then on disk.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
CHUNK = 64 * 1024


def _format(request: Request) -> ExportFormat:
    try:
        return ExportFormat(request.query_params.get("format", ExportFormat.JSONL.value))
    except ValueError as exc:
        raise BadUserInput(tr("'format' is jsonl, csv or xlsx.")) from exc


def _words(request: Request) -> dict[str, str | None]:
    return {k: v for k, v in request.query_params.items() if k != "format"}


async def _xlsx(ctx: RequestContext, filter: AuditFilter) -> AsyncIterator[bytes]:
    with tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES) as spool:
        await write_xlsx(ctx, filter, spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


def export_endpoint(db: Database, secret_key: str, actors: ActorCache | None = None) -> Any:
    async def export(request: Request) -> Response:
        ctx = request_context(request, db)
        try:
            await sign_in(request, ctx, secret_key, actors)
            fmt = _format(request)
            if not ctx.auth.decide("audit", "read").allowed_somewhere:
                await ctx.close()
                refusal = translate(tr("You may not read the audit log."), ctx.locale)
                return json_error(403, "FORBIDDEN", refusal)
            filter = await checked(ctx, audit_filter(_words(request)))
        except DomainError as error:
            await ctx.close()
            status = {"UNAUTHENTICATED": 401, "BAD_USER_INPUT": 400}.get(error.code.value, 400)
            return json_error(status, error.code.value, translate(error.text, ctx.locale))
        except Exception as error:
            await ctx.close()
            if is_unavailable(error):
                return unavailable_response(ctx.request_id, ctx.locale)
            raise

        async def body() -> AsyncIterator[str | bytes]:
            try:
                if fmt is ExportFormat.XLSX:
                    async for chunk in _xlsx(ctx, filter):
                        yield chunk
                else:
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
