"""The audit log as supervisors read it: names beside ids, labels for fields, China time,
the record's name as it was, and filters that refuse unknown words."""

from __future__ import annotations

import pytest

from resolvers.audit.queries import AuditFilter
from resolvers.audit.vocabulary import check_filter
from resolvers.errors import BadUserInput
from tests.helpers import Api
from tests.issue_helpers import PARTNER, report
from tests.partner_setup import issue
from tests.schema.test_audit_log import _appoint

READABLE = """
query ($f: AuditLogFilter) { auditLog(filter: $f) { totalCount edges { node {
  operation actorName actingOrganisationName partnerName tokenName organisationName
  resourceLabel occurredAt occurredAtChina
  changes { field before after label labelEn beforeText afterText }
} } } }
"""
RENAME = """mutation ($id: ID!, $name: String!) {
  updateOrganisation(input: {id: $id, name: $name}) { id } }"""
COMMENT = "mutation ($i: CommentOnIssueInput!) { commentOnIssue(input: $i) { id version } }"


async def _entries(api: Api, filter: dict[str, object], as_: str) -> list[dict[str, object]]:
    data = (await api.run(READABLE, {"f": filter}, as_=as_)).ok()
    return [edge["node"] for edge in data["auditLog"]["edges"]]


async def test_an_entry_names_its_actor_record_and_changes(api: Api) -> None:
    position = await _appoint(api)
    (entry,) = await _entries(api, {"resource": position}, "supervisor")
    assert entry["actorName"] and entry["actingOrganisationName"]
    assert entry["organisationName"] and entry["resourceLabel"]
    assert "COMMITTEE_MEMBER" in str(entry["resourceLabel"])
    assert entry["partnerName"] is None  # the tests sign in with personal tokens
    assert str(entry["occurredAtChina"])[:4] == str(entry["occurredAt"])[:4]
    changes = {c["field"]: c for c in entry["changes"]}  # type: ignore[attr-defined]
    title = changes["title"]
    assert (title["label"], title["labelEn"]) == ("标题/职务", "Title")
    assert title["afterText"] == "业委会委员 (COMMITTEE_MEMBER)"
    person = changes["person_id"]
    assert person["afterText"].endswith(f"(#{person['after']})")
    assert not person["afterText"].startswith("?")


async def test_a_renamed_record_keeps_its_old_name_in_older_entries(api: Api) -> None:
    compound = api.ids["compound_a"]
    for name in ("甲苑", "乙苑"):
        (await api.run(RENAME, {"id": compound, "name": name}, as_="secretary")).ok()
    entries = await _entries(
        api, {"resource": compound, "operation": "updateOrganisation"}, "supervisor"
    )
    assert [e["resourceLabel"] for e in entries[:2]] == ["乙苑", "甲苑"]
    newest = {c["field"]: c for c in entries[0]["changes"]}  # type: ignore[attr-defined]
    assert newest["name"]["beforeText"] == "甲苑" and newest["name"]["label"] == "名称"


async def test_a_partner_tokens_entry_names_the_person_unit_and_token(api: Api) -> None:
    issued = await issue(api, scopes=["ISSUES_READ", "ISSUES_COMMENT"])
    target = await report(api)
    (
        await api.run(COMMENT, {"i": {"id": target["id"], "body": "已安排"}}, as_=issued["secret"])
    ).ok()
    # The issue too: SQLite hands a deleted token's id out again, and some concurrency tests
    # delete the tokens they committed (their entries stay, as entries do).
    (entry,) = await _entries(
        api, {"token": issued["token"]["id"], "resource": target["id"]}, "secretary"
    )
    assert entry["partnerName"] == PARTNER == entry["actingOrganisationName"]
    assert entry["tokenName"] == "對接系統"
    assert entry["actorName"]  # the issuer, whose access bounded the call
    timeline = await api.run(
        """query ($id: ID!) { node(id: $id) { ... on Issue { timeline { edges { node {
             kind body actor { id } actorOrganisation { name } actorToken actorTokenName
           } } } } } }""",
        {"id": target["id"]},
        as_="secretary",
    )
    events = [e["node"] for e in timeline.ok()["node"]["timeline"]["edges"]]
    (comment,) = [e for e in events if e["body"] == "已安排"]
    assert comment["actor"] is None  # the issuer did not write it
    assert comment["actorOrganisation"] == {"name": PARTNER}
    assert comment["actorToken"] == issued["token"]["id"]
    assert comment["actorTokenName"] == "對接系統"


async def test_unknown_filter_words_are_bad_input_not_an_empty_page(api: Api) -> None:
    for filter, named in (
        ({"operation": "claimissue"}, "claimIssue"),
        ({"resourceType": "Issues"}, "issue"),
    ):
        result = await api.run(READABLE, {"f": filter}, as_="supervisor")
        assert result.codes == ["BAD_USER_INPUT"], result.errors
        assert named in result.errors[0]["message"]
    target = await report(api)
    by_type = await api.run(
        '{ auditLog(filter: {resourceType: "Issue"}) { totalCount } }', as_="supervisor"
    )
    by_kind = await api.run(
        '{ auditLog(filter: {resourceType: "issue"}) { totalCount } }', as_="supervisor"
    )
    assert by_type.ok() == by_kind.ok() and by_kind.ok()["auditLog"]["totalCount"] >= 1
    assert target


async def test_a_word_the_log_holds_is_known_beyond_the_schemas_mutations(api: Api) -> None:
    # The demo's seeding and the command line write operations no mutation is named after.
    ctx = await api.context("admin")
    try:
        await check_filter(ctx, AuditFilter(operation="issueToken"), operations=())
        with pytest.raises(BadUserInput, match="Operations: appointPosition"):
            await check_filter(ctx, AuditFilter(operation="noSuchThing"), ("appointPosition",))
    finally:
        await ctx.close()
