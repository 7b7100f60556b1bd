"""graphql-core's own messages (syntax, validation, coercion of values) in the request's
language: each known template of graphql-core's English becomes a `tr` Text whose placeholders
hold the names exactly as graphql-core wrote them (a field, a type, a value: never translated).

A message no template matches stays as graphql-core wrote it: English, never a guess. A part
that is itself one of graphql-core's messages (the detail after "Syntax Error:", the reason of
a coercion failure) is recognised in turn, or kept in English inside the translated frame.
The table is written against the installed graphql-core; tests/schema/test_graphql_messages.py
makes every template meet the message a document really draws, so a new wording fails there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resolvers.i18n import Text, tr

# Templates, most specific first (the first that matches the whole message wins).
TEMPLATES: tuple[Text, ...] = (
    # Syntax (parse) errors: the frame, then its details.
    tr("Syntax Error: {detail}"),
    tr("Expected {expected}, found {found}."),
    tr("Unexpected variable '${variable}' in constant value."),
    tr("Unterminated string."),
    tr("Unexpected character: {character}."),
    tr("Invalid character: {character}."),
    tr("Invalid character within String: {character}."),
    tr("Invalid number, unexpected digit after 0: {character}."),
    tr("Invalid number, expected digit but got: {character}."),
    tr("Invalid character escape sequence: {sequence}."),
    tr("Invalid Unicode escape sequence: {sequence}."),
    tr("Document contains more than {count} tokens. Parsing aborted."),
    tr("Document is nested too deeply. Parsing aborted."),
    tr("Unexpected single quote character ('), did you mean to use a double quote (\")?"),
    tr("Unexpected '..', did you mean '...'?"),
    tr("Invalid number, expected digit before '.', did you mean '0.{digits}'?"),
    tr("Unexpected {token}."),
    # Validation: fields, arguments, types, directives.
    tr("Cannot query field '{field}' on type '{type}'."),
    tr("Unknown argument '{argument}' on field '{field}'."),
    tr("Unknown argument '{argument}' on directive '@{directive}'."),
    tr("Unknown type '{type}'."),
    tr("Unknown directive '@{directive}'."),
    tr("Directive '@{directive}' may not be used on {location}."),
    tr("The directive '@{directive}' can only be used once at this location."),
    tr("Field '{field}' of type '{type}' must have a selection of subfields."),
    tr("Field '{field}' must not have a selection since type '{type}' has no subfields."),
    tr("Argument '{argument}' of type '{type}' is required, but it was not provided."),
    tr("There can be only one argument named '{argument}'."),
    tr("There can be only one input field named '{field}'."),
    tr(
        "GraphQL introspection has been disabled, but the requested query contained the field "
        "'{field}'."
    ),
    tr(
        "Fields '{response}' conflict because {reason}. Use different aliases on the fields to "
        "fetch both if this was intentional."
    ),
    tr("'{first}' and '{second}' are different fields"),
    tr("they have differing arguments"),
    tr("they return conflicting types '{first}' and '{second}'"),
    # Validation: variables.
    tr("Variable '${variable}' is not defined."),
    tr("Variable '${variable}' is not defined by operation '{operation}'."),
    tr("Variable '${variable}' is never used."),
    tr("Variable '${variable}' is never used in operation '{operation}'."),
    tr("Variable '${variable}' of type '{type}' used in position expecting type '{expected}'."),
    tr("Variable '${variable}' cannot be non-input type '{type}'."),
    tr("There can be only one variable named '${variable}'."),
    # Validation: operations and fragments.
    tr("There can be only one operation named '{operation}'."),
    tr("This anonymous operation must be the only defined operation."),
    tr("Unknown fragment '{name}'."),
    tr("Fragment '{name}' is never used."),
    tr("There can be only one fragment named '{name}'."),
    tr("Fragment '{name}' cannot condition on non composite type '{type}'."),
    tr("Fragment cannot condition on non composite type '{type}'."),
    tr(
        "Fragment '{name}' cannot be spread here as objects of type '{type}' can never be of "
        "type '{fragment_type}'."
    ),
    tr(
        "Fragment cannot be spread here as objects of type '{type}' can never be of type "
        "'{fragment_type}'."
    ),
    tr("Anonymous Subscription must select only one top level field."),
    tr("Subscription '{operation}' must select only one top level field."),
    tr("Anonymous Subscription must not select an introspection top level field."),
    tr("Subscription '{operation}' must not select an introspection top level field."),
    # Values: variables at execution, literals at validation.
    tr("Variable '${variable}' has invalid value: {detail}"),
    tr("Variable '${variable}' has invalid value at {path}: {detail}"),
    tr("Expected a value of non-null type '{type}' to be provided."),
    tr("Expected value of non-null type '{type}' not to be None."),
    tr("Expected value of type '{type}' to be an object, found: {value}."),
    tr("Expected value of type '{type}' to include required field '{field}', found: {value}."),
    tr("Expected value of type '{type}' not to include unknown field '{field}', found: {value}."),
    # The same, its suggestion taken out (" Did you mean 'x'?" stood before "Found").
    tr("Expected value of type '{type}' not to include unknown field '{field}'. Found: {value}."),
    tr("Expected value of type '{type}', found: {value}."),
    tr("Value '{value}' does not exist in '{enum}' enum."),
    tr("Enum '{enum}' cannot represent non-enum value: {value}."),
    tr("Enum '{enum}' cannot represent non-string value: {value}."),
    tr("Int cannot represent non-integer value: {value}"),
    tr("Int cannot represent non 32-bit signed integer value: {value}"),
    tr("Float cannot represent non numeric value: {value}"),
    tr("String cannot represent a non string value: {value}"),
    tr("Boolean cannot represent a non boolean value: {value}"),
    tr("ID cannot represent a non-string and non-integer value: {value}"),
    tr("ID cannot represent value: {value}"),
    # strawberry's scalars (Date, DateTime); the detail is Python's own words.
    tr('Value cannot represent a {scalar}: "{value}". Expected a string.'),
    tr('Value cannot represent a {scalar}: "{value}". {detail}'),
)

# graphql-core's suggestion, as graphql.pyutils.did_you_mean writes it, most specific first.
SUGGESTIONS: tuple[Text, ...] = (
    tr("Did you mean the enum value {names}?"),
    tr("Did you mean to use an inline fragment on {names}?"),
    tr("Did you mean {names}?"),
)
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")
_QUOTED = re.compile(r"'[^']*'")

# A token as the parser describes it: <EOF>, '}', Name, or Name 'issues'.
_LEXEME = r"(?:<EOF>|'[^']*'|(?:Name|Int|Float|String|BlockString)(?: '.*')?)"
# Placeholders whose value is one of graphql-core's messages again.
_NESTED = frozenset({"detail", "reason"})
# What a placeholder may hold; a name in quotes by default (no GraphQL name has a quote).
_PATTERNS = {
    "detail": r".+",
    "reason": r".+?",
    "value": r".+?",
    "expected": r".+?",
    "found": _LEXEME,
    "token": _LEXEME,
    "character": r".+?",
    "sequence": r".+?",
    "path": r"\S+",
    "location": r"[a-z ]+",
    "count": r"\d+",
    "digits": r"\d+",
    "scalar": r"\w+",
    "names": r"'.*'",
}
_NAME = r"[^']+"
# Longer messages (a huge value printed in them) are left as written, not searched.
_MAX_LENGTH = 4000


@dataclass(frozen=True)
class _Template:
    text: Text
    pattern: re.Pattern[str]


def _compile(text: Text) -> _Template:
    parts = re.split(r"\{(\w+)\}", text.msgid)
    pattern = "".join(
        f"(?P<{part}>{_PATTERNS.get(part, _NAME)})" if odd else re.escape(part)
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )
    return _Template(text, re.compile(pattern, re.DOTALL))


_COMPILED = tuple(_compile(t) for t in TEMPLATES)
_COMPILED_SUGGESTIONS = tuple(_compile(t) for t in SUGGESTIONS)


def graphql_text(message: str) -> Text | None:
    """MESSAGE (graphql-core's English) as a Text to translate, or None when not recognised.
    Its English (str) is MESSAGE again, but for a suggestion graphql-core wrote inside the
    sentence, which the Text puts at its end."""
    if len(message) > _MAX_LENGTH:
        return None
    suggestions = _SUGGESTION.findall(message)
    if len(suggestions) > 1:
        return None
    base = _recognise(_SUGGESTION.sub("", message)) if suggestions else _recognise(message)
    if base is None or not suggestions:
        return base
    # Wherever graphql-core put it (an unknown input field's stands before "Found"), the
    # suggestion follows the sentence it belongs to.
    hint = _match(_COMPILED_SUGGESTIONS, suggestions[0].strip())
    names = _or_list(str(hint.params["names"])) if hint is not None else None
    if hint is None or names is None:
        return None
    suggestion = Text(hint.msgid, {"names": names})
    return tr("{message} {suggestion}", message=base, suggestion=suggestion)


def _recognise(message: str) -> Text | None:
    found = _match(_COMPILED, message)
    if found is None:
        return None
    params = {
        name: (_recognise(str(value)) or value) if name in _NESTED else value
        for name, value in found.params.items()
    }
    return Text(found.msgid, params)


def _match(templates: tuple[_Template, ...], message: str) -> Text | None:
    for template in templates:
        matched = template.pattern.fullmatch(message)
        if matched is not None:
            return Text(template.text.msgid, matched.groupdict())
    return None


def _or_list(names: str) -> Text | str | None:
    """graphql-core's "'a', 'b', or 'c'" with its "or" in the reader's language; None when
    NAMES is not such a list (then the whole message stays English)."""
    items: list[str] = _QUOTED.findall(names)
    if len(items) == 1 and names == items[0]:
        return items[0]
    if len(items) == 2 and names == f"{items[0]} or {items[1]}":
        return tr("{first} or {second}", first=items[0], second=items[1])
    if len(items) > 2 and names == f"{', '.join(items[:-1])}, or {items[-1]}":
        return tr("{items}, or {last}", items=", ".join(items[:-1]), last=items[-1])
    return None
