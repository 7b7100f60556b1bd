"""Nested connections in compiled reads (issue 14): `Issue.timeline` and the `auditTrail`
of every compiled type, paged forward from a cursor with `first` and `after` given as
literals or variables, are answered by the SQL that builds the JSON (the oracle compares
each page with the resolvers'); a page the resolver refuses, or one read backward, is
left to the resolvers, whose error the caller gets."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ORACLE, Api
from tests.schema.compiled.test_nodes import _ids

ROLES = [None, "secretary", "resident", "property_firm", "supervisor", "partner"]

PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
EVENT = "id kind toStatus body createdAt __typename"
ENTRY = "id sequence occurredAt operation resourceType outcome errorCode role token __typename"


async def compiled(api: Api, query: str, variables: dict[str, Any], role: str | None) -> Any:
    """QUERY's data, which a compiled read answered and the resolvers agreed with."""
    before = ORACLE.compared
    result = await api.run(query, variables, as_=role)
    assert not result.errors, (role, result.errors)
    assert ORACLE.compared == before + 1, f"{role}: not answered by a compiled read"
    return result.data


async def _busiest_issue(api: Api, role: str | None, connection: str) -> str:
    """The issue whose CONNECTION holds the most rows ROLE may read (any, if none has)."""
    query = f"{{ issues(first: 100) {{ edges {{ node {{ id {connection}(first: 0) {{ totalCount }} }} }} }} }}"
    data = await compiled(api, query, {}, role)
    edges = data["issues"]["edges"]
    if not edges:  # a caller who sees no issue: one it cannot read, all the same
        admin = await compiled(api, "{ issues(first: 1) { edges { node { id } } } }", {}, "admin")
        return str(admin["issues"]["edges"][0]["node"]["id"])
    busiest = max(edges, key=lambda edge: edge["node"][connection]["totalCount"])
    return str(busiest["node"]["id"])


async def _page_through(
    api: Api, role: str | None, connection: str, fields: str, issue: str, *, backward: bool = False
) -> tuple[list[str], int]:
    """The ids of ISSUE's CONNECTION read two at a time from cursors (variables), forward
    from its start or BACKWARD from its end, checked against one page of all of them; and
    how many pages that took."""
    count, start = ("last", "before") if backward else ("first", "after")
    query = f"""query ($id: ID!, $n: Int, $cursor: String) {{ node(id: $id) {{ ... on Issue {{
      {connection}({count}: $n, {start}: $cursor) {{ {PAGE} edges {{ cursor node {{ {fields} }} }} }}
    }} }} }}"""
    whole = await compiled(api, query, {"id": issue, "n": 100, "cursor": None}, role)
    if whole["node"] is None:
        return [], 0
    expected = [edge["node"]["id"] for edge in whole["node"][connection]["edges"]]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        data = await compiled(api, query, {"id": issue, "n": 2, "cursor": cursor}, role)
        page = data["node"][connection]
        pages += 1
        assert page["totalCount"] == len(expected)
        seen, cursor = turn_page(page, cursor, seen, backward=backward)
        if cursor is None:
            break
    assert seen == expected, role
    return seen, pages


def turn_page(
    page: dict[str, Any], cursor: str | None, seen: list[str], *, backward: bool
) -> tuple[list[str], str | None]:
    """SEEN with the ids of PAGE (read from CURSOR) added on the side it reads towards,
    its pageInfo checked against CURSOR and its edges; and the cursor of the next page
    that way, None after the last."""
    info = page["pageInfo"]
    ids = [edge["node"]["id"] for edge in page["edges"]]
    if backward:
        assert info["hasNextPage"] == (cursor is not None)
        if not info["hasPreviousPage"]:
            return ids + seen, None
        assert info["startCursor"] == page["edges"][0]["cursor"]
        return ids + seen, info["startCursor"]
    assert info["hasPreviousPage"] == (cursor is not None)
    if not info["hasNextPage"]:
        return seen + ids, None
    assert info["endCursor"] == page["edges"][-1]["cursor"]
    return seen + ids, info["endCursor"]


@pytest.mark.parametrize("backward", [False, True])
@pytest.mark.parametrize("role", ROLES)
async def test_a_timeline_pages_through_cursors_compiled(
    api: Api, role: str | None, backward: bool
) -> None:
    issue = await _busiest_issue(api, role, "timeline")
    _, pages = await _page_through(api, role, "timeline", EVENT, issue, backward=backward)
    if role in ("secretary", "supervisor", "property_firm"):
        assert pages > 1, "a timeline long enough to take several pages"


@pytest.mark.parametrize("backward", [False, True])
@pytest.mark.parametrize("role", ROLES)
async def test_an_issues_audit_trail_pages_through_cursors_compiled(
    api: Api, role: str | None, backward: bool
) -> None:
    issue = await _busiest_issue(api, role, "auditTrail")
    seen, pages = await _page_through(api, role, "auditTrail", ENTRY, issue, backward=backward)
    if role in ("secretary", "supervisor"):
        assert pages > 1, "an audit trail long enough to take several pages"
    if role is None:
        assert seen == [], "an anonymous caller reads no audit log"


async def test_a_page_from_a_literal_cursor_in_a_list_is_compiled(api: Api) -> None:
    """A cursor spelled in the document, given to every issue of a list (one list's cursor
    reads the same way in any issue's timeline)."""
    first = """{ issues(first: 10) { edges { node { id
      timeline(first: 1) { pageInfo { endCursor } }
      auditTrail(first: 1) { pageInfo { endCursor } } } } } }"""
    for role in ROLES:
        data = await compiled(api, first, {}, role)
        for edge in data["issues"]["edges"][:2]:
            timeline = edge["node"]["timeline"]["pageInfo"]["endCursor"]
            trail = edge["node"]["auditTrail"]["pageInfo"]["endCursor"]
            after = f'after: "{trail}"' if trail else ""
            query = f"""{{ issues(first: 10) {{ edges {{ node {{ id
              timeline(first: 3, after: "{timeline}") {{ {PAGE} edges {{ cursor node {{ id }} }} }}
              older: auditTrail(first: 3 {after}) {{ {PAGE} edges {{ cursor node {{ {ENTRY} }} }} }}
              newest: auditTrail(first: 1) {{ edges {{ node {{ sequence }} }} }}
            }} }} }} }}"""
            await compiled(api, query, {}, role)


# Every compiled list, and the audit trail of its nodes.
ROOTS = [
    "issues",
    "people",
    "organisations",
    "positions",
    "notices",
    "mobilisations",
    "compoundMeetings",
    "fundEntries",
    "jointMeetings",
]


@pytest.mark.parametrize("root", ROOTS)
async def test_the_audit_trail_of_each_compiled_type_is_compiled(api: Api, root: str) -> None:
    query = f"""query ($n: Int, $after: String) {{ {root}(first: 10) {{ edges {{ node {{
      id auditTrail(first: $n, after: $after) {{ {PAGE} edges {{ cursor node {{ {ENTRY} }} }} }}
    }} }} }} }}"""
    longest = 0
    for role in ("admin", *ROLES):
        data = await compiled(api, query, {"n": 2, "after": None}, role)
        for edge in data[root]["edges"]:
            trail = edge["node"]["auditTrail"]
            longest = max(longest, trail["totalCount"])
            if trail["pageInfo"]["hasNextPage"]:
                # The next page of this record's trail (and the same cursor in the others').
                after = trail["pageInfo"]["endCursor"]
                await compiled(api, query, {"n": 2, "after": after}, role)
                break
    assert longest, f"no {root} with an audit trail"


@pytest.mark.parametrize(
    ("arguments", "variables"),
    [
        ('(first: 2, after: "x")', {}),
        ("(first: 2, after: $after)", {"after": "not a cursor"}),
        ("(first: $n)", {"n": 101}),
        ("(first: $n)", {"n": -1}),
        ("(first: 101)", {}),
    ],
)
async def test_a_page_the_resolver_refuses_is_refused_by_the_resolver(
    api: Api, arguments: str, variables: dict[str, Any]
) -> None:
    for connection in ("timeline", "auditTrail"):
        query = f"""query ($n: Int, $after: String) {{ issues(first: 2) {{ edges {{ node {{
          id {connection}{arguments} {{ edges {{ node {{ id }} }} }}
          other: timeline(first: $n, after: $after) @skip(if: true) {{ totalCount }}
        }} }} }} }}"""
        executed = await api.answered(query, variables, as_="secretary")
        assert executed.served == [], (connection, arguments)
        codes = {error["extensions"]["code"] for error in executed.result.errors}
        assert codes == {"BAD_USER_INPUT"}, executed.result.errors


async def test_another_lists_cursor_is_refused_by_the_resolver(api: Api) -> None:
    """A timeline's cursor given to an audit trail (and back) belongs to another list."""
    data = await compiled(
        api,
        "{ issues(first: 1) { edges { node { timeline(first: 1) { pageInfo { endCursor } } "
        "auditTrail(first: 1) { pageInfo { endCursor } } } } } }",
        {},
        "secretary",
    )
    node = data["issues"]["edges"][0]["node"]
    crossed = [
        ("auditTrail", node["timeline"]["pageInfo"]["endCursor"]),
        ("timeline", node["auditTrail"]["pageInfo"]["endCursor"]),
    ]
    for connection, cursor in crossed:
        query = f"""query ($after: String) {{ issues(first: 1) {{ edges {{ node {{
          {connection}(first: 1, after: $after) {{ totalCount }} }} }} }} }}"""
        executed = await api.answered(query, {"after": cursor}, as_="secretary")
        assert executed.served == []
        assert [error["extensions"]["code"] for error in executed.result.errors] == [
            "BAD_USER_INPUT"
        ]


@pytest.mark.parametrize(
    ("arguments", "variables"),
    [
        ('(first: 2, before: "x")', {}),  # both ways: the resolver refuses it
        ("(first: 2, last: null)", {}),
        ("(first: $n, last: $n)", {"n": None}),
        ("(last: $n, before: $cursor)", {"n": None, "cursor": None}),  # forward, then
        ("(last: $n)", {"n": 101}),
        ('(last: 2, before: "x")', {}),
    ],
)
async def test_a_page_whose_direction_or_values_the_plan_cannot_take_is_the_resolvers(
    api: Api, arguments: str, variables: dict[str, Any]
) -> None:
    """A page asked both ways (its values alone would decide which), or backward with no
    size and no cursor (which reads forward), or refused: the resolvers answer."""
    for connection in ("timeline", "auditTrail"):
        head = "query ($n: Int, $cursor: String)" if variables else "query"
        unused = "other: timeline(first: $n, after: $cursor) @skip(if: true) { totalCount }"
        query = f"""{head} {{ issues(first: 2) {{ edges {{ node {{
          {connection}{arguments} {{ totalCount edges {{ node {{ id }} }} }}
          {unused if variables else ""} }} }} }} }}"""
        executed = await api.answered(query, variables, as_="secretary")
        assert executed.served == [], (connection, arguments)


async def test_a_trail_under_a_related_object_reads_that_objects_entries(api: Api) -> None:
    """The trail of an issue's compound and assignee (an organisation below an issue) and of
    its assigned person: each correlated to its own row, several pages in one statement."""
    query = f"""query ($n: Int, $after: String) {{ issues(first: 20) {{ edges {{ node {{
      id auditTrail(first: 1) {{ {PAGE} }}
      compound {{ id auditTrail(first: $n, after: $after) {{ {PAGE} edges {{ node {{ {ENTRY} }} }} }} }}
      assignee {{ name auditTrail(first: $n) {{ totalCount edges {{ cursor node {{ id }} }} }} }}
      assigneePerson {{ auditTrail(first: 3) {{ {PAGE} edges {{ node {{ operation }} }} }} }}
    }} }} }} }}"""
    for role in ("admin", *ROLES):
        data = await compiled(api, query, {"n": 2, "after": None}, role)
        compounds = [edge["node"]["compound"] for edge in data["issues"]["edges"]]
        cursors = [c["auditTrail"]["pageInfo"]["endCursor"] for c in compounds if c]
        for cursor in cursors[:1]:
            await compiled(api, query, {"n": 2, "after": cursor}, role)


async def test_trails_of_nodes_of_every_type_and_of_me_are_compiled(api: Api) -> None:
    """`nodes` reads each type by its own statement, each with its pages' parameters; `me`'s
    person reads its trail as any person's."""
    ids = await _ids(api, per_type=2)
    asked = [value for values in ids.values() for value in values]
    trail = (
        f"auditTrail(first: $n, after: $after) {{ {PAGE} edges {{ cursor node {{ {ENTRY} }} }} }}"
    )
    query = f"""query ($ids: [ID!]!, $n: Int, $after: String, $last: Int) {{ nodes(ids: $ids) {{
      __typename id ... on Issue {{ timeline(last: $last) {{ {PAGE} }} }}
      ... on Person {{ {trail} }} ... on Organisation {{ {trail} }} ... on Position {{ {trail} }}
      ... on Notice {{ {trail} }} ... on Mobilisation {{ {trail} }}
      ... on CompoundMeeting {{ {trail} }} ... on FundEntry {{ {trail} }}
      ... on JointMeeting {{ {trail} }} ... on Issue {{ {trail} }} }} }}"""
    for role in ("admin", *ROLES):
        data = await compiled(api, query, {"ids": asked, "n": 1, "after": None, "last": 2}, role)
        ends = [
            node["auditTrail"]["pageInfo"]["endCursor"]
            for node in data["nodes"]
            if node and node["auditTrail"]["pageInfo"]["hasNextPage"]
        ]
        for end in ends[:1]:
            await compiled(api, query, {"ids": asked, "n": 1, "after": end, "last": 2}, role)
    me = f"query ($n: Int, $after: String) {{ me {{ person {{ id {trail} }} }} }}"
    for role in ("secretary", "resident", "property_firm", "supervisor"):
        executed = await api.answered(me, {"n": 2, "after": None}, as_=role)
        assert executed.served == ["me.person"], role
        await compiled(api, me, {"n": 2, "after": None}, role)
