"""The executor: graphql-core's, except that a compiled root field's answer is final."""

from __future__ import annotations

from typing import Any

import orjson
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.compiled.spliced import Spliced

# graphql-core's own, called directly: this runs for every value of every response (a
# 100-issue page completes ~2,700), where the super() lookup and the repacking of *args
# were a twentieth of the request.
_complete_value = StrawberryGraphQLCoreExecutionContext.complete_value
_FINAL = (Spliced, orjson.Fragment)


class CompiledReadsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def complete_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any = None,
    ) -> Any:
        if type(result) in _FINAL:
            return result
        return _complete_value(
            self, return_type, field_details_list, info, path, result, position_context
        )
