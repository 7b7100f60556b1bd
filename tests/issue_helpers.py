"""Helpers for the problem-list tests: run issue mutations as demo roles, walk an issue
through its lifecycle, and read what the database and the audit log hold about it."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import strategies as st

from db.models import (
    PRIORITY_RANK,
    STATUS_RANK,
    AuditEntry,
    Issue,
    IssueEvent,
    IssuePriority,
    IssueStatus,
    Organisation,
)
from db.types import utcnow
from schema.ids import decode_id
from schema.schema import schema
from tests.factories import issues as make_issues
from tests.helpers import Api, Result, gid

ISSUE_FIELDS = """
id title status version createdAt claimedAt timeToClaimSeconds resolvedAt
timeToResolveSeconds closedAt satisfaction rejectionReason allowedNextStatuses overdue dueAt
assignee { id name } duplicateOf { id }
"""
TIMELINE = """
query ($id: ID!) { node(id: $id) { ... on Issue { status version timeline(first: 100) {
  totalCount edges { node { id kind fromStatus toStatus body attachmentUrl
    actor { id name } actorOrganisation { id name } meeting { id } } } } } } }
"""
FIND = """
query ($f: IssueFilter, $first: Int, $after: String, $order: IssueOrder! = NEWEST) {
  issues(filter: $f, first: $first, after: $after, orderBy: $order) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id title status reporter { id name } } } } }
"""

# Demo organisations by name.
COMMITTEE_A = "繼光花苑業主委員會"
BRANCH_A = "繼光花苑小區黨支部"
BOARD_A = "繼光花苑業主監事會"
COMMITTEE_B = "上東小區業主委員會"
FIRM_A = "安居物業服務有限公司"
FIRM_B = "鄰安物業管理有限公司"
DEPARTMENT = "蕉城區住房和城鄉建設局"
PARTNER = "國網寧德供電公司蕉城分部"
COMMUNITY = "濱湖社區"
DISTRICT = "蕉城區"
STREET = "蕉北街道"
DEMO_NAMES = frozenset(
    {COMMITTEE_A, BRANCH_A, BOARD_A, COMMITTEE_B, FIRM_A, FIRM_B, DEPARTMENT, PARTNER}
    | {COMMUNITY, DISTRICT, STREET}
)

_titles = itertools.count(1)


def document(name: str, selection: str = ISSUE_FIELDS) -> str:
    """A mutation document for the field NAME taking `input`, selecting SELECTION."""
    field = schema._schema.mutation_type.fields[name]  # type: ignore[union-attr]
    input_type = field.args["input"].type
    return f"mutation ($input: {input_type}) {{ {name}(input: $input) {{ {selection} }} }}"


async def mutate(
    api: Api, name: str, input: dict[str, Any], *, as_: str | None, selection: str = ISSUE_FIELDS
) -> Result:
    return await api.run(document(name, selection), {"input": input}, as_=as_)


async def ok(
    api: Api, name: str, input: dict[str, Any], *, as_: str, selection: str = ISSUE_FIELDS
) -> dict[str, Any]:
    result = await mutate(api, name, input, as_=as_, selection=selection)
    data: dict[str, Any] = result.ok()[name]
    return data


# The demo city is loaded once per run: its organisations' and people's ids never change.
_org_ids: dict[str, int] = {}
_person_ids: dict[str, int] = {}


async def org_id(api: Api, name: str) -> int:
    """The id of the organisation NAME (of the demo city, or made by the test)."""
    if name not in _org_ids:
        found = await api.scalar(sa.select(Organisation.id).where(Organisation.name == name))
        if name not in DEMO_NAMES:
            return int(found)
        _org_ids[name] = int(found)
    return _org_ids[name]


async def org(api: Api, name: str) -> str:
    return gid("Organisation", await org_id(api, name))


async def person_id(api: Api, role: str) -> int:
    """The person behind a demo token."""
    token = api.tokens[role]
    if token not in _person_ids:
        ctx = await api.context(role)
        await ctx.close()
        assert ctx.actor.person_id is not None
        _person_ids[token] = ctx.actor.person_id
    return _person_ids[token]


async def person(api: Api, role: str) -> str:
    return gid("Person", await person_id(api, role))


def unique(prefix: str = "問題") -> str:
    """A title no other issue has, so a test can find exactly its own issues by search."""
    return f"{prefix}-{next(_titles)}-{uuid.uuid4().hex[:10]}"


async def report(
    api: Api, *, as_: str = "resident", compound: str = "a", **fields: Any
) -> dict[str, Any]:
    input = {
        "compound": api.ids[f"compound_{compound}"],
        "channel": "PHOTO_REPORT",
        "category": "PARKING",
        "title": unique(),
        **fields,
    }
    return await ok(api, "reportIssue", input, as_=as_)


# How to move an issue one step, as whom; "resident" is the reporter of issues made by `report`.
async def claim(api: Api, issue: str, as_: str = "secretary", body: str = COMMITTEE_A) -> Any:
    return await ok(api, "claimIssue", {"id": issue, "organisation": await org(api, body)}, as_=as_)


async def start(api: Api, issue: str, as_: str = "secretary") -> Any:
    return await ok(api, "startIssue", {"id": issue}, as_=as_)


async def resolve(api: Api, issue: str, as_: str = "secretary") -> Any:
    return await ok(api, "resolveIssue", {"id": issue, "note": "已處理"}, as_=as_)


async def close(api: Api, issue: str, as_: str = "resident", rating: int = 5) -> Any:
    return await ok(
        api, "confirmIssue", {"id": issue, "accept": True, "satisfaction": rating}, as_=as_
    )


async def reopen(api: Api, issue: str, as_: str = "resident") -> Any:
    return await ok(
        api, "confirmIssue", {"id": issue, "accept": False, "comment": "還沒修好"}, as_=as_
    )


async def escalate(api: Api, issue: str, as_: str = "secretary", meeting: str | None = None) -> Any:
    input: dict[str, Any] = {"id": issue, "reason": "小區無法獨立解決"}
    if meeting is not None:
        input["meeting"] = meeting
    return await ok(api, "escalateIssue", input, as_=as_)


async def reject(api: Api, issue: str, as_: str = "secretary") -> Any:
    return await ok(api, "rejectIssue", {"id": issue, "note": "不屬於小區事務"}, as_=as_)


async def duplicate(api: Api, issue: str, as_: str = "secretary") -> Any:
    original = await report(api)
    return await ok(api, "markDuplicate", {"id": issue, "original": original["id"]}, as_=as_)


# The shortest way from REPORTED to each status, by the lifecycle.
PATHS: dict[str, list[Any]] = {
    "REPORTED": [],
    "CLAIMED": [claim],
    "IN_PROGRESS": [claim, start],
    "RESOLVED": [claim, start, resolve],
    "CLOSED": [claim, start, resolve, close],
    "REOPENED": [claim, start, resolve, reopen],
    "ESCALATED": [escalate],
    "REJECTED": [reject],
    "DUPLICATE": [duplicate],
}


async def issue_in(api: Api, status: str, **fields: Any) -> dict[str, Any]:
    """A new issue of compound A reported by `resident`, moved to STATUS."""
    issue = await report(api, **fields)
    for step in PATHS[status]:
        issue = await step(api, issue["id"])
    assert issue["status"] == status
    return issue


async def row(api: Api, issue: str) -> Issue:
    async with api.db.read_sessions() as session:
        found = await session.get(Issue, decode_id(issue, "Issue"), populate_existing=True)
        assert found is not None
        return found


async def events(api: Api, issue: str) -> list[IssueEvent]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(IssueEvent)
            .where(IssueEvent.issue_id == decode_id(issue, "Issue"))
            .order_by(IssueEvent.id)
        )
        return list(rows.scalars().all())


async def timeline(api: Api, issue: str, as_: str = "secretary") -> list[dict[str, Any]]:
    result = await api.run(TIMELINE, {"id": issue}, as_=as_)
    node = result.ok()["node"]
    assert node is not None
    return [edge["node"] for edge in node["timeline"]["edges"]]


async def last_seq(api: Api) -> int:
    return int(await api.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.seq), 0))))


async def entries_since(api: Api, seq: int) -> list[AuditEntry]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq)
        )
        return list(rows.scalars().all())


async def found_ids(api: Api, filter: dict[str, Any], as_: str, **variables: Any) -> list[str]:
    """Ids of every issue FILTER matches for AS_, walking all pages."""
    ids: list[str] = []
    after = None
    while True:
        result = await api.run(
            FIND, {"f": filter, "first": 100, "after": after, **variables}, as_=as_
        )
        page = result.ok()["issues"]
        ids += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


# Statuses the sortable issues take in turn, out of STATUS_RANK's order, so STATUS ties too.
SORT_STATUSES = (IssueStatus.RESOLVED, IssueStatus.REPORTED, IssueStatus.IN_PROGRESS)


def sortable_shapes(max_size: int) -> st.SearchStrategy[list[tuple[IssuePriority, int, int]]]:
    """Shapes for `sortable_issues`: up to MAX_SIZE (priority, created step, due step)."""
    return st.lists(
        st.tuples(st.sampled_from(IssuePriority), st.integers(0, 3), st.integers(0, 3)),
        min_size=0,
        max_size=max_size,
    )


async def sortable_issues(
    api: Api, shape: list[tuple[IssuePriority, int, int]]
) -> tuple[str, list[dict[str, Any]]]:
    """Issues whose created and due times fall on a coarse grid and whose statuses take
    three values in turn, so ties are common."""
    token = f"排序-{uuid.uuid4().hex[:10]}"
    base = utcnow()
    resident = await person_id(api, "resident")
    specs = [
        {
            "compound_id": api.compound("a"),
            "reporter_id": resident,
            "title": f"{token} {n}",
            "priority": priority,
            "status": SORT_STATUSES[n % len(SORT_STATUSES)],
            "created_at": base - timedelta(minutes=created),
            "due_at": base + timedelta(hours=due),
        }
        for n, (priority, created, due) in enumerate(shape)
    ]
    ids = await make_issues(api.db, specs)
    return token, [{**spec, "id": i} for spec, i in zip(specs, ids, strict=True)]


def expected_order(order: str, rows: list[dict[str, Any]]) -> list[int]:
    """The ids of ROWS in the issues list's ORDER, sorted in Python."""
    if order == "NEWEST":
        return [
            r["id"] for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)
        ]
    if order == "OLDEST":
        return [r["id"] for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]))]
    if order == "DUE_SOONEST":
        return [r["id"] for r in sorted(rows, key=lambda r: (r["due_at"], r["id"]))]
    if order == "STATUS":
        return [
            r["id"]
            for r in sorted(
                rows, key=lambda r: (STATUS_RANK[r["status"]], r["created_at"], r["id"])
            )
        ]
    return [
        r["id"]
        for r in sorted(
            rows,
            key=lambda r: (PRIORITY_RANK[r["priority"]], r["created_at"], r["id"]),
            reverse=True,
        )
    ]
