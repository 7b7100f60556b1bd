"""Public disclosure (兩公開) through GraphQL with real tokens: a member of the branch or the
owners' committee publishes a notice for a period; residents see it only within the period,
mark it read (each counted once) and ask about it; the publishing body answers in public while
who asked stays masked. Refusals change nothing and are audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db import clock
from db.models import Notice, NoticeQuestion, NoticeRead, OrganisationKind
from schema.ids import decode_id
from tests.disclosure_helpers import (
    DISCLOSURE_TABLES,
    NOTICE,
    QUESTION,
    ask,
    body,
    branch,
    committee,
    notice_input,
    publish,
)
from tests.helpers import Api, StatementCounter
from tests.issue_helpers import entries_since, last_seq, mutate, ok, person
from tests.mutation_cases import assert_refused
from tests.posts_helpers import as_resident

TODAY = clock.today()
LIST = "query ($f: NoticeFilter) { notices(filter: $f, first: 100) { totalCount edges { node { id } } } }"
NODE = "query ($id: ID!) { node(id: $id) { id ... on Notice { title readCount readByMe } } }"


async def _visible(api: Api, as_: str, notice: str, *, today: Any = None) -> bool:
    result = await api.run(LIST, {"f": {"compound": api.ids["compound_a"]}}, as_=as_, today=today)
    listed = notice in {edge["node"]["id"] for edge in result.ok()["notices"]["edges"]}
    by_id = (await api.run(NODE, {"id": notice}, as_=as_, today=today)).ok()["node"]
    assert listed == (by_id is not None), (as_, today)
    return listed


async def _refused(api: Api, name: str, input: dict[str, Any], as_: str, code: str) -> str:
    result = await assert_refused(api, name, input, as_=as_, code=code, tables=DISCLOSURE_TABLES)
    return str(result.errors[0]["message"])


# --- publishing ------------------------------------------------------------------------------


async def test_the_secretary_publishes_for_the_branch(api: Api) -> None:
    seq = await last_seq(api)
    notice = await publish(api, publishedUntil=(TODAY + timedelta(days=7)).isoformat())
    assert notice["publisher"]["id"] == await branch(api)
    assert notice["compound"]["id"] == api.ids["compound_a"]
    assert notice["publishedBy"]["id"] == await person(api, "secretary")
    assert (notice["publishedFrom"], notice["shownToday"], notice["readCount"]) == (
        TODAY.isoformat(),
        True,
        0,
    )
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.resource_type, entry.outcome) == (
        "publishNotice",
        "notice",
        "SUCCESS",
    )
    assert entry.resource_id == str(decode_id(notice["id"], "Notice"))
    assert entry.compound_id == api.compound("a")


async def test_a_cross_appointed_member_publishes_for_either_body(api: Api) -> None:
    # a3 sits on the branch committee and on the owners' committee.
    for publisher in (await branch(api), await committee(api)):
        notice = await publish(api, as_="committee_member", publisher=publisher, kind="FINANCES")
        assert notice["publisher"]["id"] == publisher


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("secretary", "FORBIDDEN"),  # the branch's secretary holds no committee position
        ("board_chair", "FORBIDDEN"),  # committee_member role, but not on the owners' committee
        ("secretary_b", "NOT_FOUND"),
    ],
)
async def test_only_a_member_of_the_body_publishes_for_it(api: Api, who: str, code: str) -> None:
    caller = await as_resident(api, "a", 12) if who == "board_chair" else who
    input = await notice_input(api, publisher=await committee(api))
    message = await _refused(api, "publishNotice", input, caller, code)
    assert "publish" in message or "No party branch" in message


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"publishedFrom": (TODAY - timedelta(days=1)).isoformat()}, "cannot start in the past"),
        ({"publishedFrom": (TODAY + timedelta(days=400)).isoformat()}, "at most 366 days ahead"),
        ({"publishedUntil": TODAY.isoformat()}, "first day the notice is no longer shown"),
        ({"publishedUntil": (TODAY + timedelta(days=2000)).isoformat()}, "at most 1098 days"),
        ({"title": "  "}, "title must not be empty"),
        ({"body": ""}, "body must not be empty"),
    ],
)
async def test_bad_notices_are_refused(api: Api, fields: dict[str, Any], says: str) -> None:
    message = await _refused(
        api, "publishNotice", await notice_input(api, **fields), "secretary", "BAD_USER_INPUT"
    )
    assert says in message


@pytest.mark.parametrize("kind", [OrganisationKind.SUPERVISORY_BOARD, OrganisationKind.COMPOUND])
async def test_only_a_branch_or_an_owners_committee_publishes(
    api: Api, kind: OrganisationKind
) -> None:
    publisher = (
        api.ids["compound_a"] if kind is OrganisationKind.COMPOUND else await body(api, "a", kind)
    )
    message = await _refused(
        api,
        "publishNotice",
        await notice_input(api, publisher=publisher),
        "admin",
        "BAD_USER_INPUT",
    )
    assert "party branch or owners' committee" in message


# --- who sees a notice, and when ----------------------------------------------------------


async def test_residents_see_a_notice_only_within_its_period(api: Api) -> None:
    starts = TODAY + timedelta(days=3)
    notice = (
        await publish(
            api,
            publishedFrom=starts.isoformat(),
            publishedUntil=(starts + timedelta(days=7)).isoformat(),
        )
    )["id"]
    for day, shown in (
        (starts - timedelta(days=1), False),
        (starts, True),
        (starts + timedelta(days=6), True),
        (starts + timedelta(days=7), False),  # the until day is no longer shown
    ):
        assert await _visible(api, "resident", notice, today=day) is shown, day
        # The bodies and the supervisor above see it on every day.
        for who in ("secretary", "committee_member", "supervisor"):
            assert await _visible(api, who, notice, today=day), (who, day)
    # Another compound's residents never do.
    assert not await _visible(api, "resident_b", notice, today=starts)


async def test_a_withdrawn_notice_is_gone_for_residents_only(api: Api) -> None:
    notice = await publish(api)
    assert await _visible(api, "resident", notice["id"])
    withdrawn = await ok(
        api,
        "withdrawNotice",
        {"notice": notice["id"], "reason": "金額有誤。", "expectedVersion": notice["version"]},
        as_="committee_member",
        selection=NOTICE,
    )
    assert (withdrawn["withdrawReason"], withdrawn["shownToday"], withdrawn["version"]) == (
        "金額有誤。",
        False,
        notice["version"] + 1,
    )
    assert not await _visible(api, "resident", notice["id"])
    assert await _visible(api, "secretary", notice["id"])
    # Once is enough; a stale version is a conflict.
    again = {"notice": notice["id"], "reason": "再撤一次"}
    assert "already withdrawn" in await _refused(
        api, "withdrawNotice", again, "secretary", "BAD_USER_INPUT"
    )
    stale = {**again, "expectedVersion": notice["version"]}
    await _refused(api, "withdrawNotice", stale, "secretary", "CONFLICT")


async def test_only_the_publishing_body_withdraws(api: Api) -> None:
    notice = (await publish(api, publisher=await committee(api), as_="committee_member"))["id"]
    input = {"notice": notice, "reason": "撤回"}
    # The secretary holds no position on the owners' committee; a resident may only read it.
    for who in ("secretary", "resident", "supervisor"):
        await _refused(api, "withdrawNotice", input, who, "FORBIDDEN")
    await _refused(api, "withdrawNotice", input, "secretary_b", "NOT_FOUND")


async def test_the_notice_list_filters_and_pages(api: Api) -> None:
    mine = [(await publish(api, kind="DECISIONS", title=f"決議{n}"))["id"] for n in range(3)]
    filter = {"compound": api.ids["compound_a"], "kind": "DECISIONS", "shownOn": TODAY.isoformat()}
    query = """query ($f: NoticeFilter, $after: String) {
      notices(filter: $f, first: 2, after: $after) {
        totalCount edges { node { id kind } } pageInfo { hasNextPage endCursor } } }"""
    first = (await api.run(query, {"f": filter}, as_="resident")).ok()["notices"]
    assert [edge["node"]["id"] for edge in first["edges"]] == mine[::-1][:2]  # newest first
    assert first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    second = (await api.run(query, {"f": filter, "after": after}, as_="resident")).ok()["notices"]
    assert second["edges"][0]["node"]["id"] == mine[0]
    assert first["totalCount"] == second["totalCount"] >= 3


# --- reading -----------------------------------------------------------------------------------


async def test_each_reader_counts_once(api: Api) -> None:
    notice = (await publish(api))["id"]
    seq = await last_seq(api)
    for _ in range(2):
        marked = await ok(
            api, "markNoticeRead", {"notice": notice}, as_="resident", selection=NOTICE
        )
        assert (marked["readCount"], marked["readByMe"]) == (1, True)
    first, second = await entries_since(api, seq)
    assert (first.operation, first.resource_type, first.outcome) == (
        "markNoticeRead",
        "notice",
        "SUCCESS",
    )
    assert first.changes == [{"field": "read", "before": False, "after": True}]
    assert second.changes == []  # marked again: nothing changed, still audited
    await ok(api, "markNoticeRead", {"notice": notice}, as_="committee_member", selection="id")
    seen = (await api.run(NODE, {"id": notice}, as_="secretary")).ok()["node"]
    assert (seen["readCount"], seen["readByMe"]) == (2, False)


async def test_a_notice_not_shown_cannot_be_marked_read(api: Api) -> None:
    later = (await publish(api, publishedFrom=(TODAY + timedelta(days=5)).isoformat()))["id"]
    # The resident cannot see it yet (NOT_FOUND, audited as a denial); the supervisor sees it
    # but reads for the street, not as a resident.
    await _refused(api, "markNoticeRead", {"notice": later}, "resident", "NOT_FOUND")
    await _refused(api, "markNoticeRead", {"notice": later}, "supervisor", "FORBIDDEN")


async def test_the_read_counts_of_a_page_cost_one_statement(
    api: Api, statements: StatementCounter
) -> None:
    for _ in range(10):
        await publish(api)
    await api.sign_in("secretary")
    query = """query ($f: NoticeFilter, $n: Int) { notices(filter: $f, first: $n) {
      edges { node { id readCount readByMe } } } }"""
    counts = []
    for size in (2, 10):
        statements.reset()
        result = await api.run(
            query, {"f": {"compound": api.ids["compound_a"]}, "n": size}, as_="secretary"
        )
        assert len(result.ok()["notices"]["edges"]) == size
        counts.append(statements.count)
    assert counts[0] == counts[1], counts


# --- questions answered in public -----------------------------------------------------------


async def test_a_question_is_public_and_who_asked_is_masked(api: Api) -> None:
    notice = (await publish(api))["id"]
    asked = await ask(api, notice)
    resident = await person(api, "resident")
    assert (asked["asker"], asked["askedByMe"]) == ({"id": resident}, True)
    answered = await ok(
        api,
        "answerNoticeQuestion",
        {"question": asked["id"], "answer": "暫存在地下室，三天內可認領。"},
        as_="secretary",
        selection=QUESTION,
    )
    assert answered["answeredBy"]["id"] == await person(api, "secretary")
    query = """query ($id: ID!) { node(id: $id) { ... on Notice {
      questions { edges { node { question answer askedByMe asker { id } } } } } } }"""
    # Another resident of the compound reads question and answer, not who asked.
    neighbour = await as_resident(api, "a", 2)
    seen = await api.run(query, {"id": notice}, as_=neighbour)
    (edge,) = seen.ok()["node"]["questions"]["edges"]
    assert edge["node"] == {
        "question": "清理後的雜物放在哪裡？",
        "answer": "暫存在地下室，三天內可認領。",
        "askedByMe": False,
        "asker": None,
    }
    assert "NoticeQuestion.asker" in seen.extensions["maskedFields"]["fields"]
    # The asker, the bodies and the supervisor know who asked.
    for who in ("resident", "secretary", "committee_member", "supervisor"):
        known = await api.run(query, {"id": notice}, as_=who)
        (edge,) = known.ok()["node"]["questions"]["edges"]
        assert edge["node"]["asker"] == {"id": resident}, who
        assert "maskedFields" not in known.extensions, who


async def test_questions_follow_their_notice_out_of_view(api: Api) -> None:
    notice = await publish(api)
    question = (await ask(api, notice["id"]))["id"]
    await ok(
        api,
        "withdrawNotice",
        {"notice": notice["id"], "reason": "重發"},
        as_="secretary",
        selection="id",
    )
    node = "query ($id: ID!) { node(id: $id) { id } }"
    assert (await api.run(node, {"id": question}, as_="resident")).ok()["node"] is None
    assert (await api.run(node, {"id": question}, as_="secretary")).ok()["node"] is not None
    # No more questions, and no answers, on a withdrawn notice.
    await _refused(
        api, "askAboutNotice", {"notice": notice["id"], "question": "?"}, "resident", "NOT_FOUND"
    )
    says = await _refused(
        api,
        "answerNoticeQuestion",
        {"question": question, "answer": "答"},
        "secretary",
        "BAD_USER_INPUT",
    )
    assert "withdrawn" in says


async def test_only_the_publishing_body_answers_and_only_once(api: Api) -> None:
    notice = (await publish(api, publisher=await committee(api), as_="committee_member"))["id"]
    question = (await ask(api, notice))["id"]
    input = {"question": question, "answer": "答覆"}
    # The secretary is not on the owners' committee; nor is the supervisory board's chair.
    await _refused(api, "answerNoticeQuestion", input, "secretary", "FORBIDDEN")
    await _refused(api, "answerNoticeQuestion", input, await as_resident(api, "a", 12), "FORBIDDEN")
    await _refused(api, "answerNoticeQuestion", input, "supervisor", "FORBIDDEN")
    await _refused(api, "answerNoticeQuestion", input, "committee_member_b", "NOT_FOUND")
    await ok(api, "answerNoticeQuestion", input, as_="committee_member", selection="id")
    says = await _refused(api, "answerNoticeQuestion", input, "committee_member", "BAD_USER_INPUT")
    assert "already answered" in says


async def test_only_residents_ask_and_only_while_shown(api: Api) -> None:
    notice = (await publish(api))["id"]
    input = {"notice": notice, "question": "可以延期嗎？"}
    await _refused(api, "askAboutNotice", input, "supervisor", "FORBIDDEN")
    await _refused(api, "askAboutNotice", input, "property_firm", "NOT_FOUND")
    await _refused(api, "askAboutNotice", input, "resident_b", "NOT_FOUND")
    # After its period the resident no longer sees it.
    ended = await publish(api, publishedUntil=(TODAY + timedelta(days=1)).isoformat())
    result = await mutate(
        api,
        "askAboutNotice",
        {"notice": ended["id"], "question": "?"},
        as_="resident",
        selection="id",
    )
    assert result.codes == []  # today it is shown
    tomorrow = await api.run(
        "mutation ($i: AskAboutNoticeInput!) { askAboutNotice(input: $i) { id } }",
        {"i": {"notice": ended["id"], "question": "?"}},
        as_="resident",
        today=TODAY + timedelta(days=1),
    )
    assert tomorrow.codes == ["NOT_FOUND"]


# --- policy: the SQL form of `member` agrees with its row check -------------------------------


async def test_member_selects_the_notices_of_the_callers_bodies(api: Api) -> None:
    for_branch = decode_id((await publish(api))["id"], "Notice")
    for_committee = decode_id(
        (await publish(api, publisher=await committee(api), as_="committee_member"))["id"],
        "Notice",
    )

    async def withdrawable(as_: str) -> set[int]:
        ctx = await api.context(as_)
        try:
            rows = await ctx.read(
                sa.select(Notice.id).where(
                    Notice.id.in_([for_branch, for_committee]),  # type: ignore[union-attr]
                    ctx.auth.decide("notice", "withdraw").where(),
                )
            )
            return {int(i) for i in rows.scalars().all()}
        finally:
            await ctx.close()

    assert await withdrawable("committee_member") == {for_branch, for_committee}
    assert await withdrawable("secretary") == {for_branch}
    assert await withdrawable(await as_resident(api, "a", 12)) == set()
    assert await withdrawable("secretary_b") == set()


# --- indicators ----------------------------------------------------------------------------------


async def test_indicators_count_the_notices_published(api: Api) -> None:
    query = """query ($id: ID!) { indicatorsOfCompound(compound: $id) {
      disclosure { published finances } } }"""

    async def figures(as_: str) -> Any:
        result = await api.run(query, {"id": api.ids["compound_a"]}, as_=as_)
        return result.ok()["indicatorsOfCompound"]["disclosure"]

    before = await figures("supervisor")
    await publish(api, kind="FINANCES")
    await publish(api, kind="AFFAIRS", publishedFrom=(TODAY + timedelta(days=2)).isoformat())
    after = await figures("supervisor")
    assert (after["published"], after["finances"]) == (
        before["published"] + 1,
        before["finances"] + 1,
    )
    # A resident counts those shown today: never more than the bodies do.
    assert (await figures("resident"))["published"] <= after["published"]
    # The partner token reads indicators but no notice: the figure is null, not zero.
    assert await figures("partner") is None


async def test_demo_notices_are_read_and_asked_about(api: Api) -> None:
    async with api.db.read_sessions() as session:
        reads = (await session.execute(sa.select(sa.func.count()).select_from(NoticeRead))).scalar()
        waiting = (
            await session.execute(
                sa.select(sa.func.count())
                .select_from(NoticeQuestion)
                .where(NoticeQuestion.answer.is_(None))  # type: ignore[union-attr]
            )
        ).scalar()
    assert reads and reads > 10
    assert waiting == 2
