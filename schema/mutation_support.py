"""What every Mutation field shares: turning its input into the resolvers' data, audited.

Turning the input into the resolvers' dataclasses can already fail (a
malformed id); such an attempt is audited as rejected before the error goes
back, so every call of every mutation leaves exactly one audit entry.
Feature modules define their own ``@strawberry.type`` class of mutations with
these helpers; ``schema.mutation.Mutation`` inherits them all. Each field is
``@declared`` from its mutation's declaration in the resolvers, which names it and
gives its description's permission sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from resolvers.audited import record_rejection
from resolvers.errors import DomainError
from resolvers.mutations import Mutation
from schema.context import Info
from schema.input_rules import take_refusal

D = TypeVar("D")
INPUT = "What to change; see the input type."


def sent_fields(input: object) -> dict[str, Any]:
    """The fields the caller actually sent (for the audit entry of a refused call)."""
    return {k: v for k, v in vars(input).items() if v is not strawberry.UNSET}


def declared(spec: Mutation, summary: str, more: str = "") -> Any:
    """The field of SPEC's mutation: named by its operation, described by SUMMARY, the
    declaration's permission sentence and MORE."""
    description = " ".join(part for part in (summary, spec.permission_sentence, more) if part)
    return strawberry.mutation(name=spec.operation, description=description)


async def decode_input(info: Info, spec: Mutation, input: object, convert: Callable[[], D]) -> D:
    """Check the arguments against the input rules and CONVERT the input; a refusal is
    audited as SPEC's operation before it is raised."""
    try:
        refusal = take_refusal()
        if refusal is not None:
            raise refusal
        return convert()
    except DomainError as error:
        await record_rejection(
            info.context, spec.operation, spec.resource_type, sent_fields(input), error
        )
        raise
