"""Mobilisation (一聲令下) through GraphQL with real tokens: the branch's secretary (or the
street's officer) sends a call to the party members, volunteers and post holders of a subtree;
each person called on acknowledges and reports back, themself only; the sender closes it; the
figures roll up into the indicators, and each person called on hears of it in myNotifications.
Refusals change nothing and are audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db import clock
from db.models import (
    MobilisationRecipient,
    Organisation,
    OutboxEvent,
    PartyMembership,
    Person,
    PostClaim,
)
from resolvers.mobilisation.sweep import close_past_deadline
from resolvers.notification_feed import Reason, _read
from schema.ids import decode_id
from tests.disclosure_helpers import branch, committee
from tests.helpers import Api
from tests.issue_helpers import COMMUNITY, entries_since, last_seq, ok, org
from tests.lovebank_helpers import resident_id, token_for
from tests.mobilisation_helpers import (
    ANSWER,
    CALL,
    MOBILISATION_TABLES,
    send,
    send_input,
)
from tests.mutation_cases import assert_refused

LIST = """query ($f: MobilisationFilter) { mobilisations(filter: $f, first: 100) {
  edges { node { id title targeted } } } }"""
RECIPIENTS = """query ($id: ID!) { node(id: $id) { ... on Mobilisation {
  recipients(first: 100) { edges { node { group acknowledgedAt person { id } } } } } } }"""
INDICATORS = """query ($c: ID!) { indicatorsOfCompound(compound: $c) { mobilisation {
  targeted acknowledged reported turnoutRate reportRate averageResponseMinutes
  medianResponseMinutes } } }"""
SUBTREE = """query ($o: ID!) { indicatorsOfSubtree(organisation: $o) { mobilisation {
  targeted acknowledged medianResponseMinutes } compounds { mobilisation { targeted } } } }"""


async def _party_members(api: Api, compound: str) -> int:
    return int(
        await api.scalar(
            sa.select(sa.func.count()).where(
                Person.residence_compound_id == api.compound(compound),
                Person.party_membership == PartyMembership.MEMBER,
            )
        )
    )


async def _ids(api: Api, as_: str, **filter: Any) -> set[str]:
    result = await api.run(LIST, {"f": filter or None}, as_=as_)
    return {edge["node"]["id"] for edge in result.ok()["mobilisations"]["edges"]}


async def _answer(api: Api, name: str, call: str, as_: str, **fields: Any) -> dict[str, Any]:
    return await ok(api, name, {"mobilisation": call, **fields}, as_=as_, selection=ANSWER)


async def _refused(
    api: Api, name: str, input: dict[str, Any], as_: str, code: str, **kw: Any
) -> str:
    result = await assert_refused(
        api, name, input, as_=as_, code=code, tables=MOBILISATION_TABLES, **kw
    )
    return str(result.errors[0]["message"])


# --- the happy path ---------------------------------------------------------------------------


async def test_the_secretary_calls_the_party_members_who_answer_and_the_call_is_closed(
    api: Api,
) -> None:
    seq = await last_seq(api)
    call = await send(api)
    # Every party member of 繼光花苑 but the secretary who sends it.
    targeted = await _party_members(api, "a") - 1
    assert (call["status"], call["targeted"], call["acknowledged"]) == ("OPEN", targeted, 0)
    assert (call["groups"], call["turnoutRate"], call["myAnswer"]) == (["PARTY_MEMBER"], 0.0, None)
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.resource_type, entry.outcome) == (
        "sendMobilisation",
        "mobilisation",
        "SUCCESS",
    )
    assert entry.compound_id == api.compound("a")
    assert {"recipients": targeted} == {
        c["field"]: c["after"] for c in entry.changes if c["field"] == "recipients"
    }

    first = await _answer(api, "acknowledgeMobilisation", call["id"], "committee_member")
    assert first["acknowledgedAt"] is not None and first["group"] == "PARTY_MEMBER"
    assert first["responseMinutes"] is not None and first["responseMinutes"] >= 0
    # A retry changes nothing, and is audited as an attempt without changes.
    seq = await last_seq(api)
    again = await _answer(api, "acknowledgeMobilisation", call["id"], "committee_member")
    assert (again["acknowledgedAt"], again["version"]) == (
        first["acknowledgedAt"],
        first["version"],
    )
    (retry,) = await entries_since(api, seq)
    assert (retry.outcome, retry.changes) == ("SUCCESS", [])

    report = await _answer(
        api,
        "reportMobilisation",
        call["id"],
        "committee_member",
        outcome="DONE",
        report="已通知2號樓車主",
    )
    assert (report["outcome"], report["report"]) == ("DONE", "已通知2號樓車主")
    # Reporting acknowledges too.
    deputy = await token_for(api, await resident_id(api, "a", 6))
    await _answer(
        api, "reportMobilisation", call["id"], deputy, outcome="PARTLY_DONE", report="到場"
    )

    closed = await ok(
        api,
        "closeMobilisation",
        {"mobilisation": call["id"], "expectedVersion": 1},
        as_="secretary",
        selection=CALL,
    )
    assert (closed["status"], closed["acknowledged"], closed["reported"]) == ("CLOSED", 2, 2)
    assert closed["turnoutRate"] == round(2 / targeted, 4)
    assert closed["medianResponseMinutes"] is not None
    message = await _refused(
        api,
        "reportMobilisation",
        {"mobilisation": call["id"], "outcome": "DONE", "report": "晚了"},
        "committee_member",
        "BAD_USER_INPUT",
    )
    assert "closed" in message
    message = await _refused(
        api, "closeMobilisation", {"mobilisation": call["id"]}, "secretary", "BAD_USER_INPUT"
    )
    assert "already closed" in message


async def test_the_street_officer_calls_a_whole_community(api: Api) -> None:
    call = await send(
        api,
        as_="supervisor",
        sender=await org(api, "蕉北街道"),
        target=await org(api, COMMUNITY),
        urgency="URGENT",
    )
    # A's and B's members, and those of the second grid's small compounds (the joint branch's).
    community = await api.scalar(sa.select(Organisation.path).where(Organisation.name == COMMUNITY))
    both = await api.scalar(
        sa.select(sa.func.count())
        .select_from(Person)
        .join(Organisation, Organisation.id == Person.residence_compound_id)
        .where(
            Organisation.path.startswith(community),  # type: ignore[union-attr]
            Person.party_membership == PartyMembership.MEMBER,
        )
    )
    assert both > await _party_members(api, "a") + await _party_members(api, "b")
    assert call["targeted"] == both
    # Each compound's secretary hears of it as a party member called on, and answers.
    await _answer(api, "acknowledgeMobilisation", call["id"], "secretary")
    await _answer(api, "acknowledgeMobilisation", call["id"], "secretary_b")
    # Each sees the call as their own, and only their own answer among the recipients.
    result = await api.run(RECIPIENTS, {"id": call["id"]}, as_="secretary_b")
    (only,) = result.ok()["node"]["recipients"]["edges"]
    assert only["node"]["acknowledgedAt"] is not None
    # The officer sees every answer.
    result = await api.run(RECIPIENTS, {"id": call["id"]}, as_="supervisor")
    assert len(result.ok()["node"]["recipients"]["edges"]) == both


async def test_a_building_and_each_group_are_called_on_as_resolved_at_sending(api: Api) -> None:
    # The demo's party members of 繼光花苑 all live in its building 1, none in building 2.
    building = await send(api, target=await org(api, "繼光花苑1號樓"))
    assert building["targeted"] == await _party_members(api, "a") - 1
    message = await _refused(
        api,
        "sendMobilisation",
        await send_input(api, target=await org(api, "繼光花苑2號樓")),
        "secretary",
        "BAD_USER_INPUT",
    )
    assert "Nobody in" in message
    # Post holders: the people with an active claim on a post of the compound.
    holders = await api.scalar(
        sa.select(sa.func.count(sa.distinct(PostClaim.person_id))).where(
            PostClaim.compound_id == api.compound("a"),
            PostClaim.active,
            PostClaim.person_id != await resident_id(api, "a", 0),
        )
    )
    posts = await send(api, groups=["SERVICE_POST_HOLDER"])
    assert posts["targeted"] == holders > 0
    # Everyone once, under the first of their groups.
    everyone = await send(api, groups=["VOLUNTEER", "PARTY_MEMBER", "SERVICE_POST_HOLDER"])
    assert everyone["groups"] == ["PARTY_MEMBER", "SERVICE_POST_HOLDER", "VOLUNTEER"]
    rows = (await api.run(RECIPIENTS, {"id": everyone["id"]}, as_="secretary")).ok()["node"][
        "recipients"
    ]["edges"]
    people = [edge["node"]["person"]["id"] for edge in rows]
    assert len(people) == len(set(people)) == everyone["targeted"]
    assert {edge["node"]["group"] for edge in rows} >= {"PARTY_MEMBER"}


# --- who sees what ----------------------------------------------------------------------------


async def test_lists_are_scoped_to_the_subtree_and_to_the_people_called_on(api: Api) -> None:
    call = (await send(api))["id"]
    assert call in await _ids(api, "secretary")
    assert call in await _ids(api, "committee_member")  # reads the compound's, and called on
    assert call in await _ids(api, "committee_member", calledOnMe=True)
    assert call in await _ids(api, "supervisor")
    assert call not in await _ids(api, "supervisor", calledOnMe=True)
    # Resident a1 is no party member: not called on, and sees nothing of it.
    assert call not in await _ids(api, "resident")
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": call}, as_="resident"
    )
    assert result.ok()["node"] is None
    # Compound B's people see nothing of A's call.
    for caller in ("secretary_b", "committee_member_b", "resident_b"):
        assert call not in await _ids(api, caller), caller


async def test_a_recipient_sees_only_their_own_answer(api: Api) -> None:
    call = (await send(api))["id"]
    # a27: a party member holding no position (no reader of the compound's answers).
    member = await token_for(api, await resident_id(api, "a", 27))
    result = await api.run(RECIPIENTS, {"id": call}, as_=member)
    (mine,) = result.ok()["node"]["recipients"]["edges"]
    assert decode_id(mine["node"]["person"]["id"], "Person") == await resident_id(api, "a", 27)


async def test_a_recipient_s_own_answer_is_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    call = (await send(api))["id"]
    member = await token_for(api, await resident_id(api, "a", 27))
    whole_model_reads.clear()
    query = "query ($id: ID!) { node(id: $id) { ... on Mobilisation { myAnswer { id outcome } } } }"
    mine = (await api.run(query, {"id": call}, as_=member)).ok()["node"]["myAnswer"]
    assert mine["id"] and mine["outcome"] is None
    assert whole_model_reads == []


# --- refusals ---------------------------------------------------------------------------------


async def test_compound_b_cannot_send_into_a(api: Api) -> None:
    # Naming A's branch as the sender: B's secretary may not even see it.
    await _refused(api, "sendMobilisation", await send_input(api), "secretary_b", "NOT_FOUND")
    # From B's branch to A's compound: refused too.
    await _refused(
        api,
        "sendMobilisation",
        await send_input(api, "b", target=api.ids["compound_a"]),
        "secretary_b",
        "NOT_FOUND",
    )


async def test_a_secretary_cannot_call_above_the_compound_and_is_audited(api: Api) -> None:
    seq = await last_seq(api)
    message = await _refused(
        api,
        "sendMobilisation",
        await send_input(api, target=await org(api, COMMUNITY)),
        "secretary",
        "FORBIDDEN",
    )
    assert "send a mobilisation" in message
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.changes) == ("sendMobilisation", "DENIED", [])


async def test_a_committee_member_who_holds_no_branch_position_cannot_send(api: Api) -> None:
    chair = await token_for(api, await resident_id(api, "a", 9))  # the owners' committee chair
    await _refused(api, "sendMobilisation", await send_input(api), chair, "FORBIDDEN")


async def test_only_the_person_called_on_answers(api: Api) -> None:
    call = (await send(api))["id"]
    # The secretary reads the call but was not called on (the sender is never).
    await _refused(api, "acknowledgeMobilisation", {"mobilisation": call}, "secretary", "FORBIDDEN")
    await _refused(api, "acknowledgeMobilisation", {"mobilisation": call}, "admin", "FORBIDDEN")
    await _refused(api, "acknowledgeMobilisation", {"mobilisation": call}, "resident", "NOT_FOUND")
    await _refused(api, "closeMobilisation", {"mobilisation": call}, "supervisor", "FORBIDDEN")


async def test_bad_input_is_refused_with_a_stable_code(api: Api) -> None:
    past = (clock.now() - timedelta(hours=1)).astimezone(UTC).isoformat()
    far = (datetime.now(UTC) + timedelta(days=40)).isoformat()
    for fields, words in (
        ({"groups": []}, "at least one group"),
        ({"respondBy": past}, "future"),
        ({"respondBy": far}, "30 days"),
        ({"title": "  "}, "title"),
        ({"sender": await committee(api)}, "party branch, a street or a community"),
        ({"target": api.ids["compound_b"], "sender": await branch(api)}, ""),
    ):
        code = "NOT_FOUND" if "target" in fields else "BAD_USER_INPUT"
        outcome = None if code == "NOT_FOUND" else "REJECTED"
        message = await _refused(
            api,
            "sendMobilisation",
            await send_input(api, **fields),
            "secretary",
            code,
            outcome=outcome,
        )
        assert words in message, (fields, message)
    call = (await send(api))["id"]
    await _refused(
        api,
        "reportMobilisation",
        {"mobilisation": call, "outcome": "DONE", "report": " "},
        "committee_member",
        "BAD_USER_INPUT",
    )


# --- the deadline ------------------------------------------------------------------------------

CLOSED_FIGURES = """query ($c: ID!, $on: Date) { indicatorsOfCompound(compound: $c, date: $on) {
  mobilisation { targeted closed missed } } }"""
TRAIL = """query ($id: ID!) { node(id: $id) { ... on Mobilisation { status closedAt respondBy
  auditTrail(first: 10) { edges { node { operation outcome } } } } } }"""


async def _late(api: Api, name: str, call: str, as_: str, reason: str, **fields: Any) -> str:
    result = await assert_refused(
        api,
        name,
        {"mobilisation": call, **fields},
        as_=as_,
        code="BAD_USER_INPUT",
        tables=MOBILISATION_TABLES,
    )
    assert result.errors[0]["extensions"]["reason"] == reason
    return str(result.errors[0]["message"])


async def test_a_call_past_its_deadline_takes_no_answers_and_is_closed(
    api: Api, frozen_clock: clock.FrozenClock
) -> None:
    call = await send(api)  # EMERGENCY: answers within 2 hours
    sent_on = clock.today().isoformat()
    await _answer(api, "acknowledgeMobilisation", call["id"], "committee_member")
    figures = {"c": api.ids["compound_a"], "on": sent_on}
    before = (await api.run(CLOSED_FIGURES, figures, as_="supervisor")).ok()
    frozen_clock.advance(timedelta(hours=2))
    # From the deadline on, answers are refused (nothing changes, the refusal is audited),
    # even before the worker has closed the call.
    message = await _late(
        api,
        "reportMobilisation",
        call["id"],
        "committee_member",
        "MOBILISATION_PAST_DEADLINE",
        outcome="DONE",
        report="晚了",
    )
    assert call["title"] in message and "asked for answers by" in message
    deputy = await token_for(api, await resident_id(api, "a", 6))
    await _late(api, "acknowledgeMobilisation", call["id"], deputy, "MOBILISATION_PAST_DEADLINE")

    seq = await last_seq(api)
    assert await close_past_deadline(api.db) == 1
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.actor_person_id) == (
        "closeMobilisationAtDeadline",
        "SUCCESS",
        None,
    )
    assert entry.resource_id == str(decode_id(call["id"], "Mobilisation"))
    assert entry.compound_id == api.compound("a")
    assert {c["field"]: c["after"] for c in entry.changes}["status"] == "CLOSED"
    # It reads closed at its deadline, with the closure in its trail; a second pass finds
    # nothing to do and writes nothing.
    node = (await api.run(TRAIL, {"id": call["id"]}, as_="secretary")).ok()["node"]
    assert node["status"] == "CLOSED" and node["closedAt"] == node["respondBy"]
    trail = [e["node"]["operation"] for e in node["auditTrail"]["edges"]]
    assert "closeMobilisationAtDeadline" in trail
    assert await close_past_deadline(api.db) == 0
    assert await entries_since(api, entry.seq) == []
    await _late(
        api,
        "reportMobilisation",
        call["id"],
        "committee_member",
        "MOBILISATION_PAST_DEADLINE",
        outcome="DONE",
        report="晚了",
    )
    # The indicators count everyone it called on as closed, and all of them as missed (one
    # acknowledged, nobody reported).
    after = (await api.run(CLOSED_FIGURES, figures, as_="supervisor")).ok()
    was, now = (f["indicatorsOfCompound"]["mobilisation"] for f in (before, after))
    assert now["closed"] == was["closed"] + call["targeted"]
    assert now["missed"] == was["missed"] + call["targeted"]


async def test_a_call_its_sender_closed_refuses_answers_with_its_own_reason(api: Api) -> None:
    call = (await send(api))["id"]
    await ok(api, "closeMobilisation", {"mobilisation": call}, as_="secretary", selection="id")
    await _late(api, "acknowledgeMobilisation", call, "committee_member", "MOBILISATION_CLOSED")


# --- roll-up and notifications ----------------------------------------------------------------


async def test_turnout_and_response_time_roll_up_into_the_indicators(api: Api) -> None:
    async def figures(query: str, key: str, value: str, as_: str = "supervisor") -> Any:
        result = await api.run(query, {key: value}, as_=as_)
        return result.ok()

    before = (await figures(INDICATORS, "c", api.ids["compound_a"]))["indicatorsOfCompound"]
    call = (await send(api))["id"]
    await _answer(api, "acknowledgeMobilisation", call, "committee_member")
    after = (await figures(INDICATORS, "c", api.ids["compound_a"]))["indicatorsOfCompound"]
    was, now = before["mobilisation"], after["mobilisation"]
    assert now["targeted"] == was["targeted"] + await _party_members(api, "a") - 1
    assert now["acknowledged"] == was["acknowledged"] + 1
    assert now["turnoutRate"] == round(now["acknowledged"] / now["targeted"], 4)
    assert now["medianResponseMinutes"] is not None
    # Residents read the figures too (aggregates, never who).
    resident = await figures(INDICATORS, "c", api.ids["compound_a"], "resident")
    assert resident["indicatorsOfCompound"]["mobilisation"] == now
    street = (await figures(SUBTREE, "o", await org(api, COMMUNITY)))["indicatorsOfSubtree"]
    per_compound = [c["mobilisation"]["targeted"] for c in street["compounds"]]
    assert street["mobilisation"]["targeted"] == sum(per_compound)
    assert now["targeted"] in per_compound


async def test_the_people_called_on_hear_of_it_and_nobody_else(api: Api) -> None:
    head = int(await api.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboxEvent.id), 0))))
    call = (await send(api))["id"]
    called = await api.scalar(
        sa.select(sa.func.count()).where(
            MobilisationRecipient.mobilisation_id == decode_id(call, "Mobilisation")
        )
    )
    assert called > 0

    async def heard(as_: str) -> list[Any]:
        async with api.live(as_) as live:
            batch = await _read(live, head)
        return [n for n in batch.items if n.mobilisation is not None]

    (notice,) = await heard("committee_member")
    assert notice.reason is Reason.RECIPIENT and notice.event.kind == "mobilisation.sent"
    assert await heard("secretary") == []  # the sender's own change
    assert await heard("resident") == []
    assert await heard("committee_member_b") == []


async def test_the_demo_has_calls_and_answers_in_both_compounds(api: Api) -> None:
    query = """{ mobilisations(first: 20) { edges { node { title status targeted acknowledged
      reported target { name } } } } }"""
    for caller, own in (("secretary", "繼光花苑"), ("secretary_b", "上東小區")):
        calls = [
            e["node"] for e in (await api.run(query, as_=caller)).ok()["mobilisations"]["edges"]
        ]
        mine = [c for c in calls if c["target"]["name"] == own]
        # (any: a committed test elsewhere may leave a call of its own, still unanswered)
        assert any(c["targeted"] > 0 and c["acknowledged"] > 0 for c in mine), calls
        # And the street's call, which called on them as party members.
        assert COMMUNITY in {c["target"]["name"] for c in calls}
    closed = [c for c in calls if c["status"] == "CLOSED"]
    assert closed == []  # B's secretary sees no closed call of A
