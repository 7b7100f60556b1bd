"""`me`, `node` and `nodes` answered by compiled reads agree with the loaders, for every
demo role, the partner token and an anonymous caller (tests.helpers.Api compares each
compiled answer with the resolvers' and counts it in ORACLE)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ORACLE, Api
from tests.schema.compiled.test_oracle import ROLES

LISTS = {
    "Issue": "issues",
    "Person": "people",
    "Organisation": "organisations",
    "Position": "positions",
    "Notice": "notices",
    "Mobilisation": "mobilisations",
    "CompoundMeeting": "compoundMeetings",
    "FundEntry": "fundEntries",
    "JointMeeting": "jointMeetings",
}
NODE = """query ($id: ID!) { node(id: $id) { __typename id
  ... on Issue { title issueStatus: status overdue reporter { name } compound { name }
    timeline(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { kind } } } }
  ... on Person { name createdAt }
  ... on Organisation { name organisationKind: kind depth }
  ... on Position { positionTitle: title active person { name } organisation { name } }
  ... on Notice { title noticeKind: kind compound { name } }
  ... on Mobilisation { title callStatus: status respondBy }
  ... on CompoundMeeting { title meetingStatus: status compound { name } }
  ... on FundEntry { amount fundKind: kind compound { name } }
  ... on JointMeeting { title scheduledFor jointStatus: status minutes organisation { name } }
} }"""


async def _ids(api: Api, per_type: int = 3) -> dict[str, list[str]]:
    """Global ids of demo rows of every compiled node type (as the admin sees them)."""
    found: dict[str, list[str]] = {}
    for type_name, root in LISTS.items():
        query = f"{{ {root}(first: {per_type}) {{ edges {{ node {{ id }} }} }} }}"
        result = await api.run(query, as_="admin")
        assert not result.errors, result.errors
        found[type_name] = [edge["node"]["id"] for edge in result.data[root]["edges"]]
        assert found[type_name], f"the demo has no {type_name}"
    return found


@pytest.fixture
async def ids(api: Api) -> dict[str, list[str]]:
    return await _ids(api)


async def test_node_of_every_compiled_type_agrees_for_every_caller(
    api: Api, ids: dict[str, list[str]]
) -> None:
    for role in ROLES:
        for type_name, values in ids.items():
            for value in values:
                before = ORACLE.compared
                result = await api.run(NODE, {"id": value}, as_=role)
                assert not result.errors, (role, type_name, result.errors)
                assert ORACLE.compared == before + 1, f"{type_name} as {role}: not compiled"


async def test_a_node_the_caller_may_not_see_is_null_on_both_paths(api: Api) -> None:
    # Compound B's issues are out of compound A's resident's sight.
    page = await api.run(
        "query ($c: ID!) { issues(first: 1, filter: {compound: $c}) { edges { node { id } } } }",
        {"c": api.ids["compound_b"]},
        as_="secretary_b",
    )
    hidden = page.data["issues"]["edges"][0]["node"]["id"]
    result = await api.run(NODE, {"id": hidden}, as_="resident")
    assert not result.errors and result.data == {"node": None}


async def test_nodes_of_mixed_types_agree_in_the_order_asked(
    api: Api, ids: dict[str, list[str]]
) -> None:
    asked = [value for values in ids.values() for value in values[:2]]
    asked += [asked[0]]  # asked twice: answered twice
    query = NODE.replace("$id: ID!", "$ids: [ID!]!").replace("node(id: $id)", "nodes(ids: $ids)")
    for role in ROLES:
        before = ORACLE.compared
        result = await api.run(query, {"ids": asked}, as_=role)
        assert not result.errors, (role, result.errors)
        assert ORACLE.compared == before + 1, f"nodes as {role}: not compiled"
        answered: list[Any] = result.data["nodes"]
        assert len(answered) == len(asked)
        for value, node in zip(asked, answered, strict=True):
            assert node is None or node["id"] == value


async def test_nodes_with_a_type_the_compiler_lacks_are_all_answered_by_the_loaders(
    api: Api, ids: dict[str, list[str]]
) -> None:
    events = await api.run(
        "{ issues(first: 1) { edges { node { timeline(first: 1) { edges { node { id } } } } } } }",
        as_="admin",
    )
    event = events.data["issues"]["edges"][0]["node"]["timeline"]["edges"][0]["node"]["id"]
    executed = await api.answered(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [ids["Issue"][0], event]},
        as_="admin",
    )
    assert executed.served == []
    assert [node["__typename"] for node in executed.result.data["nodes"]] == ["Issue", "IssueEvent"]


async def test_me_person_is_compiled_and_a_sensitive_field_falls_back(api: Api) -> None:
    for role in ROLES[1:]:
        if role == "partner":
            continue  # a partner token has no person of its own
        executed = await api.answered("{ me { person { id name createdAt } } }", as_=role)
        assert executed.served == ["me.person"], role
        assert executed.result.data["me"]["person"]["name"]
    executed = await api.answered("{ me { person { name phone } roles { role } } }", as_="resident")
    assert executed.served == []
    assert executed.result.data["me"]["person"]["phone"]
