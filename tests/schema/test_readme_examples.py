"""Every GraphQL example in the README is valid against the current schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import DocumentNode, parse, validate

from schema.schema import schema

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{n}" for n in range(len(EXAMPLES))])
def test_example_is_valid(example: str) -> None:
    # A block may hold several operations, each sent on its own.
    for operation in parse(example).definitions:
        errors = validate(schema._schema, DocumentNode(definitions=(operation,)))
        assert not errors, [error.message for error in errors]
