"""Partner tokens: exactly the access granted — some organisations, some actions, for a time —
and never more than the issuer holds at the moment of use."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db import clock
from db.models import (
    ApiToken,
    ApiTokenOrganisation,
    CoBuildingProject,
    Issue,
    IssueEvent,
    Position,
)
from db.types import utcnow
from resolvers.errors import Unauthenticated
from resolvers.tokens.bearer import LAST_USE_INTERVAL, authenticate, record_token_use
from schema.ids import parse_global_id
from tests.helpers import Api, gid
from tests.issue_helpers import (
    COMMITTEE_A,
    PARTNER,
    entries_since,
    found_ids,
    last_seq,
    mutate,
    org,
    org_id,
    person_id,
    report,
)
from tests.partner_setup import ISSUE, issue, partner_unit_id
from tests.posts_helpers import centre

ALL_SCOPES = [
    "ORGANISATIONS_READ",
    "PEOPLE_READ_DIRECTORY",
    "ISSUES_READ",
    "ISSUES_CLAIM",
    "ISSUES_COMMENT",
    "MEETINGS_READ",
    "AUDIT_READ",
]
PEOPLE = "query { people(first: 100) { totalCount edges { node { id phone idNumber party { membership } } } } }"
COMMENT = "mutation ($i: CommentOnIssueInput!) { commentOnIssue(input: $i) { id version } }"


async def _b_issue(api: Api) -> str:
    return (await report(api, as_="resident_b", compound="b"))["id"]


async def _issue_input(api: Api, **changes: Any) -> dict[str, Any]:
    return {
        "name": "對接",
        "partner": await partner_unit_id(api),
        "organisations": [api.ids["compound_a"]],
        "scopes": ["ISSUES_READ"],
        "expiresAt": (utcnow() + timedelta(days=30)).isoformat(),
        **changes,
    }


async def test_a_token_for_a_reads_as_issues_and_nothing_of_b(api: Api) -> None:
    secret = (await issue(api, scopes=["ISSUES_READ"]))["secret"]
    mine = await report(api)
    theirs = await _b_issue(api)
    seen = await found_ids(api, {}, as_=secret)
    assert mine["id"] in seen and theirs not in seen
    assert set(seen) == set(
        await found_ids(api, {"compound": api.ids["compound_a"]}, as_="secretary")
    )
    node = await api.run("query ($id: ID!) { node(id: $id) { id } }", {"id": theirs}, as_=secret)
    assert node.ok()["node"] is None
    # The compound filter on B answers nothing rather than B's issues.
    assert await found_ids(api, {"compound": api.ids["compound_b"]}, as_=secret) == []


async def test_reporters_and_sensitive_fields_stay_hidden(api: Api) -> None:
    secret = (await issue(api, scopes=["ISSUES_READ", "PEOPLE_READ_DIRECTORY"]))["secret"]
    mine = await report(api)
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on Issue { reporter { id } } } }",
        {"id": mine["id"]},
        as_=secret,
    )
    assert result.ok()["node"] == {"reporter": None}
    people = (await api.run(PEOPLE, as_=secret)).ok()["people"]
    assert people["totalCount"] >= 30  # the directory of A
    assert all(
        (p["node"]["phone"], p["node"]["idNumber"], p["node"]["party"]) == (None, None, None)
        for p in people["edges"]
    )


async def test_a_token_cannot_exceed_its_scopes(api: Api) -> None:
    secret = (await issue(api, scopes=["ISSUES_READ"]))["secret"]
    # No people:read-directory: the directory is empty, not refused.
    assert (await api.run(PEOPLE, as_=secret)).ok()["people"]["totalCount"] == 0
    target = await report(api)
    seq = await last_seq(api)
    before = await api.scalar(sa.select(sa.func.count()).select_from(IssueEvent))
    result = await api.run(COMMENT, {"i": {"id": target["id"], "body": "越權"}}, as_=secret)
    assert result.codes == ["FORBIDDEN"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(IssueEvent)) == before
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.changes) == ("commentOnIssue", "DENIED", [])
    # No scope lends token issuing (nor, here, the sight of the organisations).
    tokens = await api.scalar(sa.select(sa.func.count()).select_from(ApiToken))
    issued = await api.run(ISSUE, {"input": await _issue_input(api)}, as_=secret)
    assert issued.codes in (["FORBIDDEN"], ["NOT_FOUND"])
    assert await api.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == tokens
    assert (await entries_since(api, seq))[-1].outcome == "DENIED"


async def test_a_partner_acts_as_itself_with_the_issuer_recorded(api: Api) -> None:
    issued = await issue(api, scopes=ALL_SCOPES)
    secret = issued["secret"]
    target = await report(api)
    seq = await last_seq(api)
    result = await api.run(COMMENT, {"i": {"id": target["id"], "body": "已安排檢修"}}, as_=secret)
    result.ok()
    (entry,) = await entries_since(api, seq)
    assert entry.outcome == "SUCCESS"
    assert entry.actor_organisation_id == await org_id(api, PARTNER)
    assert entry.actor_person_id == await person_id(api, "secretary")
    assert gid("ApiToken", entry.actor_token_id or 0) == issued["token"]["id"]
    shown = await api.run(
        """query ($t: ID!) { auditLog(filter: {token: $t}) { edges { node {
             operation partner { name } actor { id } token } } } }""",
        {"t": issued["token"]["id"]},
        as_="secretary",
    )
    node = shown.ok()["auditLog"]["edges"][0]["node"]
    assert node["operation"] == "commentOnIssue"
    assert node["partner"] == {"name": PARTNER}
    assert node["actor"] == {"id": gid("Person", await person_id(api, "secretary"))}
    by_partner = await api.run(
        "query ($p: ID!) { auditLog(filter: {partner: $p}) { totalCount } }",
        {"p": await partner_unit_id(api)},
        as_="secretary",
    )
    assert by_partner.ok()["auditLog"]["totalCount"] >= 1


async def test_a_partner_claims_only_for_itself(api: Api) -> None:
    secret = (await issue(api, scopes=["ISSUES_READ", "ISSUES_CLAIM", "ORGANISATIONS_READ"]))[
        "secret"
    ]
    target = await report(api)
    other = await mutate(
        api,
        "claimIssue",
        {"id": target["id"], "organisation": await org(api, COMMITTEE_A)},
        as_=secret,
    )
    assert other.codes == ["FORBIDDEN"]
    own = await mutate(
        api, "claimIssue", {"id": target["id"], "organisation": await org(api, PARTNER)}, as_=secret
    )
    assert own.ok()["claimIssue"]["status"] == "CLAIMED"
    assert own.ok()["claimIssue"]["assignee"]["name"] == PARTNER
    # Outside its organisations, even its own claim is refused, and audited as a denial.
    theirs = await _b_issue(api)
    seq = await last_seq(api)
    elsewhere = await mutate(
        api, "claimIssue", {"id": theirs, "organisation": await org(api, PARTNER)}, as_=secret
    )
    assert elsewhere.codes == ["NOT_FOUND"]
    stored = await api.scalar(sa.select(Issue.status).where(Issue.id == _db_id(theirs)))
    assert stored == "REPORTED"
    (entry,) = await entries_since(api, seq)
    assert entry.outcome == "DENIED"


def _db_id(global_id: str) -> int:
    return parse_global_id(global_id)[1]


@pytest.mark.parametrize("as_", ["partner_expired", "partner_revoked"])
async def test_expired_and_revoked_tokens_stop_working(api: Api, as_: str) -> None:
    with pytest.raises(Unauthenticated):
        await api.context(as_)


async def test_revoking_stops_a_token_at_once_and_only_once(api: Api) -> None:
    issued = await issue(api, scopes=["ISSUES_READ"])
    await api.context(issued["secret"])  # works
    revoke = "mutation ($id: ID!) { revokeToken(input: {id: $id}) { status revokedAt } }"
    done = (await api.run(revoke, {"id": issued["token"]["id"]}, as_="secretary")).ok()
    assert done["revokeToken"]["status"] == "REVOKED"
    with pytest.raises(Unauthenticated, match="revoked"):
        await api.context(issued["secret"])
    again = await api.run(revoke, {"id": issued["token"]["id"]}, as_="secretary")
    assert again.codes == ["CONFLICT"]


async def test_a_token_expires_at_its_expiry(api: Api) -> None:
    issued = await issue(
        api, scopes=["ISSUES_READ"], expiresAt=(utcnow() + timedelta(hours=1)).isoformat()
    )
    ctx = await api.context(issued["secret"])
    await ctx.close()
    async with api.db.read_sessions() as session:
        with pytest.raises(Unauthenticated, match="expired"):
            await authenticate(
                session,
                issued["secret"],
                key=api.secret_key,
                today=clock.today(),
                now=utcnow() + timedelta(hours=1, seconds=1),
            )


async def test_a_token_loses_what_its_issuer_loses(api: Api) -> None:
    secret = (await issue(api, scopes=["ISSUES_READ", "ISSUES_COMMENT"]))["secret"]
    target = await report(api)
    assert target["id"] in await found_ids(api, {}, as_=secret)
    # The secretary leaves office today; they still live in A, but a token lends office only.
    async with api.db.write() as session:
        await session.execute(
            sa.update(Position)
            .where(
                Position.person_id == await person_id(api, "secretary"), Position.end_date.is_(None)
            )
            .values(end_date=clock.today())
        )
    assert await found_ids(api, {}, as_=secret) == []
    result = await api.run(COMMENT, {"i": {"id": target["id"], "body": "還在嗎"}}, as_=secret)
    assert result.codes == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expiresAt": (utcnow() - timedelta(minutes=1)).isoformat()}, "future"),
        ({"expiresAt": (utcnow() + timedelta(days=367)).isoformat()}, "at most one year"),
        ({"scopes": []}, "at least one scope"),
        ({"organisations": []}, "organisations"),
        ({"name": "  "}, "name"),
    ],
)
async def test_bad_requests_are_refused_and_create_nothing(
    api: Api, change: dict[str, Any], message: str
) -> None:
    before = await api.scalar(sa.select(sa.func.count()).select_from(ApiToken))
    result = await api.run(ISSUE, {"input": await _issue_input(api, **change)}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert message in result.errors[0]["message"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == before


async def test_expiry_is_mandatory(api: Api) -> None:
    input = await _issue_input(api)
    del input["expiresAt"]
    result = await api.run(ISSUE, {"input": input}, as_="secretary")
    assert result.errors and "expiresAt" in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("as_", "code"),
    [
        ("secretary_b", "NOT_FOUND"),
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
    ],
)
async def test_only_those_holding_token_issue_over_the_organisation_may_issue(
    api: Api, as_: str, code: str
) -> None:
    seq = await last_seq(api)
    before = await api.scalar(sa.select(sa.func.count()).select_from(ApiTokenOrganisation))
    result = await api.run(ISSUE, {"input": await _issue_input(api)}, as_=as_)
    assert result.codes == [code]
    assert await api.scalar(sa.select(sa.func.count()).select_from(ApiTokenOrganisation)) == before
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome) == ("issueToken", "DENIED")


TOKENS = """
query ($f: TokenFilter) { apiTokens(filter: $f, first: 100) { totalCount edges { node {
  id name status scopes lastUsedAt partner { name } issuer { id } organisations { id } } } } }
"""


async def test_tokens_are_listed_for_those_who_may_see_them(api: Api) -> None:
    issued = await issue(api, scopes=["ISSUES_READ", "AUDIT_READ"])
    listed = (await api.run(TOKENS, {"f": {"status": "ACTIVE"}}, as_="secretary")).ok()
    node = next(
        e["node"] for e in listed["apiTokens"]["edges"] if e["node"]["id"] == issued["token"]["id"]
    )
    assert node["scopes"] == ["ISSUES_READ", "AUDIT_READ"]
    assert node["partner"] == {"name": PARTNER}
    assert node["issuer"] == {"id": gid("Person", await person_id(api, "secretary"))}
    assert node["organisations"] == [{"id": api.ids["compound_a"]}]
    revoked = (await api.run(TOKENS, {"f": {"status": "REVOKED"}}, as_="secretary")).ok()
    assert {e["node"]["status"] for e in revoked["apiTokens"]["edges"]} == {"REVOKED"}
    # The supervisor reads them; B's secretary and A's residents do not.
    for role, sees in (("supervisor", True), ("secretary_b", False), ("resident", False)):
        found = (await api.run(TOKENS, None, as_=role)).ok()["apiTokens"]["edges"]
        assert (issued["token"]["id"] in {e["node"]["id"] for e in found}) is sees, role


async def test_last_use_is_recorded_at_most_once_per_interval(api: Api) -> None:
    issued = await issue(api, scopes=["ISSUES_READ"])
    token_id = _db_id(issued["token"]["id"])
    ctx = await api.context(issued["secret"])
    await ctx.close()
    assert ctx.actor.record_use  # never used yet
    first = utcnow()
    await record_token_use(api.db, token_id, first)
    await record_token_use(api.db, token_id, first + LAST_USE_INTERVAL / 2)
    stored = await api.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.id == token_id))
    assert stored == first
    ctx = await api.context(issued["secret"])
    await ctx.close()
    assert not ctx.actor.record_use
    await record_token_use(api.db, token_id, first + LAST_USE_INTERVAL)
    stored = await api.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.id == token_id))
    assert stored == first + LAST_USE_INTERVAL


COMMIT = "mutation ($i: CommitProjectInput!) { commitProject(input: $i) { id status } }"


async def test_a_partner_commits_only_its_own_projects(api: Api) -> None:
    secret = (
        await issue(api, scopes=["ORGANISATIONS_READ", "CO_BUILDING_READ", "CO_BUILDING_WRITE"])
    )["secret"]
    input = {
        "compound": api.ids["compound_a"],
        "year": clock.today().year,
        "title": "充電樁線路改造",
    }
    own = await api.run(COMMIT, {"i": {**input, "partner": await partner_unit_id(api)}}, as_=secret)
    assert own.ok()["commitProject"]["status"] == "COMMITTED"
    seq = await last_seq(api)
    before = await api.scalar(sa.select(sa.func.count()).select_from(CoBuildingProject))
    other = await api.run(COMMIT, {"i": {**input, "partner": await centre(api)}}, as_=secret)
    assert other.codes == ["FORBIDDEN"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(CoBuildingProject)) == before
    (entry,) = await entries_since(api, seq)
    assert (entry.outcome, entry.actor_organisation_id) == (
        "DENIED",
        await org_id(api, PARTNER),
    )
    # Without co-building:write the same commitment is refused.
    reader = (await issue(api, scopes=["ORGANISATIONS_READ", "CO_BUILDING_READ"]))["secret"]
    refused = await api.run(
        COMMIT, {"i": {**input, "partner": await partner_unit_id(api)}}, as_=reader
    )
    assert refused.codes == ["FORBIDDEN"]


async def test_a_partner_reads_only_its_own_audit_entries(api: Api) -> None:
    issued = await issue(api, scopes=["ISSUES_READ", "ISSUES_COMMENT", "AUDIT_READ"])
    target = await report(api)  # the resident's entry: it names the reporter
    (await api.run(COMMENT, {"i": {"id": target["id"], "body": "收到"}}, as_=issued["secret"])).ok()
    log = """query { auditLog(first: 100) { totalCount edges { node { id operation
               partner { id } } } } }"""
    seen = (await api.run(log, as_=issued["secret"])).ok()["auditLog"]
    # Its own changes only (a committed test's partner entry may be among them): this
    # comment, never the resident's report nor the secretary's issuing of the token.
    operations = [e["node"]["operation"] for e in seen["edges"]]
    assert operations[0] == "commentOnIssue"
    assert {"reportIssue", "issueToken"}.isdisjoint(operations)
    # The resident's own entry about the report stays out of reach, by node too.
    everyone = (await api.run(log, as_="secretary")).ok()["auditLog"]["edges"]
    report_entry = next(
        e["node"]["id"] for e in everyone if e["node"]["operation"] == "reportIssue"
    )
    node = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": report_entry}, as_=issued["secret"]
    )
    assert node.ok()["node"] is None


async def test_a_directory_scope_cannot_sift_party_members(api: Api) -> None:
    secret = (await issue(api, scopes=["PEOPLE_READ_DIRECTORY"]))["secret"]
    sift = """query ($c: ID!) { people(first: 100, filter: {compound: $c, partyMembership: MEMBER})
                { totalCount } }"""
    variables = {"c": api.ids["compound_a"]}
    assert (await api.run(sift, variables, as_=secret)).ok()["people"]["totalCount"] == 0
    assert (await api.run(sift, variables, as_="secretary")).ok()["people"]["totalCount"] > 0


async def test_an_expiry_without_a_time_zone_is_refused(api: Api) -> None:
    naive = (utcnow() + timedelta(days=30)).replace(tzinfo=None).isoformat()
    result = await api.run(
        ISSUE, {"input": await _issue_input(api, expiresAt=naive)}, as_="secretary"
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "time zone" in result.errors[0]["message"]
