"""Who may do what with the problem list, through GraphQL with the demo tokens: the policy
rows for `issue` (policies/policy.csv) and the `own` and `assigned` conditions."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from db.models import Issue, IssueStatus, OrganisationLink
from schema.ids import decode_id
from tests.factories import issues as make_issues
from tests.helpers import Api, gid
from tests.issue_helpers import (
    COMMITTEE_A,
    COMMUNITY,
    FIRM_A,
    claim,
    entries_since,
    events,
    found_ids,
    issue_in,
    last_seq,
    mutate,
    ok,
    org,
    org_id,
    person,
    person_id,
    report,
    resolve,
    row,
    start,
    timeline,
    unique,
)

VIEW = """
query ($f: IssueFilter) { issues(filter: $f, first: 10) { totalCount edges { node {
  id title reporter { id name phone }
  lastEvent { kind actor { id } }
  timeline(first: 20) { edges { node { id kind actor { id } actorOrganisation { name } } } } } } } }
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Issue { reporter { id } } ... on IssueEvent { kind actor { id } } } }"


async def _issue_count(api: Api) -> int:
    return int(await api.scalar(sa.select(sa.func.count()).select_from(Issue)))


async def _state(api: Api, issue: str) -> tuple[dict[str, Any], int]:
    return (await row(api, issue)).model_dump(), len(await events(api, issue))


async def _view(api: Api, title: str, as_: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    result = await api.run(VIEW, {"f": {"search": title}}, as_=as_)
    return [e["node"] for e in result.ok()["issues"]["edges"]], result.extensions


async def _refused(
    api: Api, name: str, input: dict[str, Any], as_: str, code: str, issue: str | None = None
) -> None:
    """NAME is refused with CODE for AS_, changes nothing, and leaves one audit entry."""
    before = await _state(api, issue) if issue else None
    count = await _issue_count(api)
    seq = await last_seq(api)
    result = await mutate(api, name, input, as_=as_)
    assert result.codes == [code], (name, as_, result.errors)
    assert result.data is None or result.data.get(name) is None
    if issue:
        assert await _state(api, issue) == before
    assert await _issue_count(api) == count
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.error_code) == (name, code)
    # Out-of-scope records answer NOT_FOUND but are audited as denials.
    assert entry.outcome == ("DENIED" if code in ("FORBIDDEN", "NOT_FOUND") else "REJECTED")
    assert entry.actor_person_id == await person_id(api, as_)
    assert entry.changes == []


# --- reporting -------------------------------------------------------------------------


async def test_a_resident_reports_in_their_own_compound(api: Api) -> None:
    issue = await ok(
        api,
        "reportIssue",
        {
            "compound": api.ids["compound_a"],
            "channel": "MICRO_WISH",
            "category": "ELDER_CARE",
            "title": unique(),
        },
        as_="resident",
        selection="id status reporter { id } compound { id }",
    )
    assert issue["reporter"]["id"] == await person(api, "resident")
    assert issue["compound"]["id"] == api.ids["compound_a"]


@pytest.mark.parametrize(
    ("who", "compound", "code"),
    [
        ("resident", "b", "NOT_FOUND"),  # B is not theirs to see
        ("resident_b", "a", "NOT_FOUND"),
        ("property_firm", "a", "FORBIDDEN"),  # sees the compound it serves, reports nothing
        ("supervisor", "a", "FORBIDDEN"),
    ],
)
async def test_reporting_elsewhere_is_refused_creates_nothing_and_is_audited(
    api: Api, who: str, compound: str, code: str
) -> None:
    input = {
        "compound": api.ids[f"compound_{compound}"],
        "channel": "HOTLINE",
        "category": "OTHER",
        "title": unique(),
    }
    await _refused(api, "reportIssue", input, who, code)


async def test_only_the_branch_and_committees_report_for_others(api: Api) -> None:
    resident = await person(api, "resident")
    neighbour = await person(api, "committee_member")
    input = {
        "compound": api.ids["compound_a"],
        "channel": "DOOR_TO_DOOR_VISIT",
        "category": "OTHER",
        "title": unique(),
    }
    await _refused(api, "reportIssue", {**input, "reporter": neighbour}, "resident", "FORBIDDEN")
    filed = await ok(
        api,
        "reportIssue",
        {**input, "reporter": resident},
        as_="secretary",
        selection="id reporter { id }",
    )
    assert filed["reporter"]["id"] == resident
    # The resident sees it as their own: reporter shown, and they confirm it in the end.
    mine, extensions = await _view(api, input["title"], "resident")
    assert mine[0]["reporter"]["id"] == resident
    assert "maskedFields" not in extensions
    # The REPORT entry names who filed it.
    assert (await timeline(api, filed["id"]))[0]["actor"]["id"] == await person(api, "secretary")
    # Only for someone living in the compound: the secretary cannot see a resident of B at all,
    # and the admin, who can, is told the reporter must live there.
    outsider = await person(api, "resident_b")
    await _refused(api, "reportIssue", {**input, "reporter": outsider}, "secretary", "NOT_FOUND")
    await _refused(api, "reportIssue", {**input, "reporter": outsider}, "admin", "BAD_USER_INPUT")


# --- the reporter's identity ---------------------------------------------------------


async def test_a_resident_sees_the_compound_issues_but_not_who_reported_them(api: Api) -> None:
    # The committee member is an office holder, whom residents may otherwise see by name.
    member = await person(api, "committee_member")
    seen = await api.run(NODE, {"id": member}, as_="resident")
    assert seen.ok()["node"] == {"id": member}

    theirs = await report(api, as_="committee_member")
    await claim(api, theirs["id"])
    await ok(
        api, "commentOnIssue", {"id": theirs["id"], "body": "補充照片"}, as_="committee_member"
    )
    issues, extensions = await _view(api, theirs["title"], "resident")
    (issue,) = issues
    assert issue["id"] == theirs["id"]
    assert issue["reporter"] is None
    events_ = [e["node"] for e in issue["timeline"]["edges"]]
    assert [(e["kind"], e["actor"]) for e in events_] == [
        ("REPORT", None),  # the reporter acted: hidden
        ("CLAIM", {"id": await person(api, "secretary")}),  # someone else acted: shown
        ("COMMENT", None),
    ]
    assert issue["lastEvent"] == {"kind": "COMMENT", "actor": None}
    assert {"Issue.reporter", "IssueEvent.actor"} <= set(extensions["maskedFields"]["fields"])

    # By id, the same.
    report_event = events_[0]["id"]
    by_id = await api.run(NODE, {"id": report_event}, as_="resident")
    assert by_id.ok()["node"] == {"id": report_event, "kind": "REPORT", "actor": None}
    assert "IssueEvent.actor" in by_id.extensions["maskedFields"]["fields"]
    issue_node = await api.run(NODE, {"id": theirs["id"]}, as_="resident")
    assert issue_node.ok()["node"] == {"id": theirs["id"], "reporter": None}

    # Those who may know see them.
    for who in ("secretary", "committee_member", "supervisor", "admin"):
        (known,), extensions = await _view(api, theirs["title"], who)
        assert known["reporter"]["id"] == member, who
        assert known["timeline"]["edges"][0]["node"]["actor"] == {"id": member}, who


async def test_a_resident_sees_their_own_reporter_and_actor(api: Api) -> None:
    mine = await report(api)
    (issue,), extensions = await _view(api, mine["title"], "resident")
    me = await person(api, "resident")
    assert issue["reporter"]["id"] == me
    assert issue["reporter"]["phone"] is not None
    assert issue["timeline"]["edges"][0]["node"]["actor"] == {"id": me}
    assert "maskedFields" not in extensions


async def test_filtering_by_reporter_reveals_nothing_to_those_who_may_not_know(api: Api) -> None:
    theirs = await report(api, as_="committee_member")
    mine = await report(api)
    member, me = await person(api, "committee_member"), await person(api, "resident")

    assert theirs["id"] not in await found_ids(api, {"reporter": member}, "resident")
    assert await found_ids(api, {"reporter": member, "search": theirs["title"]}, "resident") == []
    assert await found_ids(api, {"reporter": me, "search": mine["title"]}, "resident") == [
        mine["id"]
    ]
    assert await found_ids(api, {"reporter": member, "search": theirs["title"]}, "secretary") == [
        theirs["id"]
    ]
    assert await found_ids(api, {"reporter": me}, "resident_b") == []

    reported = """
    query ($id: ID!) { node(id: $id) { ... on Person { reportedIssues(first: 100) {
      totalCount edges { node { id } } } } } }
    """
    as_resident = (await api.run(reported, {"id": member}, as_="resident")).ok()["node"]
    assert as_resident["reportedIssues"] == {"totalCount": 0, "edges": []}
    as_secretary = (await api.run(reported, {"id": member}, as_="secretary")).ok()["node"]
    assert theirs["id"] in {e["node"]["id"] for e in as_secretary["reportedIssues"]["edges"]}
    own = (await api.run(reported, {"id": me}, as_="resident")).ok()["node"]
    assert mine["id"] in {e["node"]["id"] for e in own["reportedIssues"]["edges"]}


# --- the reporter's own rights ---------------------------------------------------------


async def test_a_resident_comments_on_and_confirms_only_their_own_issue(api: Api) -> None:
    theirs = await report(api, as_="committee_member")
    for step in (claim, start, resolve):
        await step(api, theirs["id"])
    await _refused(
        api,
        "commentOnIssue",
        {"id": theirs["id"], "body": "我也遇到"},
        "resident",
        "FORBIDDEN",
        theirs["id"],
    )
    await _refused(
        api,
        "confirmIssue",
        {"id": theirs["id"], "accept": True, "satisfaction": 1},
        "resident",
        "FORBIDDEN",
        theirs["id"],
    )

    mine = await issue_in(api, "RESOLVED")
    commented = await ok(
        api, "commentOnIssue", {"id": mine["id"], "body": "已看到"}, as_="resident"
    )
    assert commented["version"] == mine["version"] + 1
    closed = await ok(
        api, "confirmIssue", {"id": mine["id"], "accept": True, "satisfaction": 5}, as_="resident"
    )
    assert closed["status"] == "CLOSED"


@pytest.mark.parametrize("who", ["secretary", "committee_member", "admin", "supervisor"])
async def test_only_the_reporter_confirms(api: Api, who: str) -> None:
    issue = await issue_in(api, "RESOLVED")
    for accept in ({"accept": True, "satisfaction": 5}, {"accept": False, "comment": "重做"}):
        await _refused(
            api, "confirmIssue", {"id": issue["id"], **accept}, who, "FORBIDDEN", issue["id"]
        )


# --- the branch and committees ------------------------------------------------------------


async def _taker(api: Api) -> dict[str, Any]:
    return {"organisation": await org(api, COMMITTEE_A)}


async def _escalation(api: Api) -> dict[str, Any]:
    return {"reason": "需要街道協調"}


async def _rejection(api: Api) -> dict[str, Any]:
    return {"note": "重複上報"}


async def _original(api: Api) -> dict[str, Any]:
    return {"original": (await report(api))["id"]}


# What each action on a REPORTED issue needs besides its id.
WORK = {
    "claimIssue": _taker,
    "assignIssue": _taker,
    "escalateIssue": _escalation,
    "rejectIssue": _rejection,
    "markDuplicate": _original,
}


@pytest.mark.parametrize("name", sorted(WORK))
async def test_the_branch_and_committees_work_reported_issues_residents_do_not(
    api: Api, name: str
) -> None:
    for who in ("secretary", "committee_member"):
        issue = await report(api)
        done = await ok(api, name, {"id": issue["id"], **await WORK[name](api)}, as_=who)
        assert done["status"] != "REPORTED"
        assert (await entries_since(api, await last_seq(api) - 1))[-1].role == who
    issue = await report(api)
    await _refused(
        api,
        name,
        {"id": issue["id"], **await WORK[name](api)},
        "resident",
        "FORBIDDEN",
        issue["id"],
    )


# --- the property firm --------------------------------------------------------------------


async def _firm_world(api: Api) -> dict[str, Any]:
    """Issues of compound A: one assigned to the firm, one unassigned, one claimed by the owners'
    committee; one of compound B; all titled with one unique prefix."""
    prefix = unique("物業")
    assigned = await report(api, title=f"{prefix} assigned")
    await ok(
        api,
        "assignIssue",
        {"id": assigned["id"], "organisation": await org(api, FIRM_A)},
        as_="secretary",
    )
    unassigned = await report(api, title=f"{prefix} unassigned")
    committee = await report(api, title=f"{prefix} committee")
    await claim(api, committee["id"])
    in_b = await report(api, as_="resident_b", compound="b", title=f"{prefix} in B")
    return {
        "prefix": prefix,
        "assigned": assigned,
        "unassigned": unassigned,
        "committee": committee,
        "in_b": in_b,
    }


async def test_the_firm_sees_only_issues_assigned_to_it_in_compounds_it_serves(api: Api) -> None:
    world = await _firm_world(api)
    # An issue of B assigned to the firm directly in the table: B is not a compound it serves.
    (b_assigned,) = await make_issues(
        api.db,
        [
            {
                "compound_id": api.compound("b"),
                "reporter_id": await person_id(api, "resident_b"),
                "title": f"{world['prefix']} B assigned",
                "status": IssueStatus.CLAIMED,
                "assignee_organisation_id": await org_id(api, FIRM_A),
            }
        ],
    )
    visible = set(await found_ids(api, {"search": world["prefix"]}, "property_firm"))
    assert world["assigned"]["id"] in visible
    assert world["unassigned"]["id"] not in visible
    assert world["in_b"]["id"] not in visible
    assert gid("Issue", b_assigned) not in visible
    for hidden in (world["unassigned"], world["in_b"]):
        assert (await api.run(NODE, {"id": hidden["id"]}, as_="property_firm")).ok()["node"] is None


async def test_the_firm_does_not_see_issues_claimed_by_the_owners_committee(api: Api) -> None:
    world = await _firm_world(api)
    visible = set(await found_ids(api, {"search": world["prefix"]}, "property_firm"))
    assert visible == {world["assigned"]["id"]}


async def test_the_firm_cannot_work_issues_claimed_by_the_owners_committee(api: Api) -> None:
    world = await _firm_world(api)
    issue = world["committee"]["id"]
    await _refused(api, "startIssue", {"id": issue}, "property_firm", "NOT_FOUND", issue)
    await _refused(
        api, "commentOnIssue", {"id": issue, "body": "我們來"}, "property_firm", "NOT_FOUND", issue
    )


async def test_the_firm_works_its_issues_but_does_not_claim_or_reject(api: Api) -> None:
    world = await _firm_world(api)
    issue = world["assigned"]["id"]
    firm = await org(api, FIRM_A)
    started = await ok(api, "startIssue", {"id": issue, "note": "已派維修工"}, as_="property_firm")
    assert started["status"] == "IN_PROGRESS"
    await ok(api, "commentOnIssue", {"id": issue, "body": "明天上午處理"}, as_="property_firm")
    resolved = await ok(api, "resolveIssue", {"id": issue, "note": "已修復"}, as_="property_firm")
    assert resolved["status"] == "RESOLVED"
    last_three = (await timeline(api, issue, as_="property_firm"))[-3:]
    assert [(e["kind"], e["actorOrganisation"]) for e in last_three] == [
        ("STATUS_CHANGE", {"id": firm, "name": FIRM_A}),
        ("COMMENT", {"id": firm, "name": FIRM_A}),
        ("STATUS_CHANGE", {"id": firm, "name": FIRM_A}),
    ]
    assert {e["actor"]["id"] for e in last_three} == {await person(api, "property_firm")}
    audit = (await entries_since(api, await last_seq(api) - 1))[-1]
    assert (audit.operation, audit.role) == ("resolveIssue", "property_firm")

    # Authorization comes before the lifecycle: a firm may not claim or reject at all.
    await _refused(
        api, "claimIssue", {"id": issue, "organisation": firm}, "property_firm", "FORBIDDEN", issue
    )
    await _refused(
        api, "rejectIssue", {"id": issue, "note": "不歸我們管"}, "property_firm", "FORBIDDEN", issue
    )
    await _refused(
        api, "escalateIssue", {"id": issue, "reason": "太難"}, "property_firm", "FORBIDDEN", issue
    )
    # Issues not assigned to it do not exist for it.
    other = world["unassigned"]["id"]
    await _refused(
        api, "commentOnIssue", {"id": other, "body": "?"}, "property_firm", "NOT_FOUND", other
    )
    await _refused(
        api, "claimIssue", {"id": other, "organisation": firm}, "property_firm", "NOT_FOUND", other
    )


async def test_the_firm_loses_its_issues_when_its_contract_ends(api: Api) -> None:
    world = await _firm_world(api)
    issue = world["assigned"]["id"]
    assert await found_ids(api, {"search": world["prefix"]}, "property_firm") == [issue]
    contract = await api.scalar(
        sa.select(OrganisationLink.id).where(
            OrganisationLink.source_id == await org_id(api, FIRM_A),
            OrganisationLink.target_id == api.compound("a"),
            OrganisationLink.kind == "SERVES",
        )
    )
    await ok(
        api,
        "endLink",
        {"id": gid("OrganisationLink", contract)},
        as_="secretary",
        selection="id active",
    )
    assert await found_ids(api, {"search": world["prefix"]}, "property_firm") == []
    await _refused(
        api, "resolveIssue", {"id": issue, "note": "x"}, "property_firm", "NOT_FOUND", issue
    )


async def test_the_firm_counts_only_its_own_issues(api: Api) -> None:
    stats = "query ($s: ID!) { issueStatistics(scope: $s) { total } }"

    async def total() -> int:
        result = await api.run(stats, {"s": api.ids["compound_a"]}, as_="property_firm")
        count: int = result.ok()["issueStatistics"]["total"]
        return count

    before = await total()
    await _firm_world(api)  # one issue of A assigned to the firm, two others, one of B
    assert await total() == before + 1


async def test_the_firm_knows_the_reporter_but_never_their_phone(api: Api) -> None:
    world = await _firm_world(api)
    (issue,), extensions = await _view(api, world["assigned"]["title"], "property_firm")
    assert issue["reporter"]["id"] == await person(api, "resident")
    assert issue["reporter"]["name"]
    assert issue["reporter"]["phone"] is None
    assert "Person.phone" in extensions["maskedFields"]["fields"]
    assert "Issue.reporter" not in extensions["maskedFields"]["fields"]


# --- the supervisor ---------------------------------------------------------------------------


async def test_the_supervisor_reads_both_compounds_with_reporters(api: Api) -> None:
    prefix = unique("街道")
    in_a = await report(api, title=f"{prefix} A")
    in_b = await report(api, as_="resident_b", compound="b", title=f"{prefix} B")
    issues, extensions = await _view(api, prefix, "supervisor")
    reporters = {i["id"]: i["reporter"]["id"] for i in issues}
    assert reporters == {
        in_a["id"]: await person(api, "resident"),
        in_b["id"]: await person(api, "resident_b"),
    }
    assert all(i["reporter"]["phone"] for i in issues)
    assert "maskedFields" not in extensions


async def test_every_issue_mutation_is_forbidden_to_the_supervisor(api: Api) -> None:
    reported = await report(api)
    resolved = await issue_in(api, "RESOLVED")
    committee = await org(api, COMMITTEE_A)
    original = await report(api)
    attempts: list[tuple[str, dict[str, Any], str | None]] = [
        (
            "reportIssue",
            {
                "compound": api.ids["compound_b"],
                "channel": "HOTLINE",
                "category": "OTHER",
                "title": "x",
            },
            None,
        ),
        ("claimIssue", {"id": reported["id"], "organisation": committee}, reported["id"]),
        ("assignIssue", {"id": reported["id"], "organisation": committee}, reported["id"]),
        ("startIssue", {"id": reported["id"]}, reported["id"]),
        ("resolveIssue", {"id": reported["id"], "note": "x"}, reported["id"]),
        ("rejectIssue", {"id": reported["id"], "note": "x"}, reported["id"]),
        ("markDuplicate", {"id": reported["id"], "original": original["id"]}, reported["id"]),
        ("commentOnIssue", {"id": reported["id"], "body": "x"}, reported["id"]),
        ("escalateIssue", {"id": reported["id"], "reason": "x"}, reported["id"]),
        ("confirmIssue", {"id": resolved["id"], "accept": True, "satisfaction": 3}, resolved["id"]),
    ]
    for name, input, issue in attempts:
        await _refused(api, name, input, "supervisor", "FORBIDDEN", issue)


# --- isolation between compounds -----------------------------------------------------------


async def test_resident_b_sees_nothing_of_a_by_any_path(api: Api) -> None:
    prefix = unique("隔離")
    issue = await issue_in(api, "CLAIMED", title=f"{prefix} A")
    event = (await timeline(api, issue["id"]))[0]["id"]
    community = await org(api, COMMUNITY)
    stats_query = "query ($s: ID!) { issueStatistics(scope: $s) { total overdueCount byStatus { status count } } }"
    community_before = (await api.run(stats_query, {"s": community}, as_="resident_b")).ok()[
        "issueStatistics"
    ]

    assert await found_ids(api, {"search": prefix}, "resident_b") == []
    assert issue["id"] not in await found_ids(api, {}, "resident_b")
    assert await found_ids(api, {"compound": api.ids["compound_a"]}, "resident_b") == []
    assert await found_ids(api, {"subtree": community, "search": prefix}, "resident_b") == []
    for id_ in (issue["id"], event):
        assert (await api.run(NODE, {"id": id_}, as_="resident_b")).ok()["node"] is None
    nodes = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [issue["id"], event]},
        as_="resident_b",
    )
    assert nodes.ok()["nodes"] == [None, None]
    through_tree = await api.run(
        "query ($id: ID!) { organisation(id: $id) { issues(first: 100) { edges { node { id } } } } }",
        {"id": community},
        as_="resident_b",
    )
    tree = through_tree.ok()["organisation"]["issues"]["edges"]
    assert issue["id"] not in {e["node"]["id"] for e in tree}
    stats = (await api.run(stats_query, {"s": api.ids["compound_a"]}, as_="resident_b")).ok()[
        "issueStatistics"
    ]
    assert stats == {"total": 0, "overdueCount": 0, "byStatus": []}
    community_after = (await api.run(stats_query, {"s": community}, as_="resident_b")).ok()[
        "issueStatistics"
    ]
    assert community_after == community_before
    # The resident of A does see it through the same paths.
    assert await found_ids(api, {"subtree": community, "search": prefix}, "resident") == [
        issue["id"]
    ]


async def test_nobody_edits_another_compounds_issues(api: Api) -> None:
    in_b = await report(api, as_="resident_b", compound="b")
    original_b = await report(api, as_="resident_b", compound="b")
    committee = await org(api, COMMITTEE_A)
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("claimIssue", {"organisation": committee}),
        ("assignIssue", {"organisation": committee}),
        ("startIssue", {}),
        ("rejectIssue", {"note": "x"}),
        ("markDuplicate", {"original": original_b["id"]}),
        ("commentOnIssue", {"body": "x"}),
        ("escalateIssue", {"reason": "x"}),
        ("confirmIssue", {"accept": True, "satisfaction": 5}),
    ]
    for who in ("secretary", "committee_member", "resident"):
        for name, extra in attempts:
            await _refused(api, name, {"id": in_b["id"], **extra}, who, "NOT_FOUND", in_b["id"])
    stored = await row(api, in_b["id"])
    assert (stored.status, stored.version, stored.compound_id) == ("REPORTED", 1, api.compound("b"))
    assert decode_id(in_b["id"], "Issue") == stored.id
