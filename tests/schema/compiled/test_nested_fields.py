"""The nested connections of compiled types besides timelines and audit trails (issue 14):
`Organisation.children`, `Mobilisation.recipients`, `Notice.questions` and the positions of
an organisation and of a person are answered by
the SQL that builds the JSON, over the resolver's own rows (the oracle compares every
answer here with the resolvers', cursors and counts included): paged both ways from
cursors, empty, scoped to what the caller may read, in one statement. A filter given by a
variable, a page the resolver refuses and a field the compiler lacks leave the root field
to the resolvers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.disclosure_helpers import ask, publish
from tests.helpers import ORACLE, Api, StatementCounter
from tests.issue_helpers import BRANCH_A, COMMUNITY, ok, org
from tests.lovebank_helpers import resident_id, token_for
from tests.mobilisation_helpers import send
from tests.schema.compiled.test_nested import PAGE, compiled, turn_page
from tests.schema.compiled.test_nodes import _ids

ROLES = [None, "admin", "secretary", "resident", "property_firm", "supervisor", "partner"]


@dataclass(frozen=True)
class Nested:
    """A nested connection: the type it is a field of, its name, what its nodes show."""

    on: str
    name: str
    fields: str


CHILDREN = Nested("Organisation", "children", "id name kind depth __typename")
RECIPIENTS = Nested(
    "Mobilisation",
    "recipients",
    "id group acknowledgedAt reportedAt report outcome version person { name } __typename",
)
QUESTIONS = Nested(
    "Notice",
    "questions",
    "id question answer askedAt answeredAt version askedByMe answeredBy { name } __typename",
)
POSITIONS = Nested(
    "Organisation",
    "positions",
    "id title startDate endDate active person { name } organisation { name } __typename",
)
PERSON_POSITIONS = Nested("Person", "positions", "id title active organisation { name kind }")


def _query(nested: Nested, arguments: str = "") -> str:
    """A page of NESTED under the node $id, from $cursor either way ($n: `first` or `last`)."""
    return f"""query ($id: ID!, $n: Int, $cursor: String, $m: Int, $before: String) {{
      node(id: $id) {{ ... on {nested.on} {{
        forward: {nested.name}({arguments}first: $n, after: $cursor) {{
          {PAGE} edges {{ cursor node {{ {nested.fields} }} }} }}
        backward: {nested.name}({arguments}last: $m, before: $before) {{
          {PAGE} edges {{ cursor node {{ id }} }} }}
      }} }} }}"""


async def _page_through(
    api: Api, role: str | None, nested: Nested, parent: str, arguments: str = ""
) -> list[str]:
    """The ids of PARENT's NESTED connection as ROLE reads it, two at a time from cursors
    forward and then backward, checked against one page of all of them (totalCount and
    pageInfo on every page)."""
    query = _query(nested, arguments)
    asked = {"id": parent, "n": 100, "cursor": None, "m": 0, "before": None}
    whole = await compiled(api, query, asked, role)
    if whole["node"] is None:
        return []
    expected = [edge["node"]["id"] for edge in whole["node"]["forward"]["edges"]]
    for backward in (False, True):
        seen: list[str] = []
        cursor: str | None = None
        while True:
            values = {"id": parent, "n": 2, "cursor": cursor, "m": 0, "before": None}
            if backward:
                values |= {"n": 0, "cursor": None, "m": 2, "before": cursor}
            page = (await compiled(api, query, values, role))["node"]
            read = page["backward" if backward else "forward"]
            assert read["totalCount"] == len(expected)
            seen, cursor = turn_page(read, cursor, seen, backward=backward)
            if cursor is None:
                break
        assert seen == expected, (role, backward)
    return expected


async def _questions(api: Api) -> str:
    """A notice of compound A with five questions: the resident's and the secretary's."""
    notice = (await publish(api))["id"]
    for number, asker in enumerate(["resident", "secretary", "resident", "resident", "secretary"]):
        await ask(api, notice, as_=asker, question=f"第{number + 1}個問題")
    return notice


# --- paging both ways, for every caller --------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
async def test_children_page_both_ways_compiled(api: Api, role: str | None) -> None:
    compound = await _page_through(api, role, CHILDREN, api.ids["compound_a"])
    if role in ("admin", "secretary", "resident"):
        assert len(compound) > 2, "children enough for several pages"
    # A list given literally, and one value for the list.
    await _page_through(api, role, CHILDREN, api.ids["compound_a"], "kinds: [BUILDING], ")
    await _page_through(api, role, CHILDREN, await org(api, COMMUNITY), "kinds: COMPOUND, ")


@pytest.mark.parametrize("role", [*ROLES, "committee_member"])
async def test_recipients_page_both_ways_compiled(api: Api, role: str | None) -> None:
    call = (await send(api))["id"]
    called = await _page_through(api, role, RECIPIENTS, call)
    if role in ("admin", "secretary", "supervisor", "committee_member"):
        assert len(called) > 2, "recipients enough for several pages"
    await _page_through(api, role, RECIPIENTS, call, "filter: {group: PARTY_MEMBER}, ")
    await _page_through(api, role, RECIPIENTS, call, "filter: {acknowledged: false}, ")


@pytest.mark.parametrize("role", [*ROLES, "resident_b"])
async def test_questions_page_both_ways_compiled(api: Api, role: str | None) -> None:
    notice = await _questions(api)
    asked = await _page_through(api, role, QUESTIONS, notice)
    if role in ("admin", "secretary", "resident", "supervisor"):
        assert len(asked) == 5
    if role in (None, "resident_b", "partner"):
        assert asked == [], "a notice the caller may not read shows nothing of its questions"


@pytest.mark.parametrize("role", ROLES)
async def test_positions_page_both_ways_compiled(api: Api, role: str | None) -> None:
    """A party branch's positions (and those in force on a day, of some titles), and the
    positions of the people the caller reads."""
    branch = await org(api, BRANCH_A)
    held = await _page_through(api, role, POSITIONS, branch)
    if role in ("admin", "secretary", "supervisor"):
        assert len(held) > 2, "positions enough for several pages"
    await _page_through(api, role, POSITIONS, branch, 'activeOn: "2026-06-01", ')
    await _page_through(
        api, role, POSITIONS, branch, "titles: [SECRETARY, BRANCH_COMMITTEE_MEMBER], "
    )
    people = await compiled(api, "{ people(first: 5) { edges { node { id } } } }", {}, role)
    for edge in people["people"]["edges"][:3]:
        await _page_through(api, role, PERSON_POSITIONS, edge["node"]["id"])


# --- empty, and only what the caller may read ----------------------------------------------


EMPTY = {"totalCount": 0, "edges": []}
NO_PAGE = {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None}


async def test_an_empty_connection_is_compiled(api: Api) -> None:
    """A building's children, a call's recipients who acknowledged (none yet), a notice
    nobody asked about."""
    building = (await _children_of(api, api.ids["compound_a"], "admin", "kinds: [BUILDING]"))[0]
    call = (await send(api))["id"]
    notice = (await publish(api))["id"]
    for nested, parent, arguments in (
        (CHILDREN, building, ""),
        (RECIPIENTS, call, "filter: {acknowledged: true}, "),
        (QUESTIONS, notice, ""),
    ):
        values = {"id": parent, "n": 5, "cursor": None, "m": 5, "before": None}
        data = await compiled(api, _query(nested, arguments), values, "admin")
        for way in ("forward", "backward"):
            page = data["node"][way]
            assert {"totalCount": page["totalCount"], "edges": page["edges"]} == EMPTY
            assert page["pageInfo"] == NO_PAGE


async def _children_of(api: Api, parent: str, role: str, arguments: str = "") -> list[str]:
    given = f"({arguments})" if arguments else ""
    children = f"children{given} {{ totalCount edges {{ node {{ id }} }} }}"
    query = f"query ($id: ID!) {{ node(id: $id) {{ ... on Organisation {{ {children} }} }} }}"
    page = (await compiled(api, query, {"id": parent}, role))["node"]["children"]
    ids = [edge["node"]["id"] for edge in page["edges"]]
    assert page["totalCount"] == len(ids)
    return ids


async def test_a_resident_reads_only_the_children_they_may_see(api: Api) -> None:
    """The community's children are its grids and compounds; a resident of compound A may
    read the community (an ancestor) but of its children only their own grid: the others
    are absent, and counted nowhere."""
    community = await org(api, COMMUNITY)
    every = await _children_of(api, community, "admin")
    seen = await _page_through(api, "resident", CHILDREN, community)
    assert seen and set(seen) < set(every)
    hidden = set(every) - set(seen)
    query = _query(CHILDREN)
    values = {"id": community, "n": 100, "cursor": None, "m": 100, "before": None}
    answer = await api.run(query, values, as_="resident")
    spelled = json.dumps(answer.data)
    assert not [child for child in hidden if child in spelled], "a hidden child leaked"
    assert answer.data["node"]["forward"]["totalCount"] == len(seen)


async def test_a_person_called_on_reads_only_their_own_answer(api: Api) -> None:
    call = (await send(api))["id"]
    every = await _page_through(api, "secretary", RECIPIENTS, call)
    # a27: a party member holding no position (no reader of the compound's answers).
    member = await token_for(api, await resident_id(api, "a", 27))
    (mine,) = await _page_through(api, member, RECIPIENTS, call)
    assert mine in every and len(every) > 1
    values = {"id": call, "n": 100, "cursor": None, "m": 100, "before": None}
    answer = await api.run(_query(RECIPIENTS), values, as_=member)
    page = answer.data["node"]["forward"]
    assert page["totalCount"] == 1
    assert [edge["node"]["id"] for edge in page["edges"]] == [mine]


# --- what the compiler leaves to the resolvers ----------------------------------------------


async def _parents(api: Api) -> dict[str, str]:
    """A parent of each nested connection, by its name, with rows below it."""
    return {
        "children": api.ids["compound_a"],
        "recipients": (await send(api))["id"],
        "questions": await _questions(api),
        "positions": await org(api, BRANCH_A),
    }


@pytest.mark.parametrize(
    ("nested", "arguments", "variables"),
    [
        (CHILDREN, "(kinds: $kinds)", {"kinds": ["BUILDING"]}),
        (CHILDREN, "(kinds: [$kind])", {"kind": "BUILDING"}),
        (RECIPIENTS, "(filter: $filter)", {"filter": {"acknowledged": False}}),
        (RECIPIENTS, "(filter: {group: $group})", {"group": "PARTY_MEMBER"}),
        (POSITIONS, "(activeOn: $day)", {"day": "2026-06-01"}),
    ],
)
async def test_a_filter_given_by_a_variable_is_the_resolvers(
    api: Api, nested: Nested, arguments: str, variables: dict[str, Any]
) -> None:
    parents = await _parents(api)
    declared = {
        "kinds": "[OrganisationKind!]",
        "kind": "OrganisationKind!",
        "filter": "RecipientFilter",
        "group": "MobilisationGroup",
        "day": "Date",
    }
    head = ", ".join(f"${name}: {declared[name]}" for name in variables)
    query = f"""query ($id: ID!, {head}) {{ node(id: $id) {{ ... on {nested.on} {{
      {nested.name}{arguments} {{ totalCount edges {{ node {{ id }} }} }} }} }} }}"""
    executed = await api.answered(query, {"id": parents[nested.name], **variables}, as_="admin")
    assert executed.served == [], arguments
    assert not executed.result.errors
    assert executed.result.data["node"][nested.name]["totalCount"] > 0


@pytest.mark.parametrize(
    "nested", [CHILDREN, RECIPIENTS, QUESTIONS, POSITIONS], ids=lambda n: n.name
)
async def test_a_page_the_resolver_refuses_is_refused_by_the_resolver(
    api: Api, nested: Nested
) -> None:
    parents = await _parents(api)
    for arguments in ("(first: 101)", '(first: 2, after: "x")', '(last: 2, before: "x")'):
        query = f"""query ($id: ID!) {{ node(id: $id) {{ ... on {nested.on} {{
          {nested.name}{arguments} {{ edges {{ node {{ id }} }} }} }} }} }}"""
        executed = await api.answered(query, {"id": parents[nested.name]}, as_="admin")
        assert executed.served == [], arguments
        assert [error["extensions"]["code"] for error in executed.result.errors] == [
            "BAD_USER_INPUT"
        ]


async def test_another_lists_cursor_is_refused_by_the_resolver(api: Api) -> None:
    """A call's recipients cursor given to a notice's questions (both keyed by id, another
    list), a question's to an organisation's children, a child's to its positions."""
    parents = await _parents(api)
    ends: dict[str, str] = {}
    for nested in (RECIPIENTS, QUESTIONS, CHILDREN, POSITIONS):
        values = {"id": parents[nested.name], "n": 1, "cursor": None, "m": 0, "before": None}
        data = await compiled(api, _query(nested), values, "admin")
        ends[nested.name] = data["node"]["forward"]["pageInfo"]["endCursor"]
    for nested, foreign in (
        (QUESTIONS, "recipients"),
        (CHILDREN, "questions"),
        (POSITIONS, "children"),
    ):
        query = f"""query ($id: ID!, $after: String) {{ node(id: $id) {{ ... on {nested.on} {{
          {nested.name}(first: 1, after: $after) {{ totalCount }} }} }} }}"""
        values = {"id": parents[nested.name], "after": ends[foreign]}
        executed = await api.answered(query, values, as_="admin")
        assert executed.served == []
        assert [error["extensions"]["code"] for error in executed.result.errors] == [
            "BAD_USER_INPUT"
        ]


async def test_a_node_field_the_compiler_lacks_is_the_resolvers(api: Api) -> None:
    """A recipient's response minutes and a question's asker (masked per question) are
    Python's: the field that selects them falls back whole."""
    parents = await _parents(api)
    for nested, fields in (
        (RECIPIENTS, "responseMinutes"),
        (QUESTIONS, "asker { id }"),
        (CHILDREN, "parent { id }"),
    ):
        query = f"""query ($id: ID!) {{ node(id: $id) {{ ... on {nested.on} {{
          {nested.name}(first: 2) {{ edges {{ node {{ id {fields} }} }} }} }} }} }}"""
        executed = await api.answered(query, {"id": parents[nested.name]}, as_="admin")
        assert executed.served == [], fields
        assert not executed.result.errors


# --- cursors of any name, nesting, statements ----------------------------------------------


NAMES = [
    '引號"與反斜線\\的樓',
    "斜線/與加號+的樓",
    "名字很長的樓" * 8,  # its cursor is longer than a base64 line (76 characters)
    "Ünïcödé 🏠 樓",
    "a'b",
]


async def test_children_cursors_spell_any_name_as_the_resolver_does(api: Api) -> None:
    """A child's name is in its cursor (the list is by name): quotes, backslashes, a name
    long enough for a cursor of several base64 lines, characters beyond the BMP."""
    compound = api.ids["compound_a"]
    for name in NAMES:
        await ok(
            api,
            "createOrganisation",
            {"name": name, "kind": "BUILDING", "parent": compound},
            as_="admin",
            selection="id",
        )
    seen = await _page_through(api, "admin", CHILDREN, compound)
    assert len(seen) >= len(NAMES)


async def test_children_of_children_read_each_their_own(api: Api) -> None:
    """The rows of a connection on the enclosing row's own table: each level is correlated
    to its own row, whatever the order of the parts selected (the count before the edges)."""
    query = f"""query ($id: ID!) {{ node(id: $id) {{ ... on Organisation {{ name
      children(first: 3) {{ {PAGE} edges {{ cursor node {{ name
        children(last: 2) {{ {PAGE} edges {{ cursor node {{ name }} }} }}
      }} }} }} }} }} }}"""
    for role in ("admin", "resident", "secretary_b"):
        await compiled(api, query, {"id": await org(api, COMMUNITY)}, role)
    lists = f"""{{ organisations(first: 50) {{ edges {{ node {{ name
      children(first: 2) {{ {PAGE} edges {{ cursor node {{ name children(last: 1) {{ totalCount }} }} }} }}
    }} }} }} }}"""
    for role in ROLES:
        await compiled(api, lists, {}, role)


async def test_a_selection_nested_deeper_than_sqlite_parses_is_answered(api: Api) -> None:
    """Three connections deep, pages and all: PostgreSQL runs it compiled; SQLite's parser
    cannot take the statement (its stack overflows), so the resolvers answer it there."""
    await send(api)
    trail = f"auditTrail(last: 2) {{ {PAGE} edges {{ cursor node {{ id }} }} }}"
    query = f"""{{ mobilisations(last: 2) {{ {PAGE} edges {{ cursor node {{
      recipients(last: 2) {{ {PAGE} edges {{ cursor node {{ person {{ name {trail} }} }} }} }}
    }} }} }} }}"""
    for role in ("admin", "secretary"):
        before = ORACLE.compared
        result = await api.run(query, as_=role)
        assert not result.errors, result.errors
        assert result.data["mobilisations"]["edges"]
        postgres = api.db.dialect_name == "postgresql"
        assert ORACLE.compared == before + postgres, role


async def test_nested_connections_under_lists_and_related_objects_are_compiled(api: Api) -> None:
    """Below a list, a related object (an issue's compound, a call's sender) and `nodes`."""
    await _questions(api)
    await send(api)
    queries = [
        f"""{{ issues(first: 5) {{ edges {{ node {{ id compound {{ name
          children(first: 2, kinds: [BUILDING]) {{ {PAGE} edges {{ cursor node {{ name }} }} }}
        }} }} }} }} }}""",
        f"""{{ mobilisations(first: 5) {{ edges {{ node {{ id
          sender {{ name children(last: 2) {{ {PAGE} }} }}
          recipients(first: 3) {{ {PAGE} edges {{ cursor node {{ id person {{ name }}
            mobilisation {{ title recipients(first: 1) {{ totalCount }} }} }} }} }}
        }} }} }} }}""",
        f"""{{ notices(first: 5) {{ edges {{ node {{ id
          questions(first: 3) {{ {PAGE} edges {{ cursor node {{ id question askedByMe
            notice {{ title questions(last: 1) {{ totalCount }} }} }} }} }}
        }} }} }} }}""",
    ]
    for role in (*ROLES, "committee_member"):
        for query in queries:
            await compiled(api, query, {}, role)
    ids = await _ids(api, per_type=2)
    asked = [value for values in ids.values() for value in values]
    nodes = f"""query ($ids: [ID!]!) {{ nodes(ids: $ids) {{ id
      ... on Organisation {{ children(first: 2) {{ {PAGE} }} }}
      ... on Mobilisation {{ recipients(first: 2) {{ {PAGE} }} }}
      ... on Notice {{ questions(first: 2) {{ {PAGE} }} }} }} }}"""
    for role in ROLES:
        await compiled(api, nodes, {"ids": asked}, role)


async def test_a_nested_connection_adds_no_statement(
    api: Api, statements: StatementCounter
) -> None:
    """The root field with its nested connections is one statement (a node; the token is
    read besides), and a list with them as many as without them."""
    parents = await _parents(api)
    await api.sign_in("admin")
    ORACLE.enabled = False  # one request each: its second run would be another
    try:
        for nested in (CHILDREN, RECIPIENTS, QUESTIONS, POSITIONS):
            values = {"id": parents[nested.name], "n": 2, "cursor": None, "m": 2, "before": None}
            statements.reset()
            executed = await api.answered(_query(nested), values, as_="admin")
            assert executed.served == ["node"]
            # Besides reading the caller's token.
            read = [sql for sql in statements.sql if not sql.startswith("SELECT api_token.")]
            assert len(read) == 1, statements.sql
        for root, nested in (
            ("organisations", CHILDREN),
            ("mobilisations", RECIPIENTS),
            ("notices", QUESTIONS),
            ("people", PERSON_POSITIONS),
        ):
            counts = []
            for below in (
                "",
                f"{nested.name}(first: 3) {{ {PAGE} edges {{ cursor node {{ id }} }} }}",
            ):
                statements.reset()
                query = f"{{ {root}(first: 20) {{ edges {{ node {{ id {below} }} }} }} }}"
                executed = await api.answered(query, as_="admin")
                assert executed.served == [root]
                counts.append(statements.count)
            assert counts[0] == counts[1], (root, counts)
    finally:
        ORACLE.enabled = True
