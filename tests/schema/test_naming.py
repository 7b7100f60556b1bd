"""Public names (issue 17, item 5): no type ends in `Type`, no filter in `FilterInput`. The old
names still answer, through deprecated twins of the fields that return or take them, with the
same figures as the new ones, until a released baseline drops them."""

from __future__ import annotations

from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from schema.schema import schema
from tests.helpers import Api
from tests.issue_helpers import COMMUNITY, org

# Old type name -> the clean one that replaced it.
RENAMED = {
    "IssueStatsType": "IssueStats",
    "CompoundIndicatorsType": "CompoundIndicators",
    "SubtreeIndicatorsType": "SubtreeIndicators",
    "TokenFilterInput": "TokenFilter",
}
# Deprecated Query field -> its replacement.
TWINS = {
    "issueStats": "issueStatistics",
    "compoundIndicators": "indicatorsOfCompound",
    "subtreeIndicators": "indicatorsOfSubtree",
    "tokens": "apiTokens",
}

STATS = """total overdueCount byStatus { status count } byCategory { category count }
  medianTimeToClaimSeconds medianTimeToResolveSeconds satisfactionAverage satisfactionCount"""
FIGURES = """date periodStart compound { name } governance { committeeMembers crossAppointed }
  issues { received resolved overdue } lovePoints { earned } disclosure { published }
  mobilisation { targeted acknowledged reported }"""


def test_no_public_name_ends_in_type_or_filter_input_but_the_deprecated_old_ones() -> None:
    names = {n for n in schema._schema.type_map if not n.startswith("__")}
    old = {n for n in names if n.endswith(("Type", "FilterInput"))}
    assert old == set(RENAMED)
    assert set(RENAMED.values()) <= names


def test_an_old_type_is_reached_only_through_deprecated_fields() -> None:
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name in RENAMED:
            continue  # inside an old type, its fields may return old types (compounds)
        for name, field in type_.fields.items():
            uses_old = get_named_type(field.type).name in RENAMED or any(
                get_named_type(arg.type).name in RENAMED for arg in field.args.values()
            )
            assert not uses_old or field.deprecation_reason, f"{type_.name}.{name}"
    query = schema._schema.query_type
    assert query is not None
    for old, new in TWINS.items():
        assert new in (query.fields[old].deprecation_reason or ""), old
        assert query.fields[new].deprecation_reason is None, new
    # The new filter takes the same conditions as the old.
    filters = [schema._schema.type_map[n] for n in ("TokenFilter", "TokenFilterInput")]
    assert all(isinstance(f, GraphQLInputObjectType) for f in filters)
    assert [list(f.fields) for f in filters if isinstance(f, GraphQLInputObjectType)] == [
        ["issuer", "partner", "organisation", "status"]
    ] * 2


async def test_introspection_marks_the_old_fields_deprecated(api: Api) -> None:
    query = """{ __type(name: "Query") { fields(includeDeprecated: true) {
      name isDeprecated deprecationReason type { name ofType { name } } } } }"""
    fields = {f["name"]: f for f in (await api.run(query, as_="admin")).ok()["__type"]["fields"]}
    for old, new in TWINS.items():
        assert fields[old]["isDeprecated"] and new in fields[old]["deprecationReason"]
        assert not fields[new]["isDeprecated"]
    named = {n: f["type"]["name"] or f["type"]["ofType"]["name"] for n, f in fields.items()}
    assert named["issueStatistics"] == "IssueStats"
    assert named["indicatorsOfCompound"] == "CompoundIndicators"
    assert named["indicatorsOfSubtree"] == "SubtreeIndicators"


async def test_the_new_names_answer_the_same_as_the_old(api: Api) -> None:
    compound = api.ids["compound_a"]
    stats = f"""query ($s: ID!) {{ old: issueStats(scope: $s) {{ {STATS} }}
      new: issueStatistics(scope: $s) {{ {STATS} }} }}"""
    one = f"""query ($c: ID!) {{ old: compoundIndicators(compound: $c) {{ {FIGURES} }}
      new: indicatorsOfCompound(compound: $c) {{ {FIGURES} }} }}"""
    subtree = f"""query ($o: ID!) {{
      old: subtreeIndicators(organisation: $o) {{ compoundCount compounds {{ {FIGURES} }} }}
      new: indicatorsOfSubtree(organisation: $o) {{ compoundCount compounds {{ {FIGURES} }} }}
    }}"""
    tokens = """query ($old: TokenFilterInput, $new: TokenFilter) {
      old: tokens(filter: $old, first: 100) { totalCount edges { node { id status } } }
      new: apiTokens(filter: $new, first: 100) { totalCount edges { node { id status } } } }"""
    community = await org(api, COMMUNITY)
    active = {"status": "ACTIVE"}
    for query, variables, role in (
        (stats, {"s": compound}, "secretary"),
        (one, {"c": compound}, "secretary"),
        (one, {"c": compound}, "resident"),
        (subtree, {"o": community}, "supervisor"),
        (tokens, {"old": active, "new": active}, "admin"),
    ):
        answer = (await api.run(query, variables, as_=role)).ok()
        assert answer["old"] == answer["new"], (query, role)
        assert answer["new"] is not None, (query, role)
    listed = (await api.run(tokens, {"old": active, "new": active}, as_="admin")).ok()
    assert listed["new"]["totalCount"] > 0
