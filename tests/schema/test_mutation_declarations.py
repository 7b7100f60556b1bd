"""Every Mutation field is declared once in the resolvers: its name is a declaration's
operation, and its description carries that declaration's permission sentence."""

from __future__ import annotations

import importlib
import pkgutil

import resolvers
from resolvers.mutations import Mutation
from schema.schema import schema


def _declarations() -> dict[str, list[Mutation]]:
    found: dict[str, list[Mutation]] = {}
    seen: set[int] = set()
    for module in pkgutil.walk_packages(resolvers.__path__, "resolvers."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Mutation) and id(value) not in seen:
                seen.add(id(value))
                found.setdefault(value.operation, []).append(value)
    return found


def test_every_mutation_field_has_one_declaration_whose_sentence_it_carries() -> None:
    declarations = _declarations()
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    for name, field in mutation_type.fields.items():
        specs = declarations.get(name, [])
        assert len(specs) == 1, f"{name}: {len(specs)} declarations"
        assert specs[0].permission_sentence in (field.description or ""), name
    assert set(declarations) == set(mutation_type.fields)
