"""What one request, document or caller may ask of the server."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class LimitSettings(BaseSettings):
    max_query_depth: int = 10
    max_aliases: int = Field(default=30, gt=0, description="Aliases one document may use.")
    max_tokens: int = Field(default=5000, gt=0, description="Tokens one document may have.")
    max_directives: int = Field(default=20, gt=0, description="Directives one document may use.")
    max_duplicate_fields: int = Field(
        default=10, gt=0, description="Times one field may be repeated in a selection."
    )
    max_batch_operations: int = Field(
        default=0, ge=0, description="Operations one batched request may carry; 0: no batching."
    )
    max_query_cost: int = Field(
        default=10_000, description="Most objects one query may return (see schema/cost.py)."
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Largest request body accepted; a GraphQL document within the token limit "
        "plus its variables fits in a fraction of this.",
    )
    request_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A GraphQL request still running after this long is answered 503 TIMEOUT.",
    )
    rate_limit_points: int = Field(
        default=60_000,
        gt=0,
        description="Query cost one token (or address, without a token) may spend per window.",
    )
    rate_limit_window_seconds: float = Field(default=60.0, gt=0, description="The sliding window.")
    redis_url: str | None = Field(
        default=None,
        description="Redis for the rate limit, shared by every app process; unset: per process.",
    )
