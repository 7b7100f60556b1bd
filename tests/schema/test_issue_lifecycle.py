"""The issue lifecycle through GraphQL with real tokens: every transition, its timeline
entry, its timestamps, its audit entry; refused transitions and stale versions change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db.models import Issue, Organisation
from db.types import utcnow
from schema.ids import decode_id
from tests.helpers import Api, gid
from tests.issue_helpers import (
    BRANCH_A,
    COMMITTEE_A,
    COMMITTEE_B,
    DEPARTMENT,
    FIRM_A,
    FIRM_B,
    PARTNER,
    claim,
    close,
    entries_since,
    escalate,
    events,
    issue_in,
    last_seq,
    mutate,
    ok,
    org,
    org_id,
    person,
    reopen,
    report,
    resolve,
    row,
    start,
    timeline,
)


def _at(value: str | None) -> datetime:
    assert value is not None
    return datetime.fromisoformat(value)


async def test_report_claim_start_resolve_confirm_closes_it(api: Api) -> None:
    seq = await last_seq(api)
    issue = await report(api, description="車位被佔用", priority="HIGH")
    assert issue["status"] == "REPORTED"
    assert issue["version"] == 1
    assert issue["allowedNextStatuses"] == ["CLAIMED", "ESCALATED", "REJECTED", "DUPLICATE"]
    assert issue["claimedAt"] is None and issue["timeToClaimSeconds"] is None
    # HIGH PARKING has no category row: the HIGH default of 72 hours.
    assert _at(issue["dueAt"]) - _at(issue["createdAt"]) == timedelta(hours=72)
    id_ = issue["id"]

    claimed = await claim(api, id_)
    assert (claimed["status"], claimed["version"]) == ("CLAIMED", 2)
    assert claimed["assignee"]["name"] == COMMITTEE_A
    assert claimed["claimedAt"] is not None
    assert 0 <= claimed["timeToClaimSeconds"] <= 60
    assert claimed["allowedNextStatuses"] == ["IN_PROGRESS", "ESCALATED"]

    started = await start(api, id_)
    assert (started["status"], started["version"]) == ("IN_PROGRESS", 3)
    assert started["claimedAt"] == claimed["claimedAt"]

    resolved = await resolve(api, id_)
    assert (resolved["status"], resolved["version"]) == ("RESOLVED", 4)
    assert resolved["resolvedAt"] is not None
    assert _at(resolved["resolvedAt"]) >= _at(claimed["claimedAt"])
    assert 0 <= resolved["timeToResolveSeconds"] <= 60
    assert resolved["closedAt"] is None
    assert resolved["overdue"] is False
    assert resolved["allowedNextStatuses"] == ["CLOSED", "REOPENED"]

    closed = await close(api, id_, rating=4)
    assert (closed["status"], closed["version"]) == ("CLOSED", 5)
    assert closed["satisfaction"] == 4
    assert _at(closed["closedAt"]) >= _at(resolved["resolvedAt"])
    assert closed["resolvedAt"] == resolved["resolvedAt"]
    assert closed["allowedNextStatuses"] == []

    entries = await timeline(api, id_)
    assert [(e["kind"], e["fromStatus"], e["toStatus"]) for e in entries] == [
        ("REPORT", None, None),
        ("CLAIM", "REPORTED", "CLAIMED"),
        ("STATUS_CHANGE", "CLAIMED", "IN_PROGRESS"),
        ("STATUS_CHANGE", "IN_PROGRESS", "RESOLVED"),
        ("STATUS_CHANGE", "RESOLVED", "CLOSED"),
    ]
    resident, secretary = await person(api, "resident"), await person(api, "secretary")
    assert [e["actor"]["id"] for e in entries] == [
        resident,
        secretary,
        secretary,
        secretary,
        resident,
    ]
    assert entries[0]["body"] == issue["title"]
    assert entries[1]["actorOrganisation"]["name"] == COMMITTEE_A
    assert entries[3]["body"] == "已處理"
    assert [int(decode_id(e["id"], "IssueEvent")) for e in entries] == sorted(
        decode_id(e["id"], "IssueEvent") for e in entries
    )

    audit = await entries_since(api, seq)
    assert [(e.operation, e.outcome) for e in audit] == [
        ("reportIssue", "SUCCESS"),
        ("claimIssue", "SUCCESS"),
        ("startIssue", "SUCCESS"),
        ("resolveIssue", "SUCCESS"),
        ("confirmIssue", "SUCCESS"),
    ]
    assert {e.resource_id for e in audit} == {str(decode_id(id_, "Issue"))}
    assert [e.role for e in audit] == ["resident", "secretary", "secretary", "secretary", "self"]
    statuses = [next(c for c in e.changes if c["field"] == "status")["after"] for e in audit[1:]]
    assert statuses == ["CLAIMED", "IN_PROGRESS", "RESOLVED", "CLOSED"]
    assert {"field": "satisfaction", "before": None, "after": 4} in audit[-1].changes


async def test_time_to_claim_and_resolve_count_from_the_report(api: Api) -> None:
    issue = await report(api)
    async with api.db.write() as session:
        await session.execute(
            sa.update(Issue)
            .where(Issue.id == decode_id(issue["id"], "Issue"))
            .values(created_at=utcnow() - timedelta(hours=2))
        )
    claimed = await claim(api, issue["id"])
    assert 7200 <= claimed["timeToClaimSeconds"] <= 7260
    await start(api, issue["id"])
    resolved = await resolve(api, issue["id"])
    assert 7200 <= resolved["timeToResolveSeconds"] <= 7260
    stored = await row(api, issue["id"])
    assert stored.claim_seconds == claimed["timeToClaimSeconds"]
    assert stored.resolve_seconds == resolved["timeToResolveSeconds"]


async def test_not_satisfied_reopens_and_work_starts_again(api: Api) -> None:
    issue = await issue_in(api, "RESOLVED")
    id_ = issue["id"]
    first_resolution = issue["resolvedAt"]

    reopened = await reopen(api, id_)
    assert reopened["status"] == "REOPENED"
    assert reopened["closedAt"] is None and reopened["satisfaction"] is None
    # It is no longer resolved.
    assert reopened["resolvedAt"] is None and reopened["timeToResolveSeconds"] is None
    assert reopened["allowedNextStatuses"] == ["IN_PROGRESS", "ESCALATED"]
    restarted = await start(api, id_)
    assert restarted["status"] == "IN_PROGRESS"
    again = await resolve(api, id_)
    assert again["status"] == "RESOLVED"
    assert _at(again["resolvedAt"]) >= _at(first_resolution)
    assert again["claimedAt"] == issue["claimedAt"], "the first claim time is kept"

    entries = await timeline(api, id_)
    assert [(e["kind"], e["fromStatus"], e["toStatus"]) for e in entries[-3:]] == [
        ("STATUS_CHANGE", "RESOLVED", "REOPENED"),
        ("STATUS_CHANGE", "REOPENED", "IN_PROGRESS"),
        ("STATUS_CHANGE", "IN_PROGRESS", "RESOLVED"),
    ]
    assert entries[-3]["body"] == "還沒修好"
    assert entries[-3]["actor"]["id"] == await person(api, "resident")
    assert again["version"] == issue["version"] + 3


@pytest.mark.parametrize(
    ("input", "message"),
    [
        ({"accept": False}, "comment must not be empty"),
        ({"accept": False, "comment": "  "}, "comment must not be empty"),
        ({"accept": False, "comment": "不滿意", "satisfaction": 2}, "to reopen it, say why"),
        ({"accept": True}, "from 1 to 5"),
        ({"accept": True, "satisfaction": 0}, "from 1 to 5"),
        ({"accept": True, "satisfaction": 6}, "from 1 to 5"),
    ],
)
async def test_confirming_needs_a_rating_or_a_reason(
    api: Api, input: dict[str, Any], message: str
) -> None:
    issue = await issue_in(api, "RESOLVED")
    result = await mutate(api, "confirmIssue", {"id": issue["id"], **input}, as_="resident")
    assert result.codes == ["BAD_USER_INPUT"]
    assert message in result.errors[0]["message"]
    stored = await row(api, issue["id"])
    assert (stored.status, stored.version, stored.satisfaction) == (
        "RESOLVED",
        issue["version"],
        None,
    )


@pytest.mark.parametrize("state", ["REPORTED", "CLAIMED", "IN_PROGRESS", "REOPENED"])
async def test_escalate_from_each_open_state(api: Api, state: str) -> None:
    issue = await issue_in(api, state)
    escalated = await escalate(api, issue["id"])
    assert escalated["status"] == "ESCALATED"
    assert escalated["version"] == issue["version"] + 1
    assert escalated["allowedNextStatuses"] == ["IN_PROGRESS"]
    last = (await timeline(api, issue["id"]))[-1]
    assert (last["kind"], last["fromStatus"], last["toStatus"]) == (
        "ESCALATION",
        state,
        "ESCALATED",
    )
    assert last["body"] == "小區無法獨立解決"
    assert last["meeting"] is None


async def test_escalating_needs_a_reason(api: Api) -> None:
    issue = await report(api)
    result = await mutate(api, "escalateIssue", {"id": issue["id"], "reason": " "}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert (await row(api, issue["id"])).status == "REPORTED"


async def test_reject_needs_a_reason_and_is_final(api: Api) -> None:
    issue = await report(api)
    missing = await mutate(api, "rejectIssue", {"id": issue["id"]}, as_="secretary")
    assert missing.codes == ["BAD_USER_INPUT"]
    assert "reason must not be empty" in missing.errors[0]["message"]
    assert (await row(api, issue["id"])).version == 1
    rejected = await ok(
        api, "rejectIssue", {"id": issue["id"], "note": "屬於市政道路"}, as_="committee_member"
    )
    assert rejected["status"] == "REJECTED"
    assert rejected["rejectionReason"] == "屬於市政道路"
    assert rejected["allowedNextStatuses"] == []
    last = (await timeline(api, issue["id"]))[-1]
    assert (last["kind"], last["fromStatus"], last["toStatus"], last["body"]) == (
        "STATUS_CHANGE",
        "REPORTED",
        "REJECTED",
        "屬於市政道路",
    )
    again = await mutate(
        api,
        "claimIssue",
        {"id": issue["id"], "organisation": await org(api, COMMITTEE_A)},
        as_="secretary",
    )
    assert again.codes == ["BAD_USER_INPUT"]
    assert again.errors[0]["extensions"]["currentStatus"] == "REJECTED"
    assert again.errors[0]["extensions"]["allowedNext"] == []
    # The first names given out, in snake_case, are still sent (deprecated).
    assert again.errors[0]["extensions"]["current_status"] == "REJECTED"
    assert again.errors[0]["extensions"]["allowed_next"] == []


async def test_mark_duplicate_of_an_original_in_the_same_compound(api: Api) -> None:
    original = await report(api)
    copy = await report(api)
    marked = await ok(
        api, "markDuplicate", {"id": copy["id"], "original": original["id"]}, as_="secretary"
    )
    assert marked["status"] == "DUPLICATE"
    assert marked["duplicateOf"] == {"id": original["id"]}
    assert marked["allowedNextStatuses"] == []
    last = (await timeline(api, copy["id"]))[-1]
    assert (last["fromStatus"], last["toStatus"]) == ("REPORTED", "DUPLICATE")
    assert (await row(api, original["id"])).status == "REPORTED"


async def test_mark_duplicate_refuses_itself_another_compound_and_a_duplicate(api: Api) -> None:
    original = await report(api)
    copy = await report(api)
    third = await report(api)
    in_b = await report(api, as_="resident_b", compound="b")

    itself = await mutate(
        api, "markDuplicate", {"id": copy["id"], "original": copy["id"]}, as_="secretary"
    )
    assert itself.codes == ["BAD_USER_INPUT"]
    assert "cannot duplicate itself" in itself.errors[0]["message"]

    # The admin sees both compounds: the refusal is about the compound, not visibility.
    other = await mutate(
        api, "markDuplicate", {"id": copy["id"], "original": in_b["id"]}, as_="admin"
    )
    assert other.codes == ["BAD_USER_INPUT"]
    assert "same compound" in other.errors[0]["message"]
    # The secretary of A cannot see B's issue at all.
    hidden = await mutate(
        api, "markDuplicate", {"id": copy["id"], "original": in_b["id"]}, as_="secretary"
    )
    assert hidden.codes == ["NOT_FOUND"]

    await ok(api, "markDuplicate", {"id": copy["id"], "original": original["id"]}, as_="secretary")
    onto_duplicate = await mutate(
        api, "markDuplicate", {"id": third["id"], "original": copy["id"]}, as_="secretary"
    )
    assert onto_duplicate.codes == ["BAD_USER_INPUT"]
    assert "itself a duplicate" in onto_duplicate.errors[0]["message"]
    # The original is named by its title, never by an internal id.
    title = (await row(api, original["id"])).title
    assert f"its original, “{title}”" in onto_duplicate.errors[0]["message"]
    for issue in (third, in_b):
        stored = await row(api, issue["id"])
        assert (stored.status, stored.version, stored.duplicate_of_id) == ("REPORTED", 1, None)


async def test_assign_on_reported_claims_it(api: Api) -> None:
    issue = await report(api)
    committee = await org(api, COMMITTEE_A)
    assigned = await ok(
        api,
        "assignIssue",
        {
            "id": issue["id"],
            "organisation": committee,
            "person": await person(api, "committee_member"),
        },
        as_="secretary",
        selection="status version claimedAt timeToClaimSeconds assignee { id } assigneePerson { id }",
    )
    assert assigned["status"] == "CLAIMED"
    assert assigned["version"] == 2
    assert assigned["claimedAt"] is not None and assigned["timeToClaimSeconds"] is not None
    assert assigned["assignee"]["id"] == committee
    assert assigned["assigneePerson"]["id"] == await person(api, "committee_member")
    last = (await timeline(api, issue["id"]))[-1]
    assert (last["kind"], last["fromStatus"], last["toStatus"]) == (
        "ASSIGNMENT",
        "REPORTED",
        "CLAIMED",
    )
    assert last["actorOrganisation"]["id"] == committee


async def test_reassigning_work_in_progress_keeps_the_status(api: Api) -> None:
    issue = await issue_in(api, "IN_PROGRESS")
    firm = await org(api, FIRM_A)
    assigned = await ok(
        api, "assignIssue", {"id": issue["id"], "organisation": firm}, as_="committee_member"
    )
    assert (assigned["status"], assigned["version"]) == ("IN_PROGRESS", issue["version"] + 1)
    assert assigned["assignee"]["id"] == firm
    assert assigned["claimedAt"] == issue["claimedAt"]
    last = (await timeline(api, issue["id"]))[-1]
    assert (last["kind"], last["fromStatus"], last["toStatus"]) == ("ASSIGNMENT", None, None)


async def test_the_assignee_person_must_hold_a_position_there(api: Api) -> None:
    issue = await report(api)
    result = await mutate(
        api,
        "assignIssue",
        {
            "id": issue["id"],
            "organisation": await org(api, COMMITTEE_A),
            "person": await person(api, "resident"),
        },
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "active position in that organisation" in result.errors[0]["message"]
    assert (await row(api, issue["id"])).status == "REPORTED"


@pytest.mark.parametrize(
    ("body", "allowed"),
    [
        (COMMITTEE_A, True),
        (BRANCH_A, True),
        (FIRM_A, True),  # serves the compound
        (PARTNER, True),  # co-builds with it
        (DEPARTMENT, True),  # a department of the district above it
        (FIRM_B, False),  # serves compound B only
        (COMMITTEE_B, False),  # another compound's body
    ],
)
async def test_who_may_take_an_issue(api: Api, body: str, allowed: bool) -> None:
    issue = await report(api)
    result = await mutate(
        api,
        "claimIssue",
        {"id": issue["id"], "organisation": await org(api, body)},
        as_="secretary",
    )
    if allowed:
        assert result.ok()["claimIssue"]["status"] == "CLAIMED"
        assert (await row(api, issue["id"])).assignee_organisation_id == await org_id(api, body)
        # The claim shows whom it went to, to those who may see that organisation.
        seen = (await timeline(api, issue["id"], as_="admin"))[-1]["actorOrganisation"]
        assert seen["name"] == body
    else:
        assert result.codes == ["BAD_USER_INPUT"]
        assert "cannot take this issue" in result.errors[0]["message"]
        assert (await row(api, issue["id"])).status == "REPORTED"


async def test_comments_are_allowed_in_every_state_and_keep_the_status(api: Api) -> None:
    issue = await issue_in(api, "CLOSED")
    commented = await ok(api, "commentOnIssue", {"id": issue["id"], "body": "謝謝"}, as_="resident")
    assert commented["status"] == "CLOSED"
    assert commented["version"] == issue["version"] + 1
    attached = await ok(
        api,
        "commentOnIssue",
        {"id": issue["id"], "attachmentUrl": "https://example.org/photo.jpg"},
        as_="secretary",
    )
    assert attached["version"] == issue["version"] + 2
    last_two = (await timeline(api, issue["id"]))[-2:]
    assert [(e["kind"], e["body"], e["attachmentUrl"], e["fromStatus"]) for e in last_two] == [
        ("COMMENT", "謝謝", None, None),
        ("ATTACHMENT", None, "https://example.org/photo.jpg", None),
    ]
    for bad in ({"body": ""}, {"attachmentUrl": "ftp://example.org/x"}):
        result = await mutate(api, "commentOnIssue", {"id": issue["id"], **bad}, as_="secretary")
        assert result.codes == ["BAD_USER_INPUT"]


# (status the issue is in, mutation, extra input, who tries)
ILLEGAL = [
    ("REPORTED", "startIssue", {}, "secretary"),
    ("REPORTED", "resolveIssue", {"note": "修好了"}, "secretary"),
    ("REPORTED", "confirmIssue", {"accept": True, "satisfaction": 5}, "resident"),
    ("CLAIMED", "claimIssue", {"organisation": COMMITTEE_A}, "secretary"),
    ("CLAIMED", "rejectIssue", {"note": "不受理"}, "secretary"),
    ("CLAIMED", "resolveIssue", {"note": "修好了"}, "secretary"),
    ("IN_PROGRESS", "startIssue", {}, "secretary"),
    ("IN_PROGRESS", "confirmIssue", {"accept": False, "comment": "沒修"}, "resident"),
    ("RESOLVED", "escalateIssue", {"reason": "升級"}, "secretary"),
    ("RESOLVED", "assignIssue", {"organisation": COMMITTEE_A}, "secretary"),
    ("REOPENED", "resolveIssue", {"note": "修好了"}, "secretary"),
    ("ESCALATED", "startIssue", {}, "secretary"),
    ("ESCALATED", "escalateIssue", {"reason": "再升級"}, "secretary"),
    ("CLOSED", "startIssue", {}, "secretary"),
    ("CLOSED", "confirmIssue", {"accept": True, "satisfaction": 1}, "resident"),
    ("REJECTED", "escalateIssue", {"reason": "升級"}, "secretary"),
    ("DUPLICATE", "assignIssue", {"organisation": COMMITTEE_A}, "secretary"),
]
ALLOWED_NEXT = {
    "REPORTED": ["CLAIMED", "ESCALATED", "REJECTED", "DUPLICATE"],
    "CLAIMED": ["IN_PROGRESS", "ESCALATED"],
    "IN_PROGRESS": ["RESOLVED", "ESCALATED"],
    "RESOLVED": ["CLOSED", "REOPENED"],
    "REOPENED": ["IN_PROGRESS", "ESCALATED"],
    "ESCALATED": ["IN_PROGRESS"],
    "CLOSED": [],
    "REJECTED": [],
    "DUPLICATE": [],
}


@pytest.mark.parametrize(("state", "name", "extra", "who"), ILLEGAL)
async def test_an_illegal_transition_changes_nothing_and_is_audited(
    api: Api, state: str, name: str, extra: dict[str, Any], who: str
) -> None:
    issue = await issue_in(api, state)
    if "organisation" in extra:
        extra = {**extra, "organisation": await org(api, extra["organisation"])}
    before_row = (await row(api, issue["id"])).model_dump()
    before_events = len(await events(api, issue["id"]))
    seq = await last_seq(api)

    result = await mutate(api, name, {"id": issue["id"], **extra}, as_=who)

    assert result.codes == ["BAD_USER_INPUT"]
    extensions = result.errors[0]["extensions"]
    assert extensions["current_status"] == state
    assert extensions["allowed_next"] == ALLOWED_NEXT[state]
    message = result.errors[0]["message"]
    assert state in message
    assert all(s in message for s in ALLOWED_NEXT[state])
    assert (await row(api, issue["id"])).model_dump() == before_row
    assert len(await events(api, issue["id"])) == before_events
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.error_code) == (
        name,
        "REJECTED",
        "BAD_USER_INPUT",
    )
    assert entry.resource_id == str(decode_id(issue["id"], "Issue"))
    assert entry.changes == []


async def test_a_stale_version_is_a_conflict_and_changes_nothing(api: Api) -> None:
    issue = await report(api)
    committee = await org(api, COMMITTEE_A)
    claimed = await ok(
        api,
        "claimIssue",
        {"id": issue["id"], "organisation": committee, "expectedVersion": 1},
        as_="secretary",
    )
    assert claimed["version"] == 2
    before_row = (await row(api, issue["id"])).model_dump()
    before_events = len(await events(api, issue["id"]))
    seq = await last_seq(api)

    stale = await mutate(
        api, "startIssue", {"id": issue["id"], "expectedVersion": 1}, as_="committee_member"
    )

    assert stale.codes == ["CONFLICT"]
    assert stale.errors[0]["extensions"]["currentVersion"] == 2
    assert stale.errors[0]["extensions"]["current_version"] == 2  # deprecated name
    assert "version 2, you sent 1" in stale.errors[0]["message"]
    assert (await row(api, issue["id"])).model_dump() == before_row
    assert len(await events(api, issue["id"])) == before_events
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.error_code) == (
        "startIssue",
        "REJECTED",
        "CONFLICT",
    )
    assert entry.changes == []

    fresh = await ok(
        api, "startIssue", {"id": issue["id"], "expectedVersion": 2}, as_="committee_member"
    )
    assert (fresh["status"], fresh["version"]) == ("IN_PROGRESS", 3)


async def test_a_stale_version_wins_over_an_illegal_transition(api: Api) -> None:
    """A caller with an old version learns to reload before being told the state is wrong."""
    issue = await issue_in(api, "CLAIMED")
    result = await mutate(
        api, "rejectIssue", {"id": issue["id"], "note": "x", "expectedVersion": 1}, as_="secretary"
    )
    assert result.codes == ["CONFLICT"]


async def test_a_long_rejection_reason_is_kept(api: Api) -> None:
    """A reason is a note like any other: up to 2000 characters."""
    issue = await report(api)
    reason = "不屬於本小區的職責範圍。" * 60  # 720 characters
    result = await mutate(api, "rejectIssue", {"id": issue["id"], "note": reason}, as_="secretary")
    assert result.ok()["rejectIssue"]["rejectionReason"] == reason
    assert (await timeline(api, issue["id"]))[-1]["body"] == reason


async def test_a_bad_report_is_refused_and_changes_nothing(api: Api) -> None:
    building_b = await api.scalar(
        sa.select(Organisation.id).where(
            Organisation.compound_id == api.compound("b"), Organisation.kind == "BUILDING"
        )
    )
    building_a = await api.scalar(
        sa.select(Organisation.id).where(
            Organisation.compound_id == api.compound("a"), Organisation.kind == "BUILDING"
        )
    )
    base = {"compound": api.ids["compound_a"], "channel": "PHOTO_REPORT", "category": "OTHER"}
    bad = [
        ({"title": "  "}, "title must not be empty"),
        ({"title": "長" * 201}, "at most 200 characters"),
        ({"title": "x", "description": "長" * 2001}, "at most 2000 characters"),
        ({"title": "x", "attachmentUrl": "ftp://example.org/a.jpg"}, "http(s) address"),
        ({"title": "x", "building": gid("Organisation", building_b)}, "building of that compound"),
        ({"title": "x", "compound": await org(api, COMMITTEE_A)}, "reported in a compound"),
    ]
    count = await api.scalar(sa.select(sa.func.count()).select_from(Issue))
    for extra, message in bad:
        seq = await last_seq(api)
        result = await mutate(api, "reportIssue", {**base, **extra}, as_="resident")
        assert result.codes == ["BAD_USER_INPUT"], extra
        assert message in result.errors[0]["message"]
        (entry,) = await entries_since(api, seq)
        assert (entry.outcome, entry.changes) == ("REJECTED", [])
    assert await api.scalar(sa.select(sa.func.count()).select_from(Issue)) == count
    good = await ok(
        api,
        "reportIssue",
        {
            **base,
            "title": "樓道燈不亮",
            "building": gid("Organisation", building_a),
            "attachmentUrl": "https://example.org/a.jpg",
        },
        as_="resident",
        selection="id building { id } timeline { edges { node { attachmentUrl } } }",
    )
    assert good["building"]["id"] == gid("Organisation", building_a)
    assert good["timeline"]["edges"][0]["node"]["attachmentUrl"] == "https://example.org/a.jpg"
