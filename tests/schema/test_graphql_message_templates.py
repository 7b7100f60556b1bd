"""Every template of schema/graphql_messages.py meets the message the installed graphql-core
really writes for a document that draws it: a graphql-core upgrade that rewords one fails here
(then fix the template, run pybabel, translate), instead of the message silently staying
English. Run against a small schema of its own, so it needs no database."""

from __future__ import annotations

import re
from typing import Any

import pytest
from graphql import (
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    Undefined,
    build_schema,
    parse,
    specified_rules,
    validate,
)
from graphql.execution import execute
from graphql.validation import NoSchemaIntrospectionCustomRule
from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.i18n import Text, translate
from schema.errors import _SUGGESTION as SUGGESTION
from schema.graphql_messages import _PATTERNS, SUGGESTIONS, TEMPLATES, graphql_text

SDL = """
interface Node { id: ID! }
type Issue implements Node { id: ID! title: String count: Int }
type Station implements Node { id: ID! count: Int }
enum Status { REPORTED CLOSED }
scalar Day
input Filter { status: [Status!] title: String }
input Required { compound: ID! }
type Query {
  node(id: ID!): Node
  issues(first: Int, filter: Filter, status: Status, ratio: Float, flag: Boolean,
         title: String, key: ID, required: Required, day: Day): [Issue!]
}
type Subscription { changed: Issue other: Issue }
"""


def _schema() -> GraphQLSchema:
    schema = build_schema(SDL)
    day = schema.type_map["Day"]
    # A custom scalar that can read nothing: graphql-core's generic "found" message.
    day.parse_literal = lambda *_: Undefined  # type: ignore[attr-defined]
    day.parse_value = lambda _: Undefined  # type: ignore[attr-defined]
    return schema


SCHEMA = _schema()
IS = "{ issues(%s) { id } }"
FEW_TOKENS = "{ a b c d e f g }"  # parsed with room for 5
Q = "query ($v: %s) { issues(%s: $v) { id } }"

# (template it draws, document, variables; None: no variables, so validation only).
TRIGGERS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("Syntax Error: {detail}", "{ issues(", None),
    ("Expected {expected}, found {found}.", "{ issues(", None),
    ("Unexpected variable '${variable}' in constant value.", "query ($a: Int = $b) { a }", None),
    ("Unterminated string.", '{ issues(title: "abc) { id } }', None),
    ("Unexpected character: {character}.", "{ issues \u0007 }", None),
    ("Invalid character: {character}.", "{ issues \ud800 }", None),
    ("Invalid character within String: {character}.", IS % 'title: "a\ud800"', None),
    ("Invalid number, unexpected digit after 0: {character}.", IS % "first: 01", None),
    ("Invalid number, expected digit but got: {character}.", IS % "ratio: 1.x", None),
    ("Invalid character escape sequence: {sequence}.", IS % 'title: "\\q"', None),
    ("Invalid Unicode escape sequence: {sequence}.", IS % 'title: "\\uZZZZ"', None),
    ("Document contains more than {count} tokens. Parsing aborted.", FEW_TOKENS, None),
    ("Document is nested too deeply. Parsing aborted.", "{ a " * 5000 + "}" * 5000, None),
    ("Unexpected {token}.", "{ issues { id } } }", None),
    ("Cannot query field '{field}' on type '{type}'.", "{ isues { id } }", None),
    ("Unknown argument '{argument}' on field '{field}'.", IS % "frist: 1", None),
    (
        "Unknown argument '{argument}' on directive '@{directive}'.",
        "{ issues @skip(iff: true) { id } }",
        None,
    ),
    ("Unknown type '{type}'.", "query ($v: Filtr) { issues(filter: $v) { id } }", None),
    ("Unknown directive '@{directive}'.", "{ issues @skp(if: true) { id } }", None),
    (
        "Directive '@{directive}' may not be used on {location}.",
        "query @skip(if: true) { issues { id } }",
        None,
    ),
    (
        "The directive '@{directive}' can only be used once at this location.",
        "{ issues @skip(if: true) @skip(if: true) { id } }",
        None,
    ),
    ("Field '{field}' of type '{type}' must have a selection of subfields.", "{ issues }", None),
    (
        "Field '{field}' must not have a selection since type '{type}' has no subfields.",
        "{ issues { id { x } } }",
        None,
    ),
    (
        "Argument '{argument}' of type '{type}' is required, but it was not provided.",
        "{ node { id } }",
        None,
    ),
    ("There can be only one argument named '{argument}'.", IS % "first: 1, first: 2", None),
    (
        "There can be only one input field named '{field}'.",
        IS % 'filter: {title: "a", title: "b"}',
        None,
    ),
    (
        "GraphQL introspection has been disabled, but the requested query contained the field "
        "'{field}'.",
        "{ __schema { queryType { name } } }",
        None,
    ),
    (
        "Fields '{response}' conflict because {reason}. Use different aliases on the fields to "
        "fetch both if this was intentional.",
        "{ a: issues { id } a: node(id: 1) { id } }",
        None,
    ),
    (
        "'{first}' and '{second}' are different fields",
        "{ a: issues { id } a: node(id: 1) { id } }",
        None,
    ),
    (
        "they have differing arguments",
        "{ a: issues(first: 1) { id } a: issues(first: 2) { id } }",
        None,
    ),
    (
        "they return conflicting types '{first}' and '{second}'",
        "{ node(id: 1) { ... on Issue { x: title } ... on Station { x: count } } }",
        None,
    ),
    ("Variable '${variable}' is not defined.", "{ issues(first: $n) { id } }", None),
    (
        "Variable '${variable}' is not defined by operation '{operation}'.",
        "query Q { issues(first: $n) { id } }",
        None,
    ),
    ("Variable '${variable}' is never used.", "query ($n: Int) { issues { id } }", None),
    (
        "Variable '${variable}' is never used in operation '{operation}'.",
        "query Q($n: Int) { issues { id } }",
        None,
    ),
    (
        "Variable '${variable}' of type '{type}' used in position expecting type '{expected}'.",
        Q % ("String", "first"),
        None,
    ),
    (
        "Variable '${variable}' cannot be non-input type '{type}'.",
        "query ($n: Issue) { issues { id } }",
        None,
    ),
    (
        "There can be only one variable named '${variable}'.",
        "query ($n: Int, $n: Int) { issues(first: $n) { id } }",
        None,
    ),
    (
        "There can be only one operation named '{operation}'.",
        "query Q { issues { id } } query Q { issues { id } }",
        None,
    ),
    (
        "This anonymous operation must be the only defined operation.",
        "{ issues { id } } query Q { issues { id } }",
        None,
    ),
    ("Unknown fragment '{name}'.", "{ ...F }", None),
    ("Fragment '{name}' is never used.", "{ issues { id } } fragment F on Query { a }", None),
    (
        "There can be only one fragment named '{name}'.",
        "{ ...F } fragment F on Query { issues { id } } fragment F on Query { issues { id } }",
        None,
    ),
    (
        "Fragment '{name}' cannot condition on non composite type '{type}'.",
        "{ ...F } fragment F on Int { a }",
        None,
    ),
    (
        "Fragment cannot condition on non composite type '{type}'.",
        "{ ... on Int { a } }",
        None,
    ),
    (
        "Fragment '{name}' cannot be spread here as objects of type '{type}' can never be of "
        "type '{fragment_type}'.",
        "{ issues { ...F } } fragment F on Query { issues { id } }",
        None,
    ),
    (
        "Fragment cannot be spread here as objects of type '{type}' can never be of type "
        "'{fragment_type}'.",
        "{ issues { ... on Query { issues { id } } } }",
        None,
    ),
    (
        "Anonymous Subscription must select only one top level field.",
        "subscription { changed { id } other { id } }",
        None,
    ),
    (
        "Subscription '{operation}' must select only one top level field.",
        "subscription S { changed { id } other { id } }",
        None,
    ),
    (
        "Anonymous Subscription must not select an introspection top level field.",
        "subscription { __typename }",
        None,
    ),
    (
        "Subscription '{operation}' must not select an introspection top level field.",
        "subscription S { __typename }",
        None,
    ),
    ("Variable '${variable}' has invalid value: {detail}", Q % ("Int", "first"), {"v": "x"}),
    (
        "Variable '${variable}' has invalid value at {path}: {detail}",
        Q % ("Filter", "filter"),
        {"v": {"status": ["REPORTD"]}},
    ),
    (
        "Expected a value of non-null type '{type}' to be provided.",
        "query ($v: ID!) { node(id: $v) { id } }",
        {},
    ),
    (
        "Expected value of non-null type '{type}' not to be None.",
        "query ($v: ID!) { node(id: $v) { id } }",
        {"v": None},
    ),
    (
        "Expected value of type '{type}' to be an object, found: {value}.",
        IS % "filter: 5",
        None,
    ),
    (
        "Expected value of type '{type}' to include required field '{field}', found: {value}.",
        IS % "required: {}",
        None,
    ),
    (
        "Expected value of type '{type}' not to include unknown field '{field}', found: {value}.",
        IS % "filter: {zzzzzz: 1}",
        None,
    ),
    (
        "Expected value of type '{type}' not to include unknown field '{field}'. Found: {value}.",
        IS % "filter: {titel: 1}",  # production takes out the suggestion between the two
        None,
    ),
    ("Expected value of type '{type}', found: {value}.", IS % 'day: "x"', None),
    (
        "Value '{value}' does not exist in '{enum}' enum.",
        Q % ("Status", "status"),
        {"v": "REPORTD"},
    ),
    ("Enum '{enum}' cannot represent non-enum value: {value}.", IS % 'status: "CLOSED"', None),
    (
        "Enum '{enum}' cannot represent non-string value: {value}.",
        Q % ("Status", "status"),
        {"v": 5},
    ),
    ("Int cannot represent non-integer value: {value}", IS % "first: 1.5", None),
    (
        "Int cannot represent non 32-bit signed integer value: {value}",
        IS % "first: 9999999999",
        None,
    ),
    ("Float cannot represent non numeric value: {value}", IS % 'ratio: "x"', None),
    ("String cannot represent a non string value: {value}", IS % "title: 5", None),
    ("Boolean cannot represent a non boolean value: {value}", IS % "flag: 5", None),
    ("ID cannot represent a non-string and non-integer value: {value}", IS % "key: 1.5", None),
    ("ID cannot represent value: {value}", Q % ("ID", "key"), {"v": 1.5}),
    ("Int cannot represent non-integer value: {value}", Q % ("Int", "first"), {"v": "1"}),
    ("Float cannot represent non numeric value: {value}", Q % ("Float", "ratio"), {"v": "x"}),
    ("String cannot represent a non string value: {value}", Q % ("String", "title"), {"v": 5}),
    ("Boolean cannot represent a non boolean value: {value}", Q % ("Boolean", "flag"), {"v": 5}),
    (
        "Unexpected single quote character ('), did you mean to use a double quote (\")?",
        IS % "title: 'x'",
        None,
    ),
    ("Unexpected '..', did you mean '...'?", "{ issues { ..F } }", None),
    (
        "Invalid number, expected digit before '.', did you mean '0.{digits}'?",
        IS % "ratio: .5",
        None,
    ),
    # Suggestions, as graphql-core appends them.
    ("Did you mean {names}?", "{ isues { id } }", None),
    ("Did you mean the enum value {names}?", IS % "status: REPORTD", None),
    (
        "Did you mean to use an inline fragment on {names}?",
        "{ node(id: 1) { title } }",
        None,
    ),
]


# strawberry's scalars, drawn from Jinlin's own schema (strawberry writes these messages).
ISSUES = "query ($f: IssueFilter) { issues(filter: $f) { totalCount } }"
STRAWBERRY_TRIGGERS: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        'Value cannot represent a {scalar}: "{value}". {detail}',
        '{ issues(filter: {createdFrom: "yesterday"}) { totalCount } }',
        None,
    ),
    (
        'Value cannot represent a {scalar}: "{value}". Expected a string.',
        ISSUES,
        {"f": {"createdFrom": 5}},
    ),
]


def _messages(
    document: str, variables: dict[str, Any] | None, schema: GraphQLSchema = SCHEMA
) -> list[str]:
    """graphql-core's messages for DOCUMENT: syntax, validation, then coercing VARIABLES."""
    try:
        parsed = parse(document, max_tokens=5 if document == FEW_TOKENS else None)
    except GraphQLSyntaxError as error:
        return [error.message]
    rules = (*specified_rules, NoSchemaIntrospectionCustomRule)
    errors: list[GraphQLError] = validate(schema, parsed, rules)
    if not errors and variables is not None:
        result = execute(schema, parsed, variable_values=variables)
        assert not isinstance(result, type(None))
        errors = list(getattr(result, "errors", None) or [])
    return [e.message for e in errors]


def _msgids(text: Text) -> set[str]:
    """TEXT's message id and those of the messages nested in it."""
    found = {text.msgid}
    for value in text.params.values():
        if isinstance(value, Text):
            found |= _msgids(value)
    return found


def _stripped(message: str) -> str:
    return SUGGESTION.sub("", message)


def test_every_template_has_a_document_that_draws_it() -> None:
    table = {t.msgid for t in (*TEMPLATES, *SUGGESTIONS)}
    assert table == {msgid for msgid, _, _ in (*TRIGGERS, *STRAWBERRY_TRIGGERS)}


def _jinlin() -> GraphQLSchema:
    from schema.schema import build_schema as build_jinlin

    return build_jinlin()._schema  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    ("msgid", "document", "variables", "jinlin"),
    [(*t, False) for t in TRIGGERS] + [(*t, True) for t in STRAWBERRY_TRIGGERS],
    ids=lambda v: str(v)[:40],
)
def test_a_template_matches_what_graphql_core_writes(
    msgid: str, document: str, variables: dict[str, Any] | None, jinlin: bool
) -> None:
    messages = _messages(document, variables, _jinlin() if jinlin else SCHEMA)
    assert messages, document
    recognised: dict[str, Text] = {}
    for message in messages:
        for written in (message, _stripped(message)):
            text = graphql_text(written)
            if text is not None:
                recognised[written] = text
    matching = {m: t for m, t in recognised.items() if msgid in _msgids(t)}
    assert matching, (msgid, messages)
    for message, text in matching.items():
        # Nothing lost: the placeholders hold graphql-core's words, and give its English back
        # (but for a suggestion inside the sentence, which a translation puts at its end).
        if _stripped(message) == message or message.endswith("?"):
            assert str(text) == message
        assert translate(text, "zh_Hans") != message


_GRAPHQL_NAME = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,20}", fullmatch=True)
# Templates whose every placeholder is a name (a field, a type, an argument...).
_NAMED_ONLY = [t for t in TEMPLATES if not set(re.findall(r"\{(\w+)\}", t.msgid)) & set(_PATTERNS)]


@pytest.mark.parametrize("template", _NAMED_ONLY, ids=lambda t: t.msgid[:40])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_names_are_read_back_as_written(template: Text, data: st.DataObject) -> None:
    """Whatever the names, the template reads them back exactly, none swallowing another."""
    names = {name: data.draw(_GRAPHQL_NAME) for name in re.findall(r"\{(\w+)\}", template.msgid)}
    written = Text(template.msgid, names)
    assert graphql_text(str(written)) == written
