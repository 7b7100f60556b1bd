"""Co-building lists (共建清單) through GraphQL with real tokens: the secretary publishes the
needs list and records partners' projects, which move COMMITTED → COMPLETED | CANCELLED; the
yearly summary says which partners did at least one practical thing. Refusals change nothing
and are audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from db import clock
from db.models import CoBuildingNeed, CoBuildingProject, ProjectStatus
from resolvers.co_building import queries as co_building
from schema.ids import decode_id
from tests.helpers import Api, FromToday, StatementCounter, gid, resolved
from tests.issue_helpers import FIRM_A, entries_since, last_seq, ok, org, person
from tests.posts_helpers import as_resident, centre, partner, refused

YEAR = clock.today().year
NEED = "id year title category description compound { id } publishedBy { id } projects { id }"
PROJECT = """id year title status dueOn committedOn completedOn outcome cancelReason version
compound { id } partner { id } need { id } recordedBy { id }"""


async def _need_id(api: Api, compound: str, title: str) -> str:
    found = await api.scalar(
        sa.select(CoBuildingNeed.id).where(
            CoBuildingNeed.compound_id == api.compound(compound), CoBuildingNeed.title == title
        )
    )
    return gid("CoBuildingNeed", int(found))


def _need_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "compound": api.ids[f"compound_{compound}"],
        "title": "架空層休閒座椅",
        "category": "設施",
        "year": YEAR,
        **fields,
    }


async def _project_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "compound": api.ids[f"compound_{compound}"],
        "partner": await partner(api),
        "year": YEAR,
        "title": "為驛站捐贈血壓計",
        "dueOn": date(YEAR, 12, 31).isoformat(),
        **fields,
    }


async def _commit(api: Api, **fields: Any) -> dict[str, Any]:
    return await ok(
        api,
        "commitProject",
        await _project_input(api, **fields),
        as_="secretary",
        selection=PROJECT,
    )


# --- the needs list -------------------------------------------------------------------------


async def test_the_secretary_publishes_a_need(api: Api) -> None:
    seq = await last_seq(api)
    need = await ok(
        api,
        "publishNeed",
        _need_input(api, description="老人散步沒處歇腳。"),
        as_="secretary",
        selection=NEED,
    )
    assert (need["year"], need["category"], need["projects"]) == (YEAR, "設施", [])
    assert need["compound"]["id"] == api.ids["compound_a"]
    assert need["publishedBy"]["id"] == await person(api, "secretary")
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.resource_type, entry.outcome) == (
        "publishNeed",
        "need",
        "SUCCESS",
    )


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("resident_b", "NOT_FOUND"),
        ("secretary_b", "NOT_FOUND"),
    ],
)
async def test_only_the_secretary_publishes_needs(api: Api, who: str, code: str) -> None:
    caller = await as_resident(api, "b", 0) if who == "secretary_b" else who
    await refused(api, "publishNeed", _need_input(api), caller, code)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"year": YEAR - 2}, "The year must be"),
        ({"year": YEAR + 2}, "The year must be"),
        ({"title": ""}, "title must not be empty"),
        ({"category": "x" * 41}, "at most 40"),
    ],
)
async def test_bad_needs_are_refused(api: Api, fields: dict[str, Any], says: str) -> None:
    message = await refused(
        api, "publishNeed", _need_input(api, **fields), "secretary", "BAD_USER_INPUT"
    )
    assert says in message


# --- committing projects ----------------------------------------------------------------------


async def test_the_secretary_records_a_partners_commitment(api: Api) -> None:
    need = await _need_id(api, "a", "電動自行車集中充電設施")
    project = await _commit(api, need=need, description="南門車棚")
    assert (project["status"], project["year"], project["committedOn"]) == (
        "COMMITTED",
        YEAR,
        clock.today().isoformat(),
    )
    assert project["partner"]["id"] == await partner(api)
    assert project["need"]["id"] == need
    assert project["recordedBy"]["id"] == await person(api, "secretary")
    listed = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on CoBuildingNeed { projects { id } } } }",
        {"id": need},
        as_="resident",
    )
    assert project["id"] in {p["id"] for p in listed.ok()["node"]["projects"]}


async def test_b_secretary_records_for_b(api: Api) -> None:
    secretary_b = await as_resident(api, "b", 0)
    project = await ok(
        api,
        "commitProject",
        await _project_input(api, "b", partner=await centre(api)),
        as_=secretary_b,
        selection=PROJECT,
    )
    assert project["compound"]["id"] == api.ids["compound_b"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("secretary_b", "NOT_FOUND"),
    ],
)
async def test_only_the_secretary_records_commitments(api: Api, who: str, code: str) -> None:
    caller = await as_resident(api, "b", 0) if who == "secretary_b" else who
    await refused(api, "commitProject", await _project_input(api), caller, code)


async def test_the_partner_must_co_build_with_the_compound(api: Api) -> None:
    # 國網 co-builds with A only.
    secretary_b = await as_resident(api, "b", 0)
    message = await refused(
        api, "commitProject", await _project_input(api, "b"), secretary_b, "BAD_USER_INPUT"
    )
    assert "is not co-building with 上東小區" in message
    firm = await refused(
        api,
        "commitProject",
        await _project_input(api, partner=await org(api, FIRM_A)),
        "secretary",
        "BAD_USER_INPUT",
    )
    assert "partner unit or a social organisation" in firm


async def test_a_link_that_has_ended_does_not_count(api: Api) -> None:
    # The demo's co-building links end on 2027-12-31.
    later = date(2028, 3, 1)
    input = await _project_input(api, year=2028, dueOn="2028-12-31")
    before = await api.scalar(sa.select(sa.func.count()).select_from(CoBuildingProject))
    result = await api.run(
        "mutation ($i: CommitProjectInput!) { commitProject(input: $i) { id } }",
        {"i": input},
        as_="secretary",
        today=later,
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "on 2028-03-01" in result.errors[0]["message"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(CoBuildingProject)) == before


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"year": YEAR + 2, "dueOn": None}, "The year must be"),
        ({"dueOn": date(YEAR + 1, 1, 15).isoformat()}, f"due within {YEAR}"),
        ({"title": " "}, "title must not be empty"),
        ({"need": "NEED_B"}, "another compound or year"),
        ({"need": "NEED_A", "year": YEAR + 1, "dueOn": None}, "another compound or year"),
    ],
)
async def test_bad_commitments_are_refused(api: Api, fields: dict[str, Any], says: str) -> None:
    needs = {
        "NEED_A": await _need_id(api, "a", "樓道線路安全檢查"),
        "NEED_B": await _need_id(api, "b", "兒童閱讀角圖書"),
    }
    input = await _project_input(api, **fields)
    input = {k: needs.get(v, v) if isinstance(v, str) else v for k, v in input.items()}
    input = {k: v for k, v in input.items() if v is not None}
    code = "NOT_FOUND" if fields.get("need") == "NEED_B" else "BAD_USER_INPUT"
    message = await refused(api, "commitProject", input, "secretary", code)
    if code == "BAD_USER_INPUT":
        assert says in message


# --- completing and cancelling ----------------------------------------------------------------


async def test_a_committed_project_is_completed_once(api: Api) -> None:
    project = await _commit(api)
    seq = await last_seq(api)
    done = await ok(
        api,
        "completeProject",
        {
            "project": project["id"],
            "completedOn": clock.today().isoformat(),
            "outcome": "捐贈血壓計2台",
            "expectedVersion": project["version"],
        },
        as_="secretary",
        selection=PROJECT,
    )
    assert (done["status"], done["completedOn"], done["outcome"], done["version"]) == (
        "COMPLETED",
        clock.today().isoformat(),
        "捐贈血壓計2台",
        project["version"] + 1,
    )
    (entry,) = await entries_since(api, seq)
    assert {"field": "status", "before": "COMMITTED", "after": "COMPLETED"} in entry.changes
    again = {
        "project": project["id"],
        "completedOn": clock.today().isoformat(),
        "outcome": "再一次",
    }
    message = await refused(api, "completeProject", again, "secretary", "BAD_USER_INPUT")
    assert "This project is COMPLETED" in message
    cancel = {"project": project["id"], "reason": "不做了"}
    message = await refused(api, "cancelProject", cancel, "secretary", "BAD_USER_INPUT")
    assert "This project is COMPLETED; only a COMMITTED project can be cancelled" in message


async def test_a_cancelled_project_cannot_be_completed(api: Api) -> None:
    project = await _commit(api)
    cancelled = await ok(
        api,
        "cancelProject",
        {"project": project["id"], "reason": "資金未到位"},
        as_="secretary",
        selection=PROJECT,
    )
    assert (cancelled["status"], cancelled["cancelReason"]) == ("CANCELLED", "資金未到位")
    complete = {
        "project": project["id"],
        "completedOn": clock.today().isoformat(),
        "outcome": "做了",
    }
    message = await refused(api, "completeProject", complete, "secretary", "BAD_USER_INPUT")
    assert "This project is CANCELLED" in message


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        (
            {"completedOn": FromToday(days=1)},
            "BAD_USER_INPUT",
            "future",
        ),
        (
            {"completedOn": FromToday(days=-1)},
            "BAD_USER_INPUT",
            "committed on",
        ),
        ({"outcome": ""}, "BAD_USER_INPUT", "outcome must not be empty"),
        ({"expectedVersion": 7}, "CONFLICT", "changed by someone else"),
    ],
)
async def test_bad_completions_are_refused(
    api: Api, change: dict[str, Any], code: str, says: str
) -> None:
    change = resolved(change)
    project = await _commit(api)
    input = {
        "project": project["id"],
        "completedOn": clock.today().isoformat(),
        "outcome": "已完成",
        **change,
    }
    message = await refused(api, "completeProject", input, "secretary", code)
    assert says in message


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("property_firm", "NOT_FOUND"),
        ("resident_b", "NOT_FOUND"),
        ("secretary_b", "NOT_FOUND"),
    ],
)
@pytest.mark.parametrize("action", ["completeProject", "cancelProject"])
async def test_only_the_secretary_completes_or_cancels(
    api: Api, who: str, code: str, action: str
) -> None:
    project = await _commit(api)
    caller = await as_resident(api, "b", 0) if who == "secretary_b" else who
    input = (
        {"project": project["id"], "completedOn": clock.today().isoformat(), "outcome": "已完成"}
        if action == "completeProject"
        else {"project": project["id"], "reason": "資金未到位"}
    )
    await refused(api, action, input, caller, code)


# --- reading ---------------------------------------------------------------------------------

PROJECTS = """query ($f: CoBuildingProjectFilter) { coBuildingProjects(filter: $f, first: 100) {
  totalCount edges { node { id status year compound { id } partner { id } } } } }"""
NEEDS = """query ($f: CoBuildingNeedFilter) { coBuildingNeeds(filter: $f, first: 100) {
  totalCount edges { node { id year compound { id } } } } }"""


async def _projects(api: Api, as_: str, **filter: Any) -> list[dict[str, Any]]:
    data = (await api.run(PROJECTS, {"f": filter}, as_=as_)).ok()["coBuildingProjects"]
    assert data["totalCount"] == len(data["edges"])
    return [edge["node"] for edge in data["edges"]]


async def test_project_filters(api: Api) -> None:
    everything = await _projects(api, "supervisor")
    assert len(everything) == await api.scalar(
        sa.select(sa.func.count()).select_from(CoBuildingProject)
    )
    a = await _projects(api, "supervisor", compound=api.ids["compound_a"])
    assert a and {p["compound"]["id"] for p in a} == {api.ids["compound_a"]}
    by_centre = await _projects(api, "supervisor", partner=await centre(api))
    assert {p["partner"]["id"] for p in by_centre} == {await centre(api)}
    assert {p["compound"]["id"] for p in by_centre} == {
        api.ids["compound_a"],
        api.ids["compound_b"],
    }
    completed = await _projects(api, "supervisor", status="COMPLETED", year=YEAR)
    assert completed and {(p["status"], p["year"]) for p in completed} == {("COMPLETED", YEAR)}
    assert await _projects(api, "supervisor", year=YEAR - 5) == []
    ids = [decode_id(p["id"], "CoBuildingProject") for p in everything]
    assert ids == sorted(ids)


async def test_each_compound_sees_only_its_own_lists(api: Api) -> None:
    for who, mine in (("resident", "a"), ("resident_b", "b")):
        projects = await _projects(api, who)
        assert projects and {p["compound"]["id"] for p in projects} == {api.ids[f"compound_{mine}"]}
        needs = (await api.run(NEEDS, {"f": {}}, as_=who)).ok()["coBuildingNeeds"]["edges"]
        assert needs and {n["node"]["compound"]["id"] for n in needs} == {
            api.ids[f"compound_{mine}"]
        }
    assert await _projects(api, "property_firm") == []
    assert await _projects(api, "resident", compound=api.ids["compound_b"]) == []
    filtered = (await api.run(NEEDS, {"f": {"year": YEAR}}, as_="resident")).ok()["coBuildingNeeds"]
    assert filtered["totalCount"] == 3
    b_project = await api.scalar(
        sa.select(CoBuildingProject.id).where(CoBuildingProject.compound_id == api.compound("b"))
    )
    hidden = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }",
        {"id": gid("CoBuildingProject", int(b_project))},
        as_="resident",
    )
    assert hidden.ok()["node"] is None


async def test_a_need_s_projects_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    query = """query { coBuildingNeeds(first: 100) { edges { node { id
      projects { id status compound { id } } } } } }"""
    edges = (await api.run(query, {}, as_="supervisor")).ok()["coBuildingNeeds"]["edges"]
    projects = [p for edge in edges for p in edge["node"]["projects"]]
    assert projects
    everything = {p["id"]: p["status"] for p in await _projects(api, "supervisor")}
    assert all(everything[p["id"]] == p["status"] for p in projects)
    assert whole_model_reads == []


SUMMARY = """query ($id: ID!, $year: Int!) { organisation(id: $id) {
  coBuildingSummary(year: $year) { partner { id name } committed completed delivered } } }"""


async def _summary(
    api: Api, compound: str, as_: str = "resident", year: int = YEAR
) -> dict[str, Any]:
    result = await api.run(SUMMARY, {"id": api.ids[f"compound_{compound}"], "year": year}, as_=as_)
    rows = result.ok()["organisation"]["coBuildingSummary"]
    return {row["partner"]["id"]: row for row in rows}


async def test_the_yearly_summary_says_who_delivered(api: Api) -> None:
    a = await _summary(api, "a")
    grid, social = await partner(api), await centre(api)
    assert set(a) == {grid, social}
    assert (a[grid]["committed"], a[grid]["completed"], a[grid]["delivered"]) == (2, 1, True)
    assert (a[social]["committed"], a[social]["completed"], a[social]["delivered"]) == (1, 0, False)
    b = await _summary(api, "b", as_="resident_b")
    # In B the centre delivered one project; its cancelled one counts for nothing.
    assert {k: (v["committed"], v["completed"], v["delivered"]) for k, v in b.items()} == {
        social: (1, 1, True)
    }
    # Before any link was in force, no partner; a building has no summary.
    assert await _summary(api, "a", year=2023) == {}
    building = await api.run(
        "query ($id: ID!) { organisation(id: $id) { children(kinds: [BUILDING], first: 1) { edges { node { coBuildingSummary(year: 2026) { delivered } } } } } }",
        {"id": api.ids["compound_a"]},
        as_="resident",
    )
    assert building.ok()["organisation"]["children"]["edges"][0]["node"]["coBuildingSummary"] == []


async def test_completing_the_centres_project_makes_it_deliver(api: Api) -> None:
    project = await api.scalar(
        sa.select(CoBuildingProject.id).where(
            CoBuildingProject.compound_id == api.compound("a"),
            CoBuildingProject.status == ProjectStatus.COMMITTED,
            CoBuildingProject.partner_id == decode_id(await centre(api), "Organisation"),
        )
    )
    await ok(
        api,
        "completeProject",
        {
            "project": gid("CoBuildingProject", int(project)),
            "completedOn": clock.today().isoformat(),
            "outcome": "社工每周兩次到驛站",
        },
        as_="secretary",
        selection="status",
    )
    assert (await _summary(api, "a"))[await centre(api)]["delivered"] is True


async def test_the_summary_and_the_counts_are_one_statement_each(
    api: Api, statements: StatementCounter
) -> None:
    ctx = await api.context("supervisor")
    compounds = [api.compound("a"), api.compound("b"), 999_999]
    try:
        await ctx.reader()
        statements.reset()
        summaries = await co_building.delivery_summaries(ctx, compounds, YEAR)
        assert statements.count == 1, statements.sql
        statements.reset()
        counts = await co_building.project_counts(ctx, compounds, YEAR)
        assert statements.count == 1, statements.sql
    finally:
        await ctx.close()
    assert {p.delivered for p in summaries[api.compound("a")]} == {True, False}
    assert counts == {
        api.compound("a"): co_building.ProjectCounts(committed=3, completed=1),
        api.compound("b"): co_building.ProjectCounts(committed=1, completed=1),
        999_999: co_building.ProjectCounts(),
    }


async def test_project_counts_follow_what_the_caller_may_see(api: Api) -> None:
    ctx = await api.context("resident")
    try:
        counts = await co_building.project_counts(ctx, [api.compound("a"), api.compound("b")], YEAR)
    finally:
        await ctx.close()
    assert counts[api.compound("a")].committed == 3
    assert counts[api.compound("b")] == co_building.ProjectCounts()


@pytest.mark.parametrize("year", [0, -5, 10000])
async def test_a_summary_of_an_impossible_year_is_bad_input(api: Api, year: int) -> None:
    result = await api.run(
        "query ($c: ID!, $y: Int!) { organisation(id: $c) { coBuildingSummary(year: $y) "
        "{ completed } } }",
        {"c": api.ids["compound_a"], "y": year},
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
