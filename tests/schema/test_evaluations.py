"""Annual evaluations through GraphQL with real tokens: opening, scoring, closing, the exact
result, who may do what, privacy of individual scores, and isolation between compounds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db import clock
from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationSubmission,
)
from policies.grants import COMMITTEE_MEMBER, SECRETARY, TITLE_ROLES
from resolvers.evaluations.results import SCORING_TITLES
from schema.ids import decode_id
from tests.evaluation_helpers import (
    CRITERIA,
    EVALUATION,
    close,
    committee_a,
    demo_evaluation,
    demo_evaluation_id,
    later,
    ok,
    open_input,
    open_new,
    read,
    refused,
    resident_tokens,
    run,
    scores,
    submit,
)
from tests.helpers import Api, FromToday, gid, resolved
from tests.issue_helpers import (
    BRANCH_A,
    COMMITTEE_B,
    FIRM_A,
    FIRM_B,
    entries_since,
    last_seq,
    org,
    org_id,
    person_id,
)

# --- opening ---------------------------------------------------------------------------


async def test_the_secretary_opens_an_evaluation_of_the_firm_serving_the_compound(
    api: Api,
) -> None:
    seq = await last_seq(api)
    opened = await open_new(api)
    assert opened["status"] == "OPEN"
    assert opened["acceptingScores"] is True
    assert opened["year"] == clock.today().year
    assert opened["subjectKind"] == "PROPERTY_FIRM"
    assert opened["subjectName"] == opened["subject"]["name"] == "新進駐物業有限公司"
    assert opened["compound"]["id"] == api.ids["compound_a"]
    assert [(c["name"], c["weight"], c["position"]) for c in opened["criteria"]] == [
        ("服務態度", 50, 1),
        ("環境衛生", 30, 2),
        ("設施維修", 20, 3),
    ]
    assert (opened["scorerCount"], opened["result"], opened["myScore"]) == (0, None, None)
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == (
        "openEvaluation",
        "SUCCESS",
        "secretary",
    )
    assert entry.resource_id == str(decode_id(opened["id"], "Evaluation"))
    assert {"field": "status", "before": None, "after": "OPEN"} in entry.changes
    assert {"field": "criteria", "before": None, "after": CRITERIA} in entry.changes


async def test_the_owners_committee_is_evaluated_and_names_are_cleaned(api: Api) -> None:
    criteria = [{"name": "  履職  盡責 ", "weight": 60}, {"name": "財務公開", "weight": 40}]
    opened = await ok(
        api,
        "openEvaluation",
        await open_input(api, subject=await committee_a(api), criteria=criteria),
        as_="secretary",
    )
    assert opened["subjectKind"] == "OWNERS_COMMITTEE"
    assert [c["name"] for c in opened["criteria"]] == ["履職 盡責", "財務公開"]
    # A window that opens later: open, but not taking scores yet.
    later_one = await ok(
        api,
        "openEvaluation",
        await open_input(api, opensAt=later(2), closesAt=later(9)),
        as_="admin",
    )
    assert (later_one["status"], later_one["acceptingScores"]) == ("OPEN", False)


def _weights(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"name": name, "weight": weight} for name, weight in pairs]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"criteria": _weights(("甲", 50), ("乙", 40))}, "sum to 100; they sum to 90"),
        ({"criteria": _weights(("甲", 100), ("乙", 0))}, "whole number from 1 to 100"),
        ({"criteria": _weights(("甲", 50), (" 甲 ", 50))}, "named twice"),
        ({"criteria": _weights(("A", 50), ("a", 50))}, "named twice"),
        ({"criteria": _weights(("  ", 100))}, "must not be empty"),
        ({"criteria": []}, "between 1 and 10 criteria"),
        ({"criteria": _weights(*((f"c{n}", 10) for n in range(9)), ("c9", 5), ("c10", 5))}, "between 1 and 10"),
        ({"criteria": _weights(("長" * 101, 100))}, "at most 100 characters"),
        ({"opensAt": later(5), "closesAt": later(4)}, "close after it opens"),
        ({"closesAt": later(-1), "opensAt": later(-3)}, "close in the future"),
        ({"closesAt": later(400)}, "at most 366 days"),
        ({"closesAt": "2099-01-01T10:00:00"}, "time zone"),
        ({"year": FromToday(years=-2)}, "this year or last"),
        ({"year": FromToday(years=1)}, "this year or last"),
    ],
)  # fmt: skip
async def test_bad_evaluations_are_refused_and_audited(
    api: Api, fields: dict[str, Any], message: str
) -> None:
    await refused(
        api,
        "openEvaluation",
        await open_input(api, **resolved(fields)),
        "secretary",
        "BAD_USER_INPUT",
        message,
    )


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        (FIRM_B, "must serve this compound under a contract in force"),
        (COMMITTEE_B, "must be this compound's own"),
        (BRANCH_A, "property firm serving the compound or the compound's owners' committee"),
    ],
)
async def test_only_the_compounds_firm_or_owners_committee_is_evaluated(
    api: Api, subject: str, message: str
) -> None:
    input = await open_input(api, subject=await org_id(api, subject))
    await refused(api, "openEvaluation", input, "secretary", "BAD_USER_INPUT", message)


async def test_a_firm_whose_contract_ended_is_not_evaluated(api: Api) -> None:
    old_firm = await org_id(api, "宏遠物業服務有限公司")
    input = {**await open_input(api, subject=old_firm), "compound": api.ids["compound_b"]}
    await refused(api, "openEvaluation", input, "admin", "BAD_USER_INPUT", "in force today")


async def test_an_evaluation_is_held_by_a_compound(api: Api) -> None:
    input = {**await open_input(api), "compound": await org(api, COMMITTEE_B)}
    await refused(api, "openEvaluation", input, "admin", "BAD_USER_INPUT", "held by a compound")


@pytest.mark.parametrize("years_ago", [0, 1])
async def test_one_evaluation_per_compound_subject_and_year(api: Api, years_ago: int) -> None:
    year = clock.today().year - years_ago
    # The demo holds 安居物業's evaluations of both years in 繼光花苑.
    input = await open_input(api, subject=await org_id(api, FIRM_A), year=year)
    await refused(
        api, "openEvaluation", input, "secretary", "CONFLICT", "already has an evaluation"
    )


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("resident_b", "NOT_FOUND"),  # compound A is not theirs to see
    ],
)
async def test_only_the_branch_opens_evaluations(api: Api, who: str, code: str) -> None:
    input = await open_input(api, subject=await committee_a(api))
    await refused(api, "openEvaluation", input, who, code)


# --- scoring ---------------------------------------------------------------------------


async def test_a_resident_scores_once_and_sees_only_their_own_score(api: Api) -> None:
    evaluation = await demo_evaluation(api)
    before = evaluation["scorerCount"]
    seq = await last_seq(api)
    result = await submit(api, evaluation, [5, 4, 3, 4], as_="resident", comment="保潔很用心")
    scored = result.ok()["submitEvaluationScore"]
    assert scored["scorerCount"] == before + 1
    assert scored["result"] is None  # open: no means yet
    mine = scored["myScore"]
    assert mine["comment"] == "保潔很用心"
    assert [(s["criterion"]["name"], s["stars"]) for s in mine["scores"]] == [
        ("服務態度", 5),
        ("環境衛生", 4),
        ("秩序維護", 3),
        ("設施維修", 4),
    ]
    # Nobody else reads it: not the secretary, the supervisor or the firm.
    for who in ("secretary", "supervisor", "property_firm", "committee_member"):
        seen = await read(api, evaluation["id"], who)
        assert seen is not None
        assert seen["myScore"] is None, who
        assert seen["scorerCount"] == before + 1
    # The audit log says who took part, never what they gave.
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == (
        "submitEvaluationScore",
        "SUCCESS",
        "resident",
    )
    assert entry.input == {
        "evaluation_id": decode_id(evaluation["id"], "Evaluation"),
        "scores": "[redacted]",
        "comment": "[redacted]",
    }
    assert "保潔" not in str(entry.changes)
    assert {c["field"] for c in entry.changes} == {"submitted_at", "criteria_scored"}

    # A second submission is refused and the first stays as it was.
    await refused(
        api,
        "submitEvaluationScore",
        {"evaluation": evaluation["id"], "scores": scores(evaluation, [1, 1, 1, 1])},
        "resident",
        "CONFLICT",
        "already scored",
    )
    again = await read(api, evaluation["id"], "resident")
    assert again is not None
    assert again["myScore"] == mine


async def test_criteria_and_a_score_s_criteria_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    evaluation = await demo_evaluation(api)
    mine = (await submit(api, evaluation, [5, 4, 3, 4], as_="resident")).ok()
    whole_model_reads.clear()
    seen = await read(api, evaluation["id"], "resident")
    assert seen is not None
    assert seen["criteria"] == evaluation["criteria"]
    assert seen["myScore"] == mine["submitEvaluationScore"]["myScore"]
    assert whole_model_reads == []


async def test_the_branch_and_committee_members_score_too(api: Api) -> None:
    evaluation = await demo_evaluation(api)
    for who in ("secretary", "committee_member"):
        mine = (await submit(api, evaluation, [4, 4, 4, 4], as_=who)).ok()
        assert mine["submitEvaluationScore"]["myScore"]["scores"][0]["stars"] == 4


def _bad_scores(evaluation: dict[str, Any], case: str) -> list[dict[str, Any]]:
    good = scores(evaluation, [5, 4, 3, 2])
    match case:
        case "zero":
            return [{**good[0], "stars": 0}, *good[1:]]
        case "six":
            return [*good[:3], {**good[3], "stars": 6}]
        case "missing":
            return good[:3]
        case "twice":
            return [*good[:3], good[0]]
        case "foreign":
            return [*good[:3], {"criterion": gid("EvaluationCriterion", 999999), "stars": 3}]
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("zero", "whole numbers from 1 to 5"),
        ("six", "whole numbers from 1 to 5"),
        ("missing", "every criterion exactly once"),
        ("twice", "every criterion exactly once"),
        ("foreign", "only the criteria of this evaluation"),
    ],
)
async def test_bad_scores_are_refused(api: Api, case: str, message: str) -> None:
    evaluation = await demo_evaluation(api)
    input = {"evaluation": evaluation["id"], "scores": _bad_scores(evaluation, case)}
    await refused(api, "submitEvaluationScore", input, "resident", "BAD_USER_INPUT", message)


async def test_a_too_long_comment_is_refused(api: Api) -> None:
    evaluation = await demo_evaluation(api)
    input = {
        "evaluation": evaluation["id"],
        "scores": scores(evaluation, [5, 5, 5, 5]),
        "comment": "長" * 2001,
    }
    await refused(api, "submitEvaluationScore", input, "resident", "BAD_USER_INPUT", "2000")


async def test_scores_are_taken_only_inside_the_window(api: Api) -> None:
    early = await ok(
        api,
        "openEvaluation",
        await open_input(api, opensAt=later(1), closesAt=later(5)),
        as_="secretary",
    )
    input = {"evaluation": early["id"], "scores": scores(early, [3, 3, 3])}
    await refused(api, "submitEvaluationScore", input, "resident", "BAD_USER_INPUT", "opens at")

    # A window that has passed without the branch closing it.
    passed = await open_new(api)
    async with api.db.write() as session:
        row = await session.get(Evaluation, decode_id(passed["id"], "Evaluation"))
        assert row is not None
        row.opens_at = clock.now() - timedelta(days=9)
        row.closes_at = clock.now() - timedelta(days=1)
    input = {"evaluation": passed["id"], "scores": scores(passed, [3, 3, 3])}
    await refused(api, "submitEvaluationScore", input, "resident", "BAD_USER_INPUT", "closed at")
    assert (await read(api, passed["id"], "resident") or {})["acceptingScores"] is False

    closed = await demo_evaluation(api, status="CLOSED")
    input = {"evaluation": closed["id"], "scores": scores(closed, [3, 3, 3, 3])}
    await refused(
        api, "submitEvaluationScore", input, "committee_member", "BAD_USER_INPUT", "closed"
    )


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("property_firm", "FORBIDDEN"),  # reads it, scores nothing
        ("supervisor", "FORBIDDEN"),
        ("admin", "FORBIDDEN"),  # admins do not vote
        ("resident_b", "NOT_FOUND"),  # another compound's evaluation
    ],
)
async def test_only_the_compounds_people_score(api: Api, who: str, code: str) -> None:
    evaluation = await demo_evaluation(api)
    input = {"evaluation": evaluation["id"], "scores": scores(evaluation, [5, 5, 5, 5])}
    await refused(api, "submitEvaluationScore", input, who, code)


async def test_members_of_the_organisation_evaluated_do_not_score_it(api: Api) -> None:
    # The committee member sits on the owners' committee (a cross-appointment).
    opened = await open_new(api, subject=await committee_a(api))
    input = {"evaluation": opened["id"], "scores": scores(opened, [5, 5, 5])}
    await refused(
        api, "submitEvaluationScore", input, "committee_member", "FORBIDDEN", "not by members"
    )
    # Resident a24 lives in 繼光花苑 and is 安居物業's party-building liaison.
    (liaison,) = await resident_tokens(api, "a", [24])
    firm = await demo_evaluation(api)
    input = {"evaluation": firm["id"], "scores": scores(firm, [5, 5, 5, 5])}
    await refused(api, "submitEvaluationScore", input, liaison, "FORBIDDEN", "not by members")
    # The resident, who holds no position there, may.
    (await submit(api, opened, [4, 4, 4], as_="resident")).ok()


# --- closing and the result ------------------------------------------------------------


async def test_the_result_is_the_exact_weighted_mean(api: Api) -> None:
    """3 criteria weighted 50/30/20 and three scorers, checked by hand:
    服務態度 5,4,3 → 4.00; 環境衛生 4,4,5 → 13/3 = 4.33; 設施維修 3,5,4 → 4.00;
    overall (50×12 + 30×13 + 20×12) / (100×3) = 1230/300 = 4.10;
    30 residents eligible (nobody works for the new firm) → participation 3/30."""
    opened = await open_new(api)
    for who, stars in (
        ("resident", [5, 4, 3]),
        ("secretary", [4, 4, 5]),
        ("committee_member", [3, 5, 4]),
    ):
        (await submit(api, opened, stars, as_=who)).ok()
    seq = await last_seq(api)
    closed = await close(api, opened)
    assert (closed["status"], closed["acceptingScores"], closed["version"]) == ("CLOSED", False, 2)
    assert closed["closedAt"] is not None
    assert closed["result"] == {
        "overallStars": 4.1,
        "scorerCount": 3,
        "eligibleCount": 30,
        "participationRate": 0.1,
        "criteria": [
            {
                "criterion": {"name": "服務態度", "weight": 50},
                "scoreCount": 3,
                "meanStars": 4.0,
                "weightedStars": 2.0,
            },
            {
                "criterion": {"name": "環境衛生", "weight": 30},
                "scoreCount": 3,
                "meanStars": 4.33,
                "weightedStars": 1.3,
            },
            {
                "criterion": {"name": "設施維修", "weight": 20},
                "scoreCount": 3,
                "meanStars": 4.0,
                "weightedStars": 0.8,
            },
        ],
    }
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == (
        "closeEvaluation",
        "SUCCESS",
        "secretary",
    )
    assert {"field": "status", "before": "OPEN", "after": "CLOSED"} in entry.changes
    assert {"field": "weighted_star_sum", "before": None, "after": 1230} in entry.changes
    # Everyone who may read it sees the same result; the resident still sees their own score.
    for who in ("resident", "supervisor", "property_firm"):
        seen = await read(api, opened["id"], who)
        assert seen is not None
        assert seen["result"] == closed["result"], who
    mine = await read(api, opened["id"], "resident")
    assert mine is not None
    assert [s["stars"] for s in mine["myScore"]["scores"]] == [5, 4, 3]


async def test_more_scorers_and_uneven_means(api: Api) -> None:
    """Five scorers on 70/30: 甲 5,5,4,2,1 → 17/5 = 3.4; 乙 3,4,4,5,2 → 18/5 = 3.6;
    overall (70×17 + 30×18) / 500 = 1730/500 = 3.46; participation 5/30 = 0.1667."""
    opened = await open_new(api, criteria=_weights(("甲", 70), ("乙", 30)))
    others = await resident_tokens(api, "a", [10, 11, 13])
    voters = ["resident", "secretary", *others]
    for who, stars in zip(voters, ([5, 3], [5, 4], [4, 4], [2, 5], [1, 2]), strict=True):
        (await submit(api, opened, stars, as_=who)).ok()
    result = (await close(api, opened, as_="admin"))["result"]
    assert (result["overallStars"], result["participationRate"]) == (3.46, 0.1667)
    assert [(c["meanStars"], c["weightedStars"]) for c in result["criteria"]] == [
        (3.4, 2.38),
        (3.6, 1.08),
    ]


async def test_with_fewer_than_three_scorers_the_means_are_withheld(api: Api) -> None:
    opened = await open_new(api)
    for who in ("resident", "secretary"):
        (await submit(api, opened, [5, 1, 3], as_=who)).ok()
    result = (await close(api, opened))["result"]
    assert (result["overallStars"], result["scorerCount"], result["eligibleCount"]) == (None, 2, 30)
    assert {(c["meanStars"], c["weightedStars"], c["scoreCount"]) for c in result["criteria"]} == {
        (None, None, 2)
    }
    # Nobody scored at all: a result of zeros, participation 0.
    empty = await close(api, await open_new(api, subject=await committee_a(api)))
    assert (empty["result"]["scorerCount"], empty["result"]["participationRate"]) == (0, 0.0)


async def test_the_demo_results_match_their_scores(api: Api) -> None:
    """The demo froze its results with the close mutation's SQL: recompute them by hand."""
    evaluation_id = await demo_evaluation_id(api, status="CLOSED")
    async with api.db.read_sessions() as session:
        rows = (
            await session.execute(
                sa.select(EvaluationCriterion.weight, EvaluationScore.stars)
                .join(EvaluationCriterion, EvaluationCriterion.id == EvaluationScore.criterion_id)
                .where(EvaluationCriterion.evaluation_id == evaluation_id)
            )
        ).all()
        scorers = await session.scalar(
            sa.select(sa.func.count()).where(EvaluationSubmission.evaluation_id == evaluation_id)
        )
    assert scorers
    expected = round(sum(w * s for w, s in rows) / (100 * scorers), 2)
    seen = await read(api, gid("Evaluation", evaluation_id), "resident")
    assert seen is not None
    assert seen["result"]["overallStars"] == expected
    assert seen["result"]["scorerCount"] == scorers
    # 30 residents, less 安居物業's liaison who lives there.
    assert seen["result"]["eligibleCount"] == 29
    # The demo resident took part last year, so their own score shows.
    assert seen["myScore"] is not None


async def test_closing_twice_is_a_conflict_and_scores_stop(api: Api) -> None:
    opened = await open_new(api)
    await close(api, opened)
    input = {"evaluation": opened["id"]}
    await refused(api, "closeEvaluation", input, "secretary", "CONFLICT", "already closed")
    score = {"evaluation": opened["id"], "scores": scores(opened, [5, 5, 5])}
    await refused(api, "submitEvaluationScore", score, "resident", "BAD_USER_INPUT", "closed")


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("resident_b", "NOT_FOUND"),
    ],
)
async def test_only_the_branch_closes(api: Api, who: str, code: str) -> None:
    evaluation = await demo_evaluation(api)
    await refused(api, "closeEvaluation", {"evaluation": evaluation["id"]}, who, code)
    still = await read(api, evaluation["id"], "secretary")
    assert still is not None
    assert (still["status"], still["result"]) == ("OPEN", None)


# --- reading ---------------------------------------------------------------------------

LIST = """
query ($f: EvaluationFilter, $first: Int, $after: String) {
  evaluations(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id year status subjectName } } } }
"""


async def _list(api: Api, filter: dict[str, Any] | None, as_: str) -> dict[str, Any]:
    data: dict[str, Any] = (await api.run(LIST, {"f": filter, "first": 50}, as_=as_)).ok()
    return data["evaluations"]


async def test_filters_and_order(api: Api) -> None:
    everything = await _list(api, None, "supervisor")
    assert everything["totalCount"] == 6
    years = [e["node"]["year"] for e in everything["edges"]]
    assert years == sorted(years, reverse=True)
    assert (await _list(api, {"status": "CLOSED"}, "supervisor"))["totalCount"] == 4
    assert (await _list(api, {"status": "OPEN"}, "supervisor"))["totalCount"] == 2
    assert (await _list(api, {"year": clock.today().year}, "supervisor"))["totalCount"] == 2
    assert (await _list(api, {"year": 2023}, "supervisor"))["edges"][0]["node"]["subjectName"] == (
        "宏遠物業服務有限公司"
    )
    firm_a = await _list(api, {"subject": await org(api, FIRM_A)}, "supervisor")
    assert {e["node"]["subjectName"] for e in firm_a["edges"]} == {"安居物業服務有限公司"}
    assert firm_a["totalCount"] == 2
    in_b = await _list(api, {"compound": api.ids["compound_b"], "status": "CLOSED"}, "supervisor")
    assert in_b["totalCount"] == 2
    # Keyset pages walk every evaluation once.
    seen: list[str] = []
    after = None
    while True:
        page = (await api.run(LIST, {"first": 4, "after": after}, as_="admin")).ok()["evaluations"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 6


@pytest.mark.parametrize(
    ("who", "count"),
    [
        ("resident", 3),
        ("committee_member", 3),
        ("secretary", 3),
        ("property_firm", 3),  # in the compound it serves
        ("resident_b", 3),
        ("supervisor", 6),
        ("admin", 6),
    ],
)
async def test_who_reads_which_evaluations(api: Api, who: str, count: int) -> None:
    assert (await _list(api, None, who))["totalCount"] == count


async def test_compound_b_sees_and_scores_nothing_of_a(api: Api) -> None:
    async with api.db.read_sessions() as session:
        a_ids = (
            (
                await session.execute(
                    sa.select(Evaluation.id).where(Evaluation.compound_id == api.compound("a"))
                )
            )
            .scalars()
            .all()
        )
        criteria = (
            (
                await session.execute(
                    sa.select(EvaluationCriterion.id).where(
                        EvaluationCriterion.evaluation_id.in_(a_ids)
                    )
                )
            )
            .scalars()
            .all()
        )
    gids = [gid("Evaluation", i) for i in a_ids]
    listed = await _list(api, {"compound": api.ids["compound_a"]}, "resident_b")
    assert listed["totalCount"] == 0
    seen = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": gids + [gid("EvaluationCriterion", i) for i in criteria]},
        as_="resident_b",
    )
    assert set(seen.ok()["nodes"]) == {None}
    # And the other way round.
    b_listed = await _list(api, {"compound": api.ids["compound_b"]}, "resident")
    assert b_listed["totalCount"] == 0


async def test_a_criterion_is_a_node_readable_with_its_evaluation(api: Api) -> None:
    evaluation = await demo_evaluation(api)
    criterion = evaluation["criteria"][0]
    query = "query ($id: ID!) { node(id: $id) { ... on EvaluationCriterion { name weight evaluation { id } } } }"
    node = (await api.run(query, {"id": criterion["id"]}, as_="resident")).ok()["node"]
    assert node == {
        "name": criterion["name"],
        "weight": criterion["weight"],
        "evaluation": {"id": evaluation["id"]},
    }


async def test_lists_cost_the_same_statements_for_one_or_many(api: Api, statements: Any) -> None:
    query = f"query ($first: Int) {{ evaluations(first: $first) {{ edges {{ node {{ {EVALUATION} }} }} }} }}"

    async def count(first: int) -> int:
        statements.reset()
        (await api.run(query, {"first": first}, as_="supervisor")).ok()
        return int(statements.count)

    await api.sign_in("supervisor")
    assert await count(1) == await count(6)


def test_the_scoring_titles_are_the_branch_and_committee_roles() -> None:
    assert {t for t, role in TITLE_ROLES.items() if role in (SECRETARY, COMMITTEE_MEMBER)} == set(
        SCORING_TITLES
    )


async def test_person_ids_of_demo_tokens_are_known(api: Api) -> None:
    # The demo's scorers of this year exclude the token holders, who can still score.
    evaluation_id = await demo_evaluation_id(api)
    async with api.db.read_sessions() as session:
        scorers = set(
            (
                await session.execute(
                    sa.select(EvaluationSubmission.person_id).where(
                        EvaluationSubmission.evaluation_id == evaluation_id
                    )
                )
            ).scalars()
        )
    for role in ("resident", "secretary", "committee_member"):
        assert await person_id(api, role) not in scorers


async def test_a_refused_submission_leaves_no_stars_in_the_audit_log(api: Api) -> None:
    evaluation = await demo_evaluation(api)
    bad_id = [*scores(evaluation, [5, 4, 3, 2])[:3], {"criterion": "not-an-id", "stars": 2}]
    for input in (
        {"evaluation": evaluation["id"], "scores": bad_id, "comment": "秘密"},
        {"evaluation": evaluation["id"], "scores": scores(evaluation, [5, 4, 3, 9])},
    ):
        seq = await last_seq(api)
        result = await run(api, "submitEvaluationScore", input, as_="resident")
        assert result.codes == ["BAD_USER_INPUT"]
        (entry,) = await entries_since(api, seq)
        assert entry.outcome == "REJECTED"
        assert entry.input["scores"] == "[redacted]"
        assert "秘密" not in str(entry.input) and "9" not in str(entry.input["scores"])
