"""Argument-free resolver fields called directly answer what strawberry's own call answers."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission

from schema.lean_resolvers import install_lean_resolvers
from schema.schema import schema as app_schema


class Never(BasePermission):
    message = "never"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Thing:
    value: int

    @strawberry.field
    def doubled(self) -> int:
        return self.value * 2

    @strawberry.field
    def path(self, info: strawberry.Info) -> str:
        return f"{info.path.key}:{info.field_name}:{self.value}"

    @strawberry.field
    @staticmethod
    def from_root(root: Thing) -> int:
        return root.value + 1

    @strawberry.field
    async def later(self) -> int:
        return self.value - 1

    @strawberry.field
    def plus(self, by: int) -> int:
        return self.value + by

    @strawberry.field(permission_classes=[Never])
    def secret(self) -> int:
        return self.value


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(value=1), Thing(value=2)]


DOCUMENT = "{ things { value doubled path fromRoot later plus(by: 3) secret } }"


def _schema(lean: bool) -> strawberry.Schema:
    built = strawberry.Schema(query=Query)
    if lean:
        install_lean_resolvers(built)
    return built


async def test_lean_fields_answer_as_strawberrys_own() -> None:
    plain = await _schema(lean=False).execute(DOCUMENT)
    lean = await _schema(lean=True).execute(DOCUMENT)
    assert lean.data == plain.data
    assert [e.message for e in lean.errors or []] == [e.message for e in plain.errors or []]
    assert plain.errors, "the permission class still refuses"


def test_only_argument_free_fields_without_extensions_change() -> None:
    built = _schema(lean=False)
    fields = built._schema.type_map["Thing"].fields  # type: ignore[union-attr]
    before = {name: field.resolve for name, field in fields.items()}
    install_lean_resolvers(built)
    changed = {name for name, field in fields.items() if field.resolve is not before[name]}
    assert changed == {"doubled", "path", "fromRoot", "later"}


@pytest.mark.parametrize("type_name", ["Issue", "IssueEvent", "Person", "Organisation"])
def test_the_apps_node_fields_are_lean(type_name: str) -> None:
    # Relay's `id` and the related-row fields a list page asks for on every node.
    fields = app_schema._schema.type_map[type_name].fields  # type: ignore[union-attr]
    assert fields["id"].resolve.__qualname__.startswith("_lean.")


class EveryField(SchemaExtension):
    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        return _next(root, info, *args, **kwargs)


def test_a_schema_extension_that_resolves_keeps_strawberrys_calls() -> None:
    # A direct call would skip the extension's `resolve` around every field.
    built = strawberry.Schema(query=Query, extensions=[EveryField])
    assert install_lean_resolvers(built) == 0
    assert install_lean_resolvers(strawberry.Schema(query=Query, extensions=[])) > 0
