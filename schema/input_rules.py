"""One set of scalar rules for every argument and input field, generated from the schema.

After GraphQL has coerced a field's arguments and before its resolver runs, each value
is walked against its GraphQL type and every scalar in it is checked:

- String: no control characters but newline, carriage return and tab (a NUL cannot be
  stored by PostgreSQL; the others hide text), no lone surrogates, and at most the
  length of the column it is stored in (schema.input_lengths);
- ID: exactly the text this API gives out (schema.ids);
- DateTime: with its time zone, between MIN_MOMENT and MAX_MOMENT;
- Date: between MIN_DAY and MAX_DAY.

The range is 1900–2199: the oldest facts the domain records (party membership, positions)
lie after 1900 and no plan or expiry reaches 2200, while both ends stay far from the
calendar's own (years 1 and 9999), where converting a time zone or adding days overflows.

A violation is BAD_USER_INPUT naming the argument's path (``input.title``,
``filter.createdFrom``, ``input.criteria[1].name``), checked by a wrapper around each
resolver that takes such values. A Mutation field's refusal is handed to
schema.mutation_support.decode_input, which audits it as REJECTED like any other bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, date, datetime
from inspect import isawaitable
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
)

from resolvers.errors import BadUserInput
from resolvers.i18n import Text, tr
from resolvers.validation import UNSAFE_TEXT
from schema.ids import MAX_GLOBAL_ID_LENGTH, parse_global_id, quoted
from schema.input_lengths import ARGUMENT_LENGTHS, INPUT_FIELD_LENGTHS, NOT_NULL

MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(2199, 12, 31)
MIN_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
MAX_MOMENT = datetime(2200, 1, 1, tzinfo=UTC)
CHECKED_SCALARS = frozenset({"String", "ID", "DateTime", "Date"})
RULES_KEY = "jinlin-input-rules"  # marks a field whose resolver is wrapped

ArgumentsCheck = Callable[[Mapping[str, Any]], None]


def _refuse(path: str, problem: Text) -> BadUserInput:
    return BadUserInput(tr("{path} {problem}", path=path, problem=problem), field=path)


def check_text(value: str, path: str, limit: int) -> None:
    if len(value) > limit:
        raise _refuse(
            path,
            tr(
                "is {length} characters long; at most {limit} characters are allowed.",
                length=len(value),
                limit=limit,
            ),
        )
    found = UNSAFE_TEXT.search(value)
    if found is not None:
        character = f"U+{ord(found.group()):04X}"
        raise _refuse(
            path,
            tr(
                "holds the control character {character} at position {position}; only text, "
                "newlines and tabs are allowed.",
                character=character,
                position=found.start(),
            ),
        )


def check_id(value: str, path: str) -> None:
    if len(value) > MAX_GLOBAL_ID_LENGTH:
        raise _refuse(
            path,
            tr("is not an id this API gave out ({length} characters long).", length=len(value)),
        )
    try:
        parse_global_id(value)
    except BadUserInput as error:
        raise _refuse(
            path, tr("is not an id this API gave out: {value}.", value=quoted(value))
        ) from error


def check_moment(value: datetime, path: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _refuse(path, tr("needs its time zone, e.g. 2026-01-10T10:00:00+08:00."))
    try:
        in_range = MIN_MOMENT <= value.astimezone(UTC) < MAX_MOMENT
    except OverflowError:  # years 1 and 9999 may have no UTC equivalent at all
        in_range = False
    if not in_range:
        raise _refuse(
            path, tr("must lie between {first} and {last}.", first=MIN_DAY.year, last=MAX_DAY.year)
        )


def check_day(value: date, path: str) -> None:
    if not MIN_DAY <= value <= MAX_DAY:
        raise _refuse(path, tr("must lie between {first} and {last}.", first=MIN_DAY, last=MAX_DAY))


def _check_scalar(value: Any, scalar: GraphQLScalarType, path: str, limit: int | None) -> None:
    name = scalar.name
    if name == "String" and isinstance(value, str):
        # Every String has a length (install_input_rules refuses a schema without one).
        check_text(value, path, limit if limit is not None else 0)
    elif name == "ID" and isinstance(value, str):
        check_id(value, path)
    elif name == "DateTime" and isinstance(value, datetime):
        check_moment(value, path)
    elif name == "Date" and isinstance(value, date) and not isinstance(value, datetime):
        check_day(value, path)


def _needs_check(type_: Any, seen: set[str] | None = None) -> bool:
    """Whether a value of TYPE_ can hold a scalar that has a rule."""
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    if isinstance(type_, GraphQLScalarType):
        return type_.name in CHECKED_SCALARS
    if isinstance(type_, GraphQLInputObjectType):
        seen = set() if seen is None else seen
        if type_.name in seen:
            return False
        seen.add(type_.name)
        return any(_needs_check(f.type, seen) for f in type_.fields.values())
    return False


def check_value(value: Any, type_: GraphQLInputType, path: str, limit: int | None) -> None:
    """Walk a coerced VALUE of TYPE_; LIMIT is the length of the text it holds, if any."""
    if value is None:
        return
    if isinstance(type_, GraphQLNonNull):
        check_value(value, type_.of_type, path, limit)
    elif isinstance(type_, GraphQLList):
        for index, item in enumerate(value):
            check_value(item, type_.of_type, f"{path}[{index}]", limit)
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            if name in value and value[name] is None and (type_.name, name) in NOT_NULL:
                raise _refuse(f"{path}.{name}", tr("may be left out (to keep it) but not null."))
            if name in value:
                check_value(
                    value[name],
                    field.type,
                    f"{path}.{name}",
                    INPUT_FIELD_LENGTHS.get((type_.name, name)),
                )
    elif isinstance(type_, GraphQLScalarType):
        _check_scalar(value, type_, path, limit)


def arguments_check(arguments: Mapping[str, GraphQLArgument]) -> ArgumentsCheck | None:
    """A check of a field's coerced arguments, or None when none of them has a rule."""
    checked = {name: a for name, a in arguments.items() if _needs_check(a.type)}
    if not checked:
        return None

    def check(values: Mapping[str, Any]) -> None:
        for name, argument in checked.items():
            if name in values:
                check_value(values[name], argument.type, name, ARGUMENT_LENGTHS.get(name))

    return check


def missing_lengths(schema: GraphQLSchema) -> list[str]:
    """Every String argument or input field of SCHEMA without a declared length."""
    missing: list[str] = []
    for type_name, type_ in schema.type_map.items():
        if type_name.startswith("__"):
            continue
        if isinstance(type_, GraphQLInputObjectType):
            missing += [
                f"{type_name}.{name}"
                for name, field in type_.fields.items()
                if _is_string(field.type) and (type_name, name) not in INPUT_FIELD_LENGTHS
            ]
        elif isinstance(type_, GraphQLObjectType):
            missing += [
                f"{type_name}.{field_name}({name})"
                for field_name, field in type_.fields.items()
                for name, argument in field.args.items()
                if _is_string(argument.type) and name not in ARGUMENT_LENGTHS
            ]
    return missing


def _is_string(type_: Any) -> bool:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return isinstance(type_, GraphQLScalarType) and type_.name == "String"


def install_input_rules(schema: GraphQLSchema) -> None:
    """Wrap the resolver of every field of SCHEMA that takes a value with a rule so the rules
    run first. A String without a length is a mistake in the schema, refused here so that
    no such field can be served."""
    missing = missing_lengths(schema)
    if missing:
        raise ValueError(
            "Declare a length in schema/input_lengths.py for: " + ", ".join(sorted(missing))
        )
    for type_name, type_ in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        for field in type_.fields.values():
            check = arguments_check(field.args)
            if check is None or RULES_KEY in (field.extensions or {}):
                continue
            field.extensions = {**(field.extensions or {}), RULES_KEY: True}
            audited = type_ is schema.mutation_type
            field.resolve = (_checked_mutation if audited else _checked)(field, check)


def _checked(field: GraphQLField, check: ArgumentsCheck) -> Any:
    resolve = field.resolve
    assert resolve is not None, "a field with arguments has its own resolver"

    def checked(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        check(arguments)
        return resolve(source, info, **arguments)

    return checked


# A mutation's refusal waits here for decode_input, which audits it with the mutation's
# own resource type before raising it.
_REFUSAL: ContextVar[BadUserInput | None] = ContextVar("jinlin_input_refusal", default=None)


def take_refusal() -> BadUserInput | None:
    """The refusal of the running mutation's arguments, if any; taken once."""
    refusal = _REFUSAL.get()
    if refusal is not None:
        _REFUSAL.set(None)
    return refusal


def _checked_mutation(field: GraphQLField, check: ArgumentsCheck) -> Any:
    resolve = field.resolve
    assert resolve is not None, "a mutation has its own resolver"

    async def refused(
        refusal: BadUserInput, source: Any, info: GraphQLResolveInfo[Any], arguments: Any
    ) -> Any:
        token = _REFUSAL.set(refusal)
        try:
            result = resolve(source, info, **arguments)
            if isawaitable(result):
                result = await result
            if _REFUSAL.get() is refusal:
                raise RuntimeError(f"{info.field_name} did not check its input (decode_input)")
            return result
        finally:
            _REFUSAL.reset(token)

    def checked(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        try:
            check(arguments)
        except BadUserInput as refusal:
            return refused(refusal, source, info, arguments)
        return resolve(source, info, **arguments)

    return checked
