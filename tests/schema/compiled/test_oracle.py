"""The differential test of compiled reads (issue 14): generated selections over the
problem list, for every demo role, a partner token and an anonymous caller, answered by
the SQL that builds the JSON and by the resolvers, must be the same to the byte.

tests.helpers.Api makes the comparison on every query a compiled read answers (so the
whole suite is part of this test); here the selections are generated to reach every
compiled field, every fallback and the connection's corners (aliases, fragments on the
type and on an interface, @skip/@include by variables, cursors, orders and filters).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from graphql import parse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from schema.cost import DEFAULT_MAX_COST, estimate_cost
from schema.schema import schema
from tests.helpers import ORACLE, Api
from tests.issue_helpers import COMMITTEE_A, FIRM_A, PARTNER, issue_in, mutate, ok, org

ROLES = [
    None,
    "admin",
    "supervisor",
    "secretary",
    "committee_member",
    "property_firm",
    "resident",
    "secretary_b",
    "resident_b",
    "partner",
]
ORGANISATION = ["id", "name", "kind", "depth", "version", "createdAt", "updatedAt", "__typename"]
PERSON = ["id", "name", "version", "createdAt", "updatedAt", "__typename"]
EVENT = [
    "id",
    "kind",
    "fromStatus",
    "toStatus",
    "body",
    "attachmentUrl",
    "createdAt",
    "actorToken",
    "__typename",
]
ISSUE = [
    "id",
    "title",
    "description",
    "channel",
    "category",
    "priority",
    "status",
    "dueAt",
    "createdAt",
    "updatedAt",
    "claimedAt",
    "resolvedAt",
    "closedAt",
    "satisfaction",
    "rejectionReason",
    "timeToClaimSeconds",
    "timeToResolveSeconds",
    "version",
    "overdue",
    "allowedNextStatuses",
    "__typename",
]
RELATED = {
    "compound": ORGANISATION,
    "building": ORGANISATION,
    "assignee": ORGANISATION,
    "assigneePerson": PERSON,
    "reporter": PERSON,
    "lastEvent": EVENT,
}
# Fields the compiler leaves to the resolvers: a selection with one falls back whole.
FALLBACKS = [
    "duplicateOf { id }",
    "timeline(last: null) { edges { node { kind } } }",
    "timeline(first: 2) { edges { node { actor { name } } } }",
    "reporter { phone }",
    "lastEvent { actor { name } }",
    "compound { parent { name } }",
]


def within_cost(text: str, variables: dict[str, object]) -> bool:
    """Whether the document may run: one above the cost limit is refused before either path
    runs (tests/schema/test_cost.py), which says nothing of the two paths."""
    return estimate_cost(schema._schema, parse(text), variables, None) <= DEFAULT_MAX_COST


@dataclass(frozen=True)
class Document:
    text: str
    variables: dict[str, object]


def _leaves(fields: list[str]) -> st.SearchStrategy[list[str]]:
    # Each leaf once: selections of one response key merge, and their leaves are counted
    # together against the ten duplicates of a field a document may hold.
    return st.lists(st.sampled_from(fields), min_size=1, max_size=6, unique=True)


@st.composite
def _timeline(draw: st.DrawFn) -> tuple[str, str]:
    """A first or last page of the timeline (a nested connection), always aliased by its
    size: two alike never ask for different pages."""
    first = draw(st.sampled_from([None, 0, 1, 3]))
    way = draw(st.sampled_from(["first", "last"]))
    parts = [f"edges {{ cursor node {{ {' '.join(draw(_leaves(EVENT)))} }} __typename }}"]
    if draw(st.booleans()):
        parts.append("pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }")
    if draw(st.booleans()):
        parts.append("totalCount __typename")
    size = "" if first is None else f"({way}: {first})"
    alias = f"timeline{way}{first}{draw(st.sampled_from(['A', 'B']))}"
    return f"{alias}: timeline{size}", f"{{ {' '.join(parts)} }}"


@st.composite
def _field(draw: st.DrawFn) -> str:
    """One issue field: a leaf, a related object or a timeline page, maybe aliased, maybe
    switched."""
    below = ""
    kind = draw(st.integers(0, 7))
    if kind <= 1:
        name = draw(st.sampled_from(list(RELATED)))
        below = "{ " + " ".join(draw(_leaves(RELATED[name]))) + " }"
    elif kind == 2:
        name, below = draw(_timeline())
    else:
        name = draw(st.sampled_from(ISSUE))
    # An alias spelled from its field's name: two aliases alike always read the same field.
    alias = f"{name}{draw(st.sampled_from(['A', 'B']))}: " if draw(st.booleans()) else ""
    if kind == 2:
        alias = ""  # aliased already
    switch = draw(st.sampled_from(["", "@include(if: $yes)", "@skip(if: $yes)", "@skip(if: true)"]))
    return f"{alias}{name} {switch} {below}"


@st.composite
def documents(draw: st.DrawFn) -> Document:
    # At most seven: with a fallback and the Node wrapper's id, one field is asked for at
    # most nine times, within the ten duplicates a document may hold (max_duplicate_fields).
    fields = draw(st.lists(_field(), min_size=1, max_size=7))
    if draw(st.integers(0, 5)) == 0:
        fields.append(draw(st.sampled_from(FALLBACKS)))
    wrapper = draw(st.sampled_from(["plain", "inline", "node", "named"]))
    body = " ".join(fields)
    fragments = ""
    if wrapper == "inline":
        body = f"... on Issue {{ {body} }}"
    elif wrapper == "node":
        body = f"... on Node {{ id }} {body}"
    elif wrapper == "named":
        fragments = f"fragment Fields on Issue {{ {body} }}"
        body = "...Fields"
    # $yes is always used somewhere (an unused variable is a validation error).
    connection = [f"edges {{ cursor node {{ {body} }} }}", "__typename @include(if: $yes)"]
    if draw(st.booleans()):
        connection.append("pageInfo { hasNextPage hasPreviousPage startCursor endCursor }")
    if draw(st.booleans()):
        connection.append("totalCount")
    if draw(st.booleans()):
        connection.append("__typename")
    first = draw(st.sampled_from([0, 1, 3, 20, 100]))
    order = draw(st.sampled_from(["NEWEST", "OLDEST", "DUE_SOONEST", "PRIORITY"]))
    statuses = draw(st.sampled_from(["", "filter: {status: [REPORTED, CLAIMED]}, "]))
    text = (
        f"query Page($yes: Boolean!, $after: String) {{ issues({statuses}first: {first}, "
        f"orderBy: {order}, after: $after) {{ {' '.join(connection)} }} }} {fragments}"
    )
    return Document(text, {"yes": draw(st.booleans()), "after": None})


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=documents(), role=st.sampled_from(ROLES))
async def test_generated_selections_answer_the_same_on_both_paths(
    api: Api, document: Document, role: str | None
) -> None:
    assume(within_cost(document.text, document.variables))
    first = await api.run(document.text, document.variables, as_=role)
    assert not first.errors, (document.text, first.errors)
    page = (first.data or {}).get("issues") or {}
    info = page.get("pageInfo") or {}
    if info.get("endCursor"):
        # The next page, after the cursor the compiled read gave out.
        await api.run(document.text, {**document.variables, "after": info["endCursor"]}, as_=role)


async def test_the_benchmark_page_is_compiled_and_agrees(api: Api) -> None:
    query = """query ($c: ID!) { issues(first: 100, filter: {compound: $c}) {
      edges { node { id title status dueAt overdue
        reporter { name } compound { name } assignee { name }
        lastEvent { kind createdAt } } } } }"""
    for role in ROLES:
        before = ORACLE.compared
        result = await api.run(query, {"c": api.ids["compound_a"]}, as_=role)
        assert not result.errors
        assert ORACLE.compared == before + 1, f"{role}: not answered by a compiled read"


@pytest.mark.parametrize(
    "root",
    [
        "auditLog",
        "organisations",
        "people",
        "positions",
        "mobilisations",
        "notices",
        "compoundMeetings",
        "fundEntries",
        "jointMeetings",
    ],
)
async def test_each_compiled_list_is_answered_by_a_compiled_read(api: Api, root: str) -> None:
    for role in ("admin", "supervisor", "secretary", "resident", "partner"):
        before = ORACLE.compared
        result = await api.run(f"{{ {root}(first: 5) {{ edges {{ node {{ id }} }} }} }}", as_=role)
        assert not result.errors, result.errors
        assert ORACLE.compared == before + 1, f"{root} as {role}: not compiled"


TIMELINE = """query ($c: ID!) { issues(first: 20, filter: {compound: $c}) { edges { node {
  id
  timeline(first: 1) { totalCount __typename
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor __typename node { id kind toStatus body createdAt __typename } } }
  whole: timeline { edges { cursor node { id kind } } pageInfo { hasNextPage endCursor } }
  none: timeline(first: 0) { totalCount pageInfo { hasNextPage startCursor endCursor } edges { cursor } }
} } } }"""


async def test_a_timeline_page_is_compiled_and_agrees(api: Api) -> None:
    """Issue.timeline's first page (cursors, pageInfo, totalCount) for every caller; a page
    from a cursor not given out, asked backward with no size (a forward page), of a size
    out of range, or with a field the compiler lacks, leaves the list to the resolvers
    (pages from cursors either way: test_nested)."""
    more = 0
    for role in ROLES:
        for compound in ("compound_a", "compound_b"):
            before = ORACLE.compared
            result = await api.run(TIMELINE, {"c": api.ids[compound]}, as_=role)
            assert not result.errors, (role, result.errors)
            assert ORACLE.compared == before + 1, f"{role}: not compiled"
            edges = result.data["issues"]["edges"]
            more += sum(e["node"]["timeline"]["pageInfo"]["hasNextPage"] for e in edges)
    assert more  # some timelines have a second page
    for selection, variables in (
        ('timeline(first: 2, after: "x") { edges { node { id } } }', {}),
        ("timeline(last: null) { edges { node { id } } }", {}),
        ("timeline(first: $n) { edges { node { id } } }", {"n": 101}),
        ("timeline(first: 101) { edges { node { id } } }", {}),
        ("timeline(first: 2) { edges { node { actorOrganisation { name } } } }", {}),
    ):
        head = "query ($n: Int!)" if variables else "query"
        query = f"{head} {{ issues(first: 2) {{ edges {{ node {{ {selection} }} }} }} }}"
        executed = await api.answered(query, variables, as_="admin")
        assert executed.served == [], selection


async def test_a_selection_the_compiler_lacks_is_answered_by_the_resolvers(api: Api) -> None:
    before = ORACLE.compared
    result = await api.run(
        "{ issues(first: 5) { edges { node { id duplicateOf { id } } } } }", as_="secretary"
    )
    assert not result.errors
    assert len(result.data["issues"]["edges"]) == 5
    assert ORACLE.compared == before  # nothing compiled, nothing to compare


AUDIT_ENTRY = [
    "id",
    "sequence",
    "occurredAt",
    "operation",
    "resourceType",
    "outcome",
    "errorCode",
    "errorMessage",
    "role",
    "requestId",
    "clientAddress",
    "hash",
    "prevHash",
    "token",
    "__typename",
]
POSITION = [
    "id",
    "title",
    "startDate",
    "endDate",
    "version",
    "createdAt",
    "active",
    "person { id name }",
    "organisation { name kind }",
    "__typename",
]
MOBILISATION = [
    "id",
    "title",
    "instructions",
    "urgency",
    "groups",
    "respondBy",
    "status",
    "sentAt",
    "closedAt",
    "version",
    "sender { id name }",
    "target { name kind }",
    "sentBy { name }",
    "__typename",
]
NOTICE = [
    "id",
    "kind",
    "title",
    "body",
    "publishedFrom",
    "publishedUntil",
    "withdrawnAt",
    "withdrawReason",
    "version",
    "createdAt",
    "updatedAt",
    "shownToday",
    "compound { id name }",
    "publisher { name kind }",
    "publishedBy { name }",
    "__typename",
]
COMPOUND_MEETING = [
    "id",
    "kind",
    "title",
    "scheduledFor",
    "location",
    "status",
    "minutes",
    "heldAt",
    "cancelReason",
    "version",
    "compound { id name }",
    "body { name kind }",
    "convenedBy { name }",
    "__typename",
]
FUND_ENTRY = [
    "id",
    "kind",
    "category",
    "amount",
    "year",
    "occurredOn",
    "memo",
    "createdAt",
    "compound { name }",
    "ledger { id name }",
    "body { name kind }",
    "recordedBy { name }",
    "__typename",
]
JOINT_MEETING = [
    "id",
    "title",
    "scheduledFor",
    "location",
    "status",
    "minutes",
    "version",
    "organisation { id name kind }",
    "__typename",
]
# A compiled type's audit trail (tests/schema/compiled/test_nested.py pages through it).
# A page of five: under a list of a hundred, a trail's default page would take the
# document past the cost limit (a hundred entries per row).
TRAIL = (
    "auditTrail(first: 5) { totalCount "
    "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
    "edges { cursor node { id sequence operation outcome occurredAt __typename } } }"
)
# An audit entry's readable fields are Python's: a trail with one falls back.
TRAIL_FALLBACK = "auditTrail(first: 5) { edges { node { actorName } } }"
# The other nested connections (test_nested_fields.py pages through them), a page of three
# with a literal filter, or the last two; a node field of Python's falls back.
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
CHILDREN = [
    f"children(first: 3) {{ totalCount {PAGE_INFO}edges {{ cursor node {{ id name kind }} }} }}",
    "lastChildren: children(last: 2, kinds: [BUILDING, COMPOUND]) "
    "{ totalCount edges { cursor node { name } } }",
]
RECIPIENTS = [
    f"recipients(first: 3) {{ totalCount {PAGE_INFO}"
    "edges { cursor node { id group acknowledgedAt reportedAt report outcome version "
    "person { name } __typename } } }",
    "lastRecipients: recipients(last: 2, filter: {acknowledged: true}) "
    "{ totalCount edges { cursor node { id } } }",
]
POSITIONS = [
    f"positions(first: 3) {{ totalCount {PAGE_INFO}"
    "edges { cursor node { id title startDate endDate active person { name } } } }",
    'activePositions: positions(last: 2, activeOn: "2026-06-01", titles: [SECRETARY]) '
    "{ totalCount edges { cursor node { title organisation { name } } } }",
]
QUESTIONS = [
    f"questions(first: 3) {{ totalCount {PAGE_INFO}"
    "edges { cursor node { id question answer askedAt answeredAt version askedByMe "
    "answeredBy { name } } } }",
    "lastQuestions: questions(last: 2) "
    "{ totalCount edges { cursor node { question notice { title } } } }",
]
LISTS = {
    "positions": ([*POSITION, TRAIL], [TRAIL_FALLBACK, "person { phone }"]),
    "auditLog": (AUDIT_ENTRY, ["input", "actorName", "changes { field }", "occurredAtChina"]),
    "people": ([*PERSON, TRAIL, POSITIONS[0]], ["phone", "skills", "idNumber"]),
    "organisations": (
        [*ORGANISATION, TRAIL, *CHILDREN, *POSITIONS],
        ["parent { name }", "other: children(first: 2) { edges { node { parent { id } } } }"],
    ),
    # The figures and the caller's own answer are Python's: they fall back.
    "mobilisations": (
        [*MOBILISATION, TRAIL, *RECIPIENTS],
        [
            "targeted",
            "turnoutRate",
            "myAnswer { id }",
            "other: recipients(first: 2) { edges { node { responseMinutes } } }",
        ],
    ),
    "notices": (
        [*NOTICE, TRAIL, *QUESTIONS],
        ["readCount", "readByMe", "other: questions(first: 2) { edges { node { asker { id } } } }"],
    ),
    "compoundMeetings": (
        [*COMPOUND_MEETING, TRAIL],
        ["agenda { matter }", "attendance { status }"],
    ),
    "fundEntries": (
        [*FUND_ENTRY, TRAIL],
        ["amountYuan", "lines { amount }", "reverses { id }", "issue { id }"],
    ),
    "jointMeetings": (
        [*JOINT_MEETING, TRAIL],
        ["participants { name }", "agenda { decision }", TRAIL_FALLBACK],
    ),
}
# The lists compiled since issue 17's new domains: every field the compiler builds, read
# forward and backward.
NEWER = ["mobilisations", "notices", "compoundMeetings", "fundEntries", "jointMeetings"]


async def schedule_joint_meetings(api: Api) -> None:
    """Joint meetings besides the demo's one, rolled back with the test: compound A's (a
    partner unit invited, two at one time, one held with minutes, one cancelled without a
    place) and compound B's."""
    at = "2026-01-10T10:00:00.250000+08:00"
    invited = [await org(api, name) for name in (COMMITTEE_A, FIRM_A, PARTNER)]
    escalated = await issue_in(api, "ESCALATED")
    meetings = []
    for who, host, when, place, agenda in (
        ("secretary", "compound_a", at, "社區黨群服務中心", [escalated["id"]]),
        ("secretary", "compound_a", at, None, []),
        ("secretary", "compound_a", "2099-01-10T10:00:00+08:00", "小區會議室", []),
        ("secretary_b", "compound_b", "2026-02-01T09:30:00+08:00", "上東小區", []),
    ):
        meeting = {"organisation": api.ids[host], "title": "聯席會議", "scheduledFor": when}
        meeting |= {"location": place, "participants": invited if who == "secretary" else []}
        scheduled = meeting | {"agenda": agenda}
        meetings.append(await ok(api, "scheduleJointMeeting", scheduled, as_=who, selection="id"))
    decided = {"meeting": meetings[0]["id"], "issue": escalated["id"], "decision": "加裝電梯"}
    decided |= {"assignee": invited[1], "minutes": "議定由物業牽頭"}
    cancel = {"id": meetings[1]["id"], "reason": "改期", "expectedVersion": 1}
    for name, input in (("recordMeetingDecision", decided), ("cancelJointMeeting", cancel)):
        assert not (await mutate(api, name, input, as_="secretary", selection="id")).errors


@pytest.fixture
async def joint_meetings(api: Api) -> None:
    await schedule_joint_meetings(api)


@st.composite
def list_documents(draw: st.DrawFn) -> tuple[str, Document]:
    """A page of audit entries, people or organisations: leaves, aliases, switches, maybe a
    fallback."""
    root = draw(st.sampled_from(sorted(LISTS)))
    leaves, fallbacks = LISTS[root]
    fields = []
    for field in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=6)):
        # "id", "person { id name }", "auditTrail(first: 5) { ... }": the field (with its
        # arguments) and its selection; the alias is spelled from the bare name.
        head, below = _head_and_selection(field)
        name = head.strip()
        bare = name.split("(")[0]
        own = ""
        if ":" in bare:  # "lastChildren: children(last: 2)": a field's other page, apart
            own, _, name = (part.strip() for part in name.partition(":"))
            bare = own
        alias = f"{bare}{draw(st.sampled_from(['A', 'B']))}: " if draw(st.booleans()) else ""
        alias = alias or (f"{own}: " if own else "")
        switch = draw(st.sampled_from(["", "@include(if: $yes)", "@skip(if: $yes)"]))
        fields.append(f"{alias}{name} {switch} {below}")
    if draw(st.integers(0, 4)) == 0:
        fields.append(draw(st.sampled_from(fallbacks)))
    first = draw(st.sampled_from([0, 2, 20, 100]))
    text = (
        f"query ($yes: Boolean!, $after: String) {{ {root}(first: {first}, after: $after) {{ "
        f"__typename @include(if: $yes) totalCount pageInfo {{ hasNextPage endCursor }} "
        f"edges {{ cursor node {{ {' '.join(fields)} }} }} }} }}"
    )
    return root, Document(text, {"yes": draw(st.booleans()), "after": None})


def _head_and_selection(field: str) -> tuple[str, str]:
    """FIELD split before its selection's brace: the first one outside the arguments (an
    input object argument, `filter: {acknowledged: true}`, has braces of its own)."""
    depth = 0
    for position, character in enumerate(field):
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "{" and depth == 0:
            return field[:position], field[position:]
    return field, ""


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=list_documents(), role=st.sampled_from(ROLES))
async def test_other_lists_answer_the_same_on_both_paths(
    api: Api, joint_meetings: None, case: tuple[str, Document], role: str | None
) -> None:
    root, document = case
    assume(within_cost(document.text, document.variables))
    first = await api.run(document.text, document.variables, as_=role)
    assert not first.errors, (document.text, first.errors)
    end = first.data[root]["pageInfo"]["endCursor"]
    if end:
        await api.run(document.text, {**document.variables, "after": end}, as_=role)


@pytest.mark.parametrize(
    ("root", "order"),
    [*((root, "") for root in NEWER), ("positions", "orderBy: PERSON_NAME, ")],
)
async def test_newer_lists_page_both_ways_alike_on_both_paths(
    api: Api, root: str, order: str
) -> None:
    """Each newer list (and the holder's name order of positions, a key from another
    table) compiled for every role, forward and backward."""
    if root == "jointMeetings":
        await schedule_joint_meetings(api)
    leaves, fallbacks = LISTS[root]
    fields = " ".join(leaves)
    page = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
    edges = f"edges {{ cursor node {{ {fields} }} }}"
    forward = (
        f"query ($after: String) {{ {root}({order}first: 2, after: $after) {{ {page} {edges} }} }}"
    )
    backward = (
        f"query ($before: String) {{ {root}({order}last: 2, before: $before) "
        f"{{ {page} {edges} }} }}"
    )
    for role in ROLES:
        before = ORACLE.compared
        first = await api.run(forward, {"after": None}, as_=role)
        assert not first.errors, (role, first.errors)
        end = first.data[root]["pageInfo"]["endCursor"]
        await api.run(forward, {"after": end}, as_=role)
        await api.run(backward, {"before": end}, as_=role)
        await api.run(backward, {"before": None}, as_=role)
        assert ORACLE.compared == before + 4, f"{root} as {role}: not compiled"
    # A field the compiler does not build: the resolvers answer the whole list.
    before = ORACLE.compared
    query = f"{{ {root}({order}first: 2) {{ edges {{ node {{ {fallbacks[0]} }} }} }} }}"
    result = await api.run(query, as_="admin")
    assert not result.errors
    assert ORACLE.compared == before


def test_most_generated_selections_were_compiled() -> None:
    # Runs after the generated tests above (file order): the oracle compared a real share.
    assert ORACLE.compared >= 60, ORACLE.compared
