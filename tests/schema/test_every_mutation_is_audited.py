"""Walks every field of the Mutation type: each call writes exactly one audit entry,
whether it succeeds, is denied, or is refused for bad input, and a denial changes nothing.

A new mutation without a case here fails this test: add its case.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import sqlalchemy as sa
from graphql import GraphQLInputObjectType, get_named_type, is_list_type, is_non_null_type

from db.models import (
    Issue,
    IssueEvent,
    JointMeeting,
    JointMeetingItem,
    JointMeetingParticipant,
    Organisation,
    OrganisationLink,
    Person,
    Position,
)
from resolvers.audit_values import MAX_JSON_BYTES
from resolvers.errors import BadUserInput
from schema.ids import parse_global_id
from schema.schema import schema
from tests.helpers import Api, gid
from tests.issue_helpers import COMMITTEE_A, FIRM_A, issue_in, org, report
from tests.mutation_cases import Case, mutation_document, snapshot
from tests.schema.mutation_cases_deliberations import DELIBERATION_CASES
from tests.schema.mutation_cases_disclosure import DISCLOSURE_CASES
from tests.schema.mutation_cases_evaluation import EVALUATION_CASES
from tests.schema.mutation_cases_funds import FUND_CASES
from tests.schema.mutation_cases_joint import JOINT_CASES
from tests.schema.mutation_cases_lovebank import LOVEBANK_CASES
from tests.schema.mutation_cases_meetings import MEETING_CASES
from tests.schema.mutation_cases_mobilisation import MOBILISATION_CASES
from tests.schema.mutation_cases_posts import POSTS_CASES
from tests.schema.mutation_cases_recognition import RECOGNITION_CASES
from tests.schema.mutation_cases_tokens import TOKEN_CASES
from tests.schema.mutation_cases_webhooks import WEBHOOK_CASES


def _is_global_id(value: str) -> bool:
    try:
        parse_global_id(value)
    except BadUserInput:
        return False
    return True


async def _id(api: Api, statement: Any) -> int:
    return int(await api.scalar(statement))


async def _committee(api: Api) -> str:
    return gid(
        "Organisation",
        await _id(
            api,
            sa.select(Organisation.id).where(
                Organisation.kind == "OWNERS_COMMITTEE",
                Organisation.compound_id == api.compound("a"),
            ),
        ),
    )


async def _resident(api: Api, offset: int) -> str:
    return gid(
        "Person",
        await _id(
            api,
            sa.select(Person.id)
            .where(Person.residence_compound_id == api.compound("a"))
            .order_by(Person.id)
            .offset(offset)
            .limit(1),
        ),
    )


async def _position(api: Api) -> str:
    return gid(
        "Position",
        await _id(
            api,
            sa.select(Position.id)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .where(
                Organisation.kind == "OWNERS_COMMITTEE",
                Organisation.compound_id == api.compound("a"),
                Position.end_date.is_(None),
            )
            .limit(1),
        ),
    )


async def _link(api: Api) -> str:
    return gid(
        "OrganisationLink",
        await _id(
            api,
            sa.select(OrganisationLink.id).where(
                OrganisationLink.target_id == api.compound("a"),
                OrganisationLink.kind == "CO_BUILDS",
            ),
        ),
    )


async def _partner(api: Api) -> str:
    return gid(
        "Organisation",
        await _id(api, sa.select(Organisation.id).where(Organisation.kind == "PARTNER_UNIT")),
    )


async def _create_org(api: Api) -> dict[str, Any]:
    return {"name": "5號樓", "kind": "BUILDING", "parent": api.ids["compound_a"]}


async def _update_org(api: Api) -> dict[str, Any]:
    return {"id": await _committee(api), "name": "繼光花苑第二屆業主委員會"}


async def _register(api: Api) -> dict[str, Any]:
    return {"name": "新住戶", "compound": api.ids["compound_a"]}


async def _update_person(api: Api) -> dict[str, Any]:
    return {"id": await _resident(api, 2), "name": "改名的住戶"}


async def _appoint(api: Api) -> dict[str, Any]:
    return {
        "person": await _resident(api, 20),
        "organisation": await _committee(api),
        "title": "COMMITTEE_MEMBER",
    }


async def _end_position(api: Api) -> dict[str, Any]:
    return {"id": await _position(api)}


async def _link_orgs(api: Api) -> dict[str, Any]:
    return {
        "kind": "CO_BUILDS",
        "source": await _partner(api),
        "target": api.ids["compound_a"],
        "startDate": "2028-01-01",
    }


async def _end_link(api: Api) -> dict[str, Any]:
    return {"id": await _link(api)}


async def _report_issue(api: Api) -> dict[str, Any]:
    return {
        "compound": api.ids["compound_a"],
        "channel": "PHOTO_REPORT",
        "category": "PARKING",
        "title": "消防通道被佔用",
    }


async def _claim_issue(api: Api) -> dict[str, Any]:
    return {"id": (await report(api))["id"], "organisation": await org(api, COMMITTEE_A)}


async def _assign_issue(api: Api) -> dict[str, Any]:
    return {"id": (await report(api))["id"], "organisation": await org(api, FIRM_A)}


async def _start_issue(api: Api) -> dict[str, Any]:
    return {"id": (await issue_in(api, "CLAIMED"))["id"], "note": "開始處理"}


async def _resolve_issue(api: Api) -> dict[str, Any]:
    return {"id": (await issue_in(api, "IN_PROGRESS"))["id"], "note": "已修復"}


async def _confirm_issue(api: Api) -> dict[str, Any]:
    return {"id": (await issue_in(api, "RESOLVED"))["id"], "accept": True, "satisfaction": 5}


async def _reject_issue(api: Api) -> dict[str, Any]:
    return {"id": (await report(api))["id"], "note": "不屬於小區事務"}


async def _mark_duplicate(api: Api) -> dict[str, Any]:
    original = await report(api)
    return {"id": (await report(api))["id"], "original": original["id"]}


async def _comment_on_issue(api: Api) -> dict[str, Any]:
    return {"id": (await report(api))["id"], "body": "補充說明"}


async def _escalate_issue(api: Api) -> dict[str, Any]:
    return {"id": (await report(api))["id"], "reason": "需要街道協調"}


async def _triage_issue(api: Api) -> dict[str, Any]:
    return {"id": (await report(api))["id"], "priority": "URGENT", "reason": "影響消防安全"}


async def _schedule_meeting(api: Api) -> dict[str, Any]:
    return {
        "organisation": api.ids["compound_a"],
        "title": "聯席會議",
        "scheduledFor": "2026-01-10T10:00:00+08:00",  # in the past: it has met
        "participants": [await org(api, COMMITTEE_A), await org(api, FIRM_A)],
        "agenda": [(await issue_in(api, "ESCALATED"))["id"]],
    }


async def _record_decision(api: Api) -> dict[str, Any]:
    issue = (await issue_in(api, "ESCALATED"))["id"]
    meeting = await api.run(
        "mutation ($i: ScheduleJointMeetingInput!) { scheduleJointMeeting(input: $i) { id } }",
        {"i": {**await _schedule_meeting(api), "agenda": [issue]}},
        as_="secretary",
    )
    return {
        "meeting": meeting.ok()["scheduleJointMeeting"]["id"],
        "issue": issue,
        "decision": "由物業限期整改",
        "assignee": await org(api, FIRM_A),
    }


ISSUE_TABLES = (IssueEvent, JointMeetingItem)
MEETING_TABLES = (JointMeetingParticipant, JointMeetingItem, Issue, IssueEvent)

CASES: dict[str, Case] = {
    "createOrganisation": Case("secretary", "resident", _create_org, Organisation),
    "updateOrganisation": Case("secretary", "committee_member", _update_org, Organisation),
    "registerPerson": Case("secretary", "supervisor", _register, Person),
    "updatePerson": Case("secretary", "property_firm", _update_person, Person),
    "appointPosition": Case("secretary", "committee_member", _appoint, Position),
    "endPosition": Case("secretary", "resident", _end_position, Position),
    "linkOrganisations": Case("secretary", "supervisor", _link_orgs, OrganisationLink),
    "endLink": Case("admin", "resident", _end_link, OrganisationLink),
    "reportIssue": Case("resident", "property_firm", _report_issue, Issue, ISSUE_TABLES),
    "claimIssue": Case("secretary", "resident", _claim_issue, Issue, ISSUE_TABLES),
    "assignIssue": Case("committee_member", "supervisor", _assign_issue, Issue, ISSUE_TABLES),
    "startIssue": Case("secretary", "resident", _start_issue, Issue, ISSUE_TABLES),
    "resolveIssue": Case("committee_member", "supervisor", _resolve_issue, Issue, ISSUE_TABLES),
    "confirmIssue": Case("resident", "secretary", _confirm_issue, Issue, ISSUE_TABLES),
    "rejectIssue": Case("secretary", "property_firm", _reject_issue, Issue, ISSUE_TABLES),
    "markDuplicate": Case("committee_member", "resident", _mark_duplicate, Issue, ISSUE_TABLES),
    "commentOnIssue": Case("resident", "supervisor", _comment_on_issue, Issue, ISSUE_TABLES),
    "escalateIssue": Case("secretary", "property_firm", _escalate_issue, Issue, ISSUE_TABLES),
    # The reporter (resident) may not correct the priority that set their issue's due time.
    "triageIssue": Case("committee_member", "resident", _triage_issue, Issue, ISSUE_TABLES),
    "scheduleJointMeeting": Case(
        "secretary", "committee_member", _schedule_meeting, JointMeeting, MEETING_TABLES
    ),
    "recordMeetingDecision": Case(
        "secretary", "supervisor", _record_decision, Issue, (JointMeeting, *MEETING_TABLES)
    ),
}
CASES.update(TOKEN_CASES)


CASES.update(POSTS_CASES)
CASES.update(EVALUATION_CASES)
CASES.update(LOVEBANK_CASES)
CASES.update(MEETING_CASES)
CASES.update(DISCLOSURE_CASES)
CASES.update(WEBHOOK_CASES)
CASES.update(FUND_CASES)
CASES.update(DELIBERATION_CASES)
CASES.update(MOBILISATION_CASES)
CASES.update(RECOGNITION_CASES)


def mutation_fields() -> list[str]:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    return sorted(mutation.fields)


def test_every_mutation_has_a_case() -> None:
    assert sorted(CASES) == mutation_fields()


# The variables are made first: making them may itself take audited mutations.


@pytest.mark.pgbouncer  # CI runs the walk through PgBouncer too (.ci/run)
@pytest.mark.parametrize("name", mutation_fields())
async def test_success_writes_one_entry(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_=case.allowed)
    result.ok()
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].operation, entries[-1].outcome) == (name, "SUCCESS")
    assert entries[-1].changes, "a successful change records what changed"


@pytest.mark.parametrize("name", mutation_fields())
async def test_denial_writes_one_entry_and_changes_nothing(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before_rows = await snapshot(api, case.tables)
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_=case.denied)
    assert result.codes in (["FORBIDDEN"], ["NOT_FOUND"])
    assert await snapshot(api, case.tables) == before_rows
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert entries[-1].operation == name
    assert entries[-1].outcome in ("DENIED", "REJECTED")
    assert entries[-1].changes == []


@pytest.mark.parametrize("name", sorted(JOINT_CASES))
async def test_a_joint_branch_s_change_writes_one_entry_and_a_denial_changes_nothing(
    api: Api, name: str
) -> None:
    """The second path through these mutations: the demo's joint branch (聯合黨支部) acting
    for, and in, a compound it serves (tests/schema/mutation_cases_joint.py)."""
    case = JOINT_CASES[name]
    variables = await case.variables(api)
    before_rows = await snapshot(api, case.tables)
    before = len(await api.audit_entries())
    refused = await api.run(mutation_document(name), {"input": variables}, as_=case.denied)
    assert refused.codes in (["FORBIDDEN"], ["NOT_FOUND"]), refused.errors
    assert await snapshot(api, case.tables) == before_rows
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].operation, entries[-1].outcome, entries[-1].changes) == (name, "DENIED", [])
    (await api.run(mutation_document(name), {"input": variables}, as_=case.allowed)).ok()
    entries = await api.audit_entries()
    assert len(entries) == before + 2
    assert (entries[-1].operation, entries[-1].outcome) == (name, "SUCCESS")
    assert entries[-1].changes


@pytest.mark.parametrize("name", mutation_fields())
async def test_anonymous_attempt_is_audited(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_=None)
    assert result.codes == ["UNAUTHENTICATED"]
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].outcome, entries[-1].actor_person_id) == ("DENIED", None)


@pytest.mark.parametrize("name", mutation_fields())
async def test_malformed_id_is_audited_as_rejected(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    id_field = next(k for k, v in variables.items() if isinstance(v, str) and _is_global_id(v))
    variables[id_field] = "not-an-id"
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_=case.allowed)
    assert result.codes == ["BAD_USER_INPUT"]
    assert "not an id this API gave out" in result.errors[0]["message"]
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert entries[-1].outcome == "REJECTED"


def _hostile_variants(name: str, variables: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """VARIABLES with one top-level field made hostile at a time: NUL characters and 900,000
    characters in each text field, and ids that decode to text with a NUL or are 900,000 long."""
    field = schema._schema.mutation_type.fields[name]  # type: ignore[union-attr]
    input_type = get_named_type(field.args["input"].type)
    assert isinstance(input_type, GraphQLInputObjectType)
    nul_id = base64.b64encode(b"Per\x00son:1").decode()
    variants = []
    for key, definition in input_type.fields.items():
        wrapped = definition.type.of_type if is_non_null_type(definition.type) else definition.type
        named = get_named_type(wrapped).name
        if named == "String":
            hostile = ["a\x00b", "x" * 900_000]
        elif named == "ID":
            hostile = [nul_id, "A" * 900_000]
        else:
            continue
        for value in hostile:
            variants.append((key, {**variables, key: [value] if is_list_type(wrapped) else value}))
    return variants


@pytest.mark.parametrize("name", mutation_fields())
async def test_hostile_values_are_refused_and_audited_once_within_the_cap(
    api: Api, name: str
) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    variants = _hostile_variants(name, variables)
    assert variants, f"{name} takes no text or id to make hostile"
    for key, hostile in variants:
        before = len(await api.audit_entries())
        result = await api.run(mutation_document(name), {"input": hostile}, as_=case.allowed)
        assert result.codes == ["BAD_USER_INPUT"], (key, result.errors)
        assert len(result.errors[0]["message"]) < 300
        entries = await api.audit_entries()
        assert len(entries) == before + 1, key
        entry = entries[-1]
        assert (entry.operation, entry.outcome) == (name, "REJECTED")
        stored = json.dumps(entry.input, ensure_ascii=False).encode()
        assert len(stored) <= MAX_JSON_BYTES, (key, len(stored))
        assert "\x00" not in stored.decode() and "\x00" not in (entry.error_message or "")
