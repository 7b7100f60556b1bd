"""The executor: graphql-core's, except that a compiled root field's answer is final."""

from __future__ import annotations

from typing import Any

import orjson
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.compiled.spliced import Spliced


class CompiledReadsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def complete_value(self, *args: Any, **kwargs: Any) -> Any:
        # (return_type, field_details_list, info, path, result, position_context)
        result = args[4] if len(args) > 4 else kwargs["result"]
        if type(result) is Spliced or type(result) is orjson.Fragment:
            return result
        return super().complete_value(*args, **kwargs)
