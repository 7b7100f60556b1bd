"""One set of scalar rules for every argument and input field, generated from the schema.

The walk tests prove that every String, ID, DateTime and Date the schema accepts, at any
depth, is checked (and every String has a length); the behaviour tests are the reported
defects: each used to be INTERNAL (or silently accepted) and is BAD_USER_INPUT naming
the field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)

from resolvers.errors import BadUserInput
from schema.input_lengths import INPUT_FIELD_LENGTHS
from schema.input_rules import (
    CHECKED_SCALARS,
    RULES_KEY,
    arguments_check,
    check_value,
    missing_lengths,
)
from schema.schema import schema
from tests.helpers import Api
from tests.mutation_cases import mutation_document
from tests.schema.test_every_mutation_is_audited import CASES

GRAPHQL = schema._schema
# One value each rule refuses, per scalar.
BAD: dict[str, Any] = {
    "String": "a\x00b",
    "ID": "UGVyc29uOiAx",  # "Person: 1"
    "DateTime": datetime(2026, 1, 10, 10, 0),  # no time zone
    "Date": date(1, 1, 1),
}


def _unwrap(type_: Any) -> tuple[Any, bool]:
    """The named type inside TYPE_, and whether a list wraps it."""
    listed = False
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        listed = listed or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, listed


def _checked_fields() -> list[tuple[str, str, str]]:
    """(input type, field, scalar) for every input field holding a scalar with a rule."""
    found = []
    for name, type_ in sorted(GRAPHQL.type_map.items()):
        if isinstance(type_, GraphQLInputObjectType) and not name.startswith("__"):
            for field_name, field in type_.fields.items():
                named, _ = _unwrap(field.type)
                if isinstance(named, GraphQLScalarType) and named.name in CHECKED_SCALARS:
                    found.append((name, field_name, named.name))
    return found


def _checked_arguments() -> list[tuple[str, str, str, str]]:
    """(type, field, argument, scalar) for every scalar argument with a rule."""
    found = []
    for name, type_ in sorted(GRAPHQL.type_map.items()):
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__"):
            for field_name, field in type_.fields.items():
                for argument_name, argument in field.args.items():
                    named, _ = _unwrap(argument.type)
                    if isinstance(named, GraphQLScalarType) and named.name in CHECKED_SCALARS:
                        found.append((name, field_name, argument_name, named.name))
    return found


def test_every_string_argument_and_input_field_has_a_length() -> None:
    assert missing_lengths(GRAPHQL) == []
    strings = [(t, f) for t, f, scalar in _checked_fields() if scalar == "String"]
    assert strings and all(INPUT_FIELD_LENGTHS[key] > 0 for key in strings)
    assert set(INPUT_FIELD_LENGTHS) == set(strings), "a length for a field that is gone"


@pytest.mark.parametrize(("type_name", "field", "scalar"), _checked_fields())
def test_every_input_field_is_checked(type_name: str, field: str, scalar: str) -> None:
    input_type = GRAPHQL.type_map[type_name]
    assert isinstance(input_type, GraphQLInputObjectType)
    _, listed = _unwrap(input_type.fields[field].type)
    value = {field: [BAD[scalar]] if listed else BAD[scalar]}
    with pytest.raises(BadUserInput) as refused:
        check_value(value, input_type, "input", None)
    expected = f"input.{field}[0]" if listed else f"input.{field}"
    assert refused.value.details == {"field": expected}
    assert refused.value.message.startswith(expected)


@pytest.mark.parametrize(("type_name", "field", "argument", "scalar"), _checked_arguments())
def test_every_argument_is_checked_before_its_resolver(
    type_name: str, field: str, argument: str, scalar: str
) -> None:
    definition = GRAPHQL.type_map[type_name].fields[field]  # type: ignore[union-attr]
    assert definition.extensions.get(RULES_KEY), "the resolver runs the rules first"
    check = arguments_check(definition.args)
    assert check is not None
    _, listed = _unwrap(definition.args[argument].type)
    with pytest.raises(BadUserInput):
        check({argument: [BAD[scalar]] if listed else BAD[scalar]})


def test_rules_reach_nested_inputs() -> None:
    criteria = GRAPHQL.type_map["OpenEvaluationInput"]
    assert isinstance(criteria, GraphQLInputObjectType)
    value = {"criteria": [{"name": "ok", "weight": 1}, {"name": "x" * 101, "weight": 1}]}
    with pytest.raises(BadUserInput, match=r"input\.criteria\[1\]\.name is 101 characters"):
        check_value(value, criteria, "input", None)


# The reported defects, through the API.

PEOPLE = "query ($f: PersonFilter) { people(filter: $f) { totalCount } }"
ORGANISATIONS = "query ($f: OrganisationFilter) { organisations(filter: $f) { totalCount } }"
ISSUES = "query ($f: IssueFilter) { issues(filter: $f) { totalCount } }"
AUDIT = "query ($f: AuditLogFilter) { auditLog(filter: $f) { totalCount } }"
STATS = (
    "query ($s: ID!, $from: DateTime) { issueStatistics(scope: $s, createdFrom: $from) { total } }"
)
INDICATORS = "query ($c: ID!, $d: Date) { indicatorsOfCompound(compound: $c, date: $d) { date } }"

NAIVE = "2026-01-10T10:00:00"
FAR_PAST = "0001-01-01T00:00:00+08:00"
FAR_FUTURE = "9999-12-31T23:59:59-05:00"


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (PEOPLE, {"f": {"nameContains": "王\x00"}}, "f.nameContains"),
        (ORGANISATIONS, {"f": {"nameContains": "\x00"}}, "f.nameContains"),
        (ISSUES, {"f": {"search": "\x00"}}, "f.search"),
        (ISSUES, {"f": {"search": "x" * 101}}, "f.search"),
        (ISSUES, {"f": {"createdFrom": NAIVE}}, "f.createdFrom"),
        (ISSUES, {"f": {"createdTo": FAR_PAST}}, "f.createdTo"),
        (ISSUES, {"f": {"createdTo": FAR_FUTURE}}, "f.createdTo"),
        (AUDIT, {"f": {"occurredFrom": NAIVE}}, "f.occurredFrom"),
        (AUDIT, {"f": {"operation": "\x00"}}, "f.operation"),
        (AUDIT, {"f": {"resource": "UGVyc29uOjAx"}}, "f.resource"),  # "Person:01"
        (PEOPLE, {"f": {"compound": "T3JnYW5pc2F0aW9uOu+8kQ=="}}, "f.compound"),  # full-width 1
    ],
)
async def test_bad_filters_are_bad_input_naming_the_field(
    api: Api, query: str, variables: dict[str, Any], field: str
) -> None:
    result = await api.run(query, variables, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"], result.errors
    assert result.errors[0]["extensions"]["field"] == field.replace("f.", "filter.")
    assert result.errors[0]["message"].startswith(field.replace("f.", "filter."))


@pytest.mark.parametrize("moment", [NAIVE, FAR_PAST, FAR_FUTURE])
async def test_issue_stats_need_a_sane_moment(api: Api, moment: str) -> None:
    result = await api.run(STATS, {"s": api.ids["compound_a"], "from": moment}, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
async def test_indicators_need_a_day_in_range(api: Api, day: str) -> None:
    result = await api.run(INDICATORS, {"c": api.ids["compound_a"], "d": day}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "1900-01-01 and 2199-12-31" in result.errors[0]["message"]


async def test_days_and_moments_inside_the_range_are_accepted(api: Api) -> None:
    (await api.run(INDICATORS, {"c": api.ids["compound_a"], "d": "1900-01-01"}, as_="admin")).ok()
    far = {"f": {"createdFrom": "1900-01-01T00:00:00Z", "createdTo": "2199-12-31T23:59:59Z"}}
    (await api.run(ISSUES, far, as_="admin")).ok()


@pytest.mark.parametrize(
    ("name", "change", "field"),
    [
        ("issueToken", {"expiresAt": NAIVE}, "input.expiresAt"),
        ("issueToken", {"expiresAt": FAR_FUTURE}, "input.expiresAt"),
        ("scheduleJointMeeting", {"scheduledFor": NAIVE}, "input.scheduledFor"),
        ("scheduleJointMeeting", {"scheduledFor": FAR_PAST}, "input.scheduledFor"),
        ("updatePerson", {"unit": "1" * 33}, "input.unit"),
        ("updatePerson", {"name": None}, "input.name"),
        ("updateOrganisation", {"name": None}, "input.name"),
        ("registerPerson", {"skills": ["ok", "\x00"]}, "input.skills[1]"),
        ("reportIssue", {"title": "消防通道\x00被佔用"}, "input.title"),
        ("openEvaluation", {"closesAt": NAIVE}, "input.closesAt"),
    ],
)
async def test_bad_mutation_input_is_refused_at_the_edge_and_audited_once(
    api: Api, name: str, change: dict[str, Any], field: str
) -> None:
    case = CASES[name]
    variables = {**await case.variables(api), **change}
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_=case.allowed)
    assert result.codes == ["BAD_USER_INPUT"], result.errors
    assert result.errors[0]["extensions"]["field"] == field
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].operation, entries[-1].outcome) == (name, "REJECTED")
