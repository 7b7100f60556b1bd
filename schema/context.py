"""The strawberry Info type: our request context is the GraphQL context value."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from resolvers.context import RequestContext

Info: TypeAlias = strawberry.Info[RequestContext, None]
