"""Service posts (服務崗位) through GraphQL with real tokens: in-service members report for
service, the secretary publishes posts, reported members claim them up to capacity, and service
days are recorded by the member or the branch. Every refusal changes nothing and is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from graphql import parse

from db import clock
from db.models import Organisation, PostClaim, ServicePost, ServicePostKind, ServiceRegistration
from schema.cost import estimate_cost
from schema.ids import decode_id
from schema.schema import schema
from tests.helpers import Api, FromToday, StatementCounter, gid, resolved
from tests.issue_helpers import entries_since, last_seq, ok, person, person_id
from tests.posts_helpers import as_resident, post_of, refused, resident_id

REGISTRATION = "id active skills availability reportedAt person { id } compound { id }"
POST = """id kind title capacity claimedCount remaining open version
schedule { startsOn endsOn weekdays description } compound { id } publishedBy { id }"""
CLAIM = "id active post { id claimedCount remaining version } person { id }"
FULFILMENT = "servedOn hours note recordedBy { id } claim { id hours days }"
FULL = "環境衛生保潔崗"  # compound A's weekend clean-up: 3 of 3 places taken in the demo
ELDER = "居家養老服務崗"  # compound A, claimed by a0 (the secretary)
MEDIATION = "矛盾糾紛調解崗"  # compound B
PATROL = "治安巡邏崗：夜間巡邏"  # compound A, claimed by a18 and a6


def _post_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "compound": api.ids[f"compound_{compound}"],
        "kind": "SAFETY_PATROL",
        "title": "治安巡邏崗：春節值守",
        "capacity": 2,
        "schedule": {"startsOn": clock.today().isoformat(), "weekdays": ["SUNDAY", "SATURDAY"]},
        **fields,
    }


async def _publish(api: Api, compound: str = "a", as_: str = "secretary", **fields: Any) -> Any:
    return await ok(
        api, "publishServicePost", _post_input(api, compound, **fields), as_=as_, selection=POST
    )


async def _claim(api: Api, post: str, as_: str) -> Any:
    return await ok(api, "claimServicePost", {"post": post}, as_=as_, selection=CLAIM)


# --- reporting for service (在職黨員報到) ------------------------------------------------------


async def test_an_in_service_member_reports_to_the_compound_where_they_live(api: Api) -> None:
    member = await as_resident(api, "a", 24)  # in service, not reported in the demo
    seq = await last_seq(api)
    found = await ok(
        api,
        "reportForService",
        {"skills": [" Electrician", "first aid "], "availability": "周末"},
        as_=member,
        selection=REGISTRATION,
    )
    assert found["active"] is True
    assert found["skills"] == ["electrician", "first aid"]
    assert found["compound"]["id"] == api.ids["compound_a"]
    assert found["person"]["id"] == gid("Person", await resident_id(api, "a", 24))
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == ("reportForService", "SUCCESS", "self")
    assert entry.resource_type == "service_registration"
    assert {"field": "active", "before": None, "after": True} in entry.changes
    # The branch sees it on the person; a neighbour does not.
    query = "query ($id: ID!) { node(id: $id) { ... on Person { serviceRegistration { id } } } }"
    variables = {"id": found["person"]["id"]}
    seen = await api.run(query, variables, as_="secretary")
    assert seen.ok()["node"]["serviceRegistration"]["id"] == found["id"]


async def test_skills_default_to_the_person_record(api: Api) -> None:
    member = await as_resident(api, "b", 24)
    found = await ok(
        api,
        "reportForService",
        {"compound": api.ids["compound_b"]},
        as_=member,
        selection=REGISTRATION,
    )
    async with api.db.read_sessions() as session:
        registration = await session.get(
            ServiceRegistration, decode_id(found["id"], "ServiceRegistration")
        )
    assert registration is not None and registration.compound_id == api.compound("b")
    assert found["skills"] == registration.skills


async def test_reporting_twice_is_a_conflict(api: Api) -> None:
    # The secretary (a0) reported in the demo.
    message = await refused(api, "reportForService", {}, "secretary", "CONFLICT")
    assert "already reported" in message


@pytest.mark.parametrize("who", ["resident", "committee_member", "supervisor"])
async def test_only_in_service_party_members_report(api: Api, who: str) -> None:
    # a1 is no party member, a3 is a retired one, the street officer lives nowhere recorded.
    code = "BAD_USER_INPUT" if who == "supervisor" else "FORBIDDEN"
    await refused(api, "reportForService", {}, who, code)


async def test_members_report_only_where_they_live(api: Api) -> None:
    member = await as_resident(api, "a", 24)
    await refused(api, "reportForService", {"compound": api.ids["compound_b"]}, member, "NOT_FOUND")
    building = await api.scalar(
        sa.select(Organisation.id).where(
            Organisation.kind == "BUILDING", Organisation.compound_id == api.compound("a")
        )
    )
    message = await refused(
        api,
        "reportForService",
        {"compound": gid("Organisation", int(building))},
        member,
        "BAD_USER_INPUT",
    )
    assert "not a compound" in message
    bad = await refused(api, "reportForService", {"skills": ["x" * 41]}, member, "BAD_USER_INPUT")
    assert "40 characters" in bad


# --- publishing posts -----------------------------------------------------------------------


async def test_the_secretary_publishes_a_post(api: Api) -> None:
    post = await _publish(
        api,
        description="大年三十至初三",
        schedule={
            "startsOn": clock.today().isoformat(),
            "endsOn": (clock.today() + timedelta(days=30)).isoformat(),
            "weekdays": ["SUNDAY", "SATURDAY", "SUNDAY"],
            "description": "晚上8點至10點",
        },
    )
    assert (post["kind"], post["capacity"], post["claimedCount"], post["remaining"]) == (
        "SAFETY_PATROL",
        2,
        0,
        2,
    )
    assert post["open"] is True
    assert post["schedule"]["weekdays"] == ["SATURDAY", "SUNDAY"]
    assert post["schedule"]["description"] == "晚上8點至10點"
    assert post["compound"]["id"] == api.ids["compound_a"]
    assert post["publishedBy"]["id"] == await person(api, "secretary")


async def test_b_secretary_publishes_in_b(api: Api) -> None:
    secretary_b = await as_resident(api, "b", 0)
    post = await _publish(api, "b", as_=secretary_b, kind="DISPUTE_MEDIATION")
    assert post["compound"]["id"] == api.ids["compound_b"]


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
async def test_only_the_compound_secretary_publishes(api: Api, who: str, code: str) -> None:
    caller = await as_resident(api, "b", 0) if who == "secretary_b" else who
    await refused(api, "publishServicePost", _post_input(api), caller, code)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"capacity": 0}, "1 to 100"),
        ({"capacity": 101}, "1 to 100"),
        ({"title": "  "}, "title must not be empty"),
        ({"schedule": {"startsOn": "2026-03-01"}}, "weekdays, a description"),
        (
            {
                "schedule": {
                    "startsOn": "2026-03-01",
                    "endsOn": "2026-02-01",
                    "weekdays": ["MONDAY"],
                }
            },
            "must not end before it starts",
        ),
        (
            {
                "schedule": {
                    "startsOn": "2020-03-01",
                    "endsOn": "2020-04-01",
                    "weekdays": ["MONDAY"],
                }
            },
            "it is over",
        ),
    ],
)
async def test_bad_posts_are_refused(api: Api, fields: dict[str, Any], says: str) -> None:
    message = await refused(
        api, "publishServicePost", _post_input(api, **fields), "secretary", "BAD_USER_INPUT"
    )
    assert says in message


# --- claiming ----------------------------------------------------------------------------------


async def test_a_reported_member_claims_a_place(api: Api) -> None:
    post = await _publish(api)
    member = await as_resident(api, "a", 6)  # the deputy secretary, reported in the demo
    seq = await last_seq(api)
    claim = await _claim(api, post["id"], member)
    assert claim["active"] is True
    assert claim["person"]["id"] == gid("Person", await resident_id(api, "a", 6))
    assert (claim["post"]["claimedCount"], claim["post"]["remaining"]) == (1, 1)
    assert claim["post"]["version"] == post["version"] + 1
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.resource_type, entry.role) == (
        "claimServicePost",
        "post_claim",
        "resident",
    )
    assert {"field": "claimed_count", "before": 0, "after": 1} in entry.changes
    # The same member again: one place each.
    message = await refused(api, "claimServicePost", {"post": post["id"]}, member, "CONFLICT")
    assert "already hold" in message


async def test_a_full_post_refuses_the_next_claim(api: Api) -> None:
    full = await post_of(api, FULL)
    assert full.claimed_count == full.capacity == 3
    member = await as_resident(api, "a", 18)  # reported, not on this post
    message = await refused(
        api, "claimServicePost", {"post": gid("ServicePost", full.id or 0)}, member, "CONFLICT"
    )
    assert "full" in message


async def test_capacity_is_reached_one_claim_at_a_time(api: Api) -> None:
    post = await _publish(api, capacity=2)
    first, second, third = [await as_resident(api, "a", n) for n in (6, 12, 18)]
    await _claim(api, post["id"], first)
    last = await _claim(api, post["id"], second)
    assert (last["post"]["remaining"], last["post"]["claimedCount"]) == (0, 2)
    await refused(api, "claimServicePost", {"post": post["id"]}, third, "CONFLICT")
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on ServicePost { open claims { id } } } }",
        {"id": post["id"]},
        as_="secretary",
    )
    node = result.ok()["node"]
    assert node["open"] is False and len(node["claims"]) == 2


async def test_only_reported_members_claim(api: Api) -> None:
    post = await _publish(api)
    # A resident who is no party member, and an in-service member who has not reported yet.
    await refused(api, "claimServicePost", {"post": post["id"]}, "resident", "FORBIDDEN")
    member = await as_resident(api, "a", 24)
    message = await refused(api, "claimServicePost", {"post": post["id"]}, member, "FORBIDDEN")
    assert "report for service first" in message
    await ok(api, "reportForService", {}, as_=member, selection="id")
    claim = await _claim(api, post["id"], member)
    assert claim["post"]["claimedCount"] == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("supervisor", "FORBIDDEN"),  # reads posts, claims none
        ("property_firm", "NOT_FOUND"),  # posts are not the firm's to see
        ("resident_b", "NOT_FOUND"),
        ("member_b", "NOT_FOUND"),  # a reported member of B, on A's post
    ],
)
async def test_others_cannot_claim(api: Api, who: str, code: str) -> None:
    post = await _publish(api)
    caller = await as_resident(api, "b", 6) if who == "member_b" else who
    await refused(api, "claimServicePost", {"post": post["id"]}, caller, code)


async def test_an_ended_post_cannot_be_claimed(api: Api) -> None:
    async with api.db.write() as session:
        ended = ServicePost(
            compound_id=api.compound("a"),
            kind=ServicePostKind.SANITATION,
            title="去年的清潔崗",
            capacity=3,
            starts_on=clock.today() - timedelta(days=60),
            ends_on=clock.today() - timedelta(days=1),
            schedule_note="已結束",
        )
        session.add(ended)
        await session.flush()
        ended_id = gid("ServicePost", ended.id or 0)
    member = await as_resident(api, "a", 6)
    message = await refused(api, "claimServicePost", {"post": ended_id}, member, "BAD_USER_INPUT")
    assert "ended" in message


# --- recording service ------------------------------------------------------------------------


async def test_a_member_records_their_own_service(api: Api) -> None:
    post = await _publish(api)
    member = await as_resident(api, "a", 18)
    claim = await _claim(api, post["id"], member)
    seq = await last_seq(api)
    record = await ok(
        api,
        "recordPostFulfilment",
        {"claim": claim["id"], "date": clock.today().isoformat(), "hours": 2.5, "note": "巡查東門"},
        as_=member,
        selection=FULFILMENT,
    )
    assert (record["hours"], record["note"], record["servedOn"]) == (
        2.5,
        "巡查東門",
        clock.today().isoformat(),
    )
    assert record["recordedBy"]["id"] == gid("Person", await resident_id(api, "a", 18))
    assert (record["claim"]["hours"], record["claim"]["days"]) == (2.5, 1)
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.role, entry.resource_type) == (
        "recordPostFulfilment",
        "self",
        "post_claim",
    )
    assert {"field": "minutes", "before": None, "after": 150} in entry.changes
    # The same day twice is a correction, not more service.
    again = {"claim": claim["id"], "date": clock.today().isoformat(), "hours": 1}
    await refused(api, "recordPostFulfilment", again, member, "CONFLICT")


@pytest.mark.parametrize("who", ["secretary", "committee_member"])
async def test_the_branch_records_for_a_member_by_post_and_person(api: Api, who: str) -> None:
    full = await post_of(api, FULL)
    member = gid("Person", await resident_id(api, "a", 12))
    record = await ok(
        api,
        "recordPostFulfilment",
        {
            "post": gid("ServicePost", full.id or 0),
            "person": member,
            "date": (clock.today() - timedelta(days=1)).isoformat(),
            "hours": 1.5,
        },
        as_=who,
        selection=FULFILMENT,
    )
    assert record["recordedBy"]["id"] == await person(api, who)
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on ServicePost { fulfilmentHours fulfilmentDays claims { person { id } fulfilments(latest: 1) { servedOn hours } } } } }",
        {"id": gid("ServicePost", full.id or 0)},
        as_="secretary",
    )
    node = result.ok()["node"]
    mine = next(c for c in node["claims"] if c["person"]["id"] == member)
    assert mine["fulfilments"] == [
        {"servedOn": (clock.today() - timedelta(days=1)).isoformat(), "hours": 1.5}
    ]


async def _elder_claim(api: Api) -> str:
    """The secretary's (a0's) claim on compound A's elder-care post."""
    elder = await post_of(api, ELDER)
    claim_id = await api.scalar(sa.select(PostClaim.id).where(PostClaim.post_id == elder.id))
    return gid("PostClaim", int(claim_id))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("supervisor", "FORBIDDEN"),  # reads claims, records nothing
        ("resident", "NOT_FOUND"),  # someone else's claim is not theirs to see
        ("property_firm", "NOT_FOUND"),
        ("member_a18", "NOT_FOUND"),  # another reported member
        ("secretary_b", "NOT_FOUND"),
    ],
)
async def test_others_cannot_record_service(api: Api, who: str, code: str) -> None:
    callers = {"member_a18": ("a", 18), "secretary_b": ("b", 0)}
    caller = await as_resident(api, *callers[who]) if who in callers else who
    input = {"claim": await _elder_claim(api), "date": clock.today().isoformat(), "hours": 1}
    await refused(api, "recordPostFulfilment", input, caller, code)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"date": FromToday(days=1)}, "in the future"),
        ({"date": "2020-01-01"}, "outside"),
        ({"hours": 0}, "more than 0"),
        ({"hours": 24.5}, "at most 24"),
        ({"post": "SERVICE_POST"}, "not both"),
        ({"claim": None, "post": "SERVICE_POST"}, "both the post and the person"),
    ],
)
async def test_bad_service_records_are_refused(api: Api, change: dict[str, Any], says: str) -> None:
    change = resolved(change)
    elder = gid("ServicePost", (await post_of(api, ELDER)).id or 0)
    input = {
        "claim": await _elder_claim(api),
        "date": clock.today().isoformat(),
        "hours": 2,
        **change,
    }
    input = {k: (elder if v == "SERVICE_POST" else v) for k, v in input.items() if v is not None}
    message = await refused(api, "recordPostFulfilment", input, "secretary", "BAD_USER_INPUT")
    assert says in message


async def test_service_before_the_claim_is_refused(api: Api) -> None:
    post = await _publish(
        api,
        schedule={
            "startsOn": (clock.today() - timedelta(days=10)).isoformat(),
            "weekdays": ["MONDAY"],
        },
    )
    member = await as_resident(api, "a", 6)
    claim = await _claim(api, post["id"], member)
    input = {
        "claim": claim["id"],
        "date": (clock.today() - timedelta(days=5)).isoformat(),
        "hours": 1,
    }
    message = await refused(api, "recordPostFulfilment", input, member, "BAD_USER_INPUT")
    assert "was claimed on" in message


# --- reading ---------------------------------------------------------------------------------

LIST = """query ($f: ServicePostFilter) { servicePosts(filter: $f, first: 100) {
  totalCount edges { node { id kind open claimedCount capacity compound { id } } } } }"""


async def _posts(api: Api, as_: str, **filter: Any) -> list[dict[str, Any]]:
    data = (await api.run(LIST, {"f": filter}, as_=as_)).ok()["servicePosts"]
    nodes = [edge["node"] for edge in data["edges"]]
    assert data["totalCount"] == len(nodes)
    return nodes


async def test_filters_by_compound_kind_and_openness(api: Api) -> None:
    a = await _posts(api, "supervisor", compound=api.ids["compound_a"])
    assert a and {p["compound"]["id"] for p in a} == {api.ids["compound_a"]}
    stored = await api.scalar(
        sa.select(sa.func.count())
        .select_from(ServicePost)
        .where(ServicePost.compound_id == api.compound("a"))
    )
    assert len(a) == stored
    sanitation = await _posts(api, "supervisor", kind="SANITATION")
    assert sanitation and {p["kind"] for p in sanitation} == {"SANITATION"}
    full = gid("ServicePost", (await post_of(api, FULL)).id or 0)
    open_ = await _posts(api, "supervisor", open=True)
    closed = await _posts(api, "supervisor", open=False)
    assert full in {p["id"] for p in closed} and full not in {p["id"] for p in open_}
    assert all(p["open"] for p in open_) and not any(p["open"] for p in closed)
    assert all(p["claimedCount"] < p["capacity"] for p in open_)
    # Newest first.
    ids = [decode_id(p["id"], "ServicePost") for p in a]
    assert ids == sorted(ids, reverse=True)


async def test_each_compound_sees_only_its_own_posts(api: Api) -> None:
    """Posts are the compound's own business: not public across compounds."""
    a_posts = {p["id"] for p in await _posts(api, "resident")}
    b_posts = {p["id"] for p in await _posts(api, "resident_b")}
    assert a_posts and b_posts and not a_posts & b_posts
    assert {p["compound"]["id"] for p in await _posts(api, "resident")} == {api.ids["compound_a"]}
    assert await _posts(api, "property_firm") == []
    assert await _posts(api, "resident", compound=api.ids["compound_b"]) == []
    b_post = gid("ServicePost", (await post_of(api, MEDIATION)).id or 0)
    hidden = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [b_post]}, as_="resident"
    )
    assert hidden.ok()["nodes"] == [None]
    # Nor through the claims of B's members.
    claim = await api.scalar(
        sa.select(PostClaim.id).where(PostClaim.compound_id == api.compound("b"))
    )
    through = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }",
        {"id": gid("PostClaim", int(claim))},
        as_="secretary",
    )
    assert through.ok()["node"] is None


CLAIMS = """query ($id: ID!) { node(id: $id) { ... on ServicePost {
  claimedCount fulfilmentHours claims { id person { id } hours fulfilments { hours } } } } }"""


async def test_claims_are_read_like_party_membership(api: Api) -> None:
    """A claim tells who is an in-service party member: a neighbour sees how many places are
    taken and the hours served, not by whom; the member sees their own; the branch sees all."""
    full = gid("ServicePost", (await post_of(api, FULL)).id or 0)
    resident = (await api.run(CLAIMS, {"id": full}, as_="resident")).ok()["node"]
    assert resident["claimedCount"] == 3 and resident["fulfilmentHours"] > 0
    assert resident["claims"] == []
    branch = (await api.run(CLAIMS, {"id": full}, as_="secretary")).ok()["node"]
    assert len(branch["claims"]) == 3
    assert all(c["person"] and c["fulfilments"] for c in branch["claims"])
    assert sum(c["hours"] for c in branch["claims"]) == pytest.approx(branch["fulfilmentHours"])
    supervisor = (await api.run(CLAIMS, {"id": full}, as_="supervisor")).ok()["node"]
    assert len(supervisor["claims"]) == 3
    # A plain member (a18 leads a party group: no branch role) sees only their own claim.
    patrol = gid("ServicePost", (await post_of(api, PATROL)).id or 0)
    member = await as_resident(api, "a", 18)
    own = (await api.run(CLAIMS, {"id": patrol}, as_=member)).ok()["node"]
    assert own["claimedCount"] == 2
    assert [c["person"]["id"] for c in own["claims"]] == [
        gid("Person", await resident_id(api, "a", 18))
    ]


PERSON = """query ($id: ID!) { node(id: $id) { ... on Person {
  serviceRegistration { id compound { id } }
  postClaims(first: 10) { totalCount edges { node { id post { title } } } } } } }"""


async def test_person_registration_and_claims(api: Api) -> None:
    member = gid("Person", await resident_id(api, "a", 18))
    branch = (await api.run(PERSON, {"id": member}, as_="secretary")).ok()["node"]
    assert branch["serviceRegistration"]["compound"]["id"] == api.ids["compound_a"]
    stored = await api.scalar(
        sa.select(sa.func.count())
        .select_from(PostClaim)
        .where(PostClaim.person_id == decode_id(member, "Person"))
    )
    assert branch["postClaims"]["totalCount"] == stored >= 1
    # A group leader holds a position, so a resident may see the person, but not their party work.
    resident = (await api.run(PERSON, {"id": member}, as_="resident")).ok()["node"]
    assert resident is not None
    assert resident["serviceRegistration"] is None
    assert resident["postClaims"]["totalCount"] == 0
    own = (await api.run(PERSON, {"id": member}, as_=await as_resident(api, "a", 18))).ok()["node"]
    assert own["serviceRegistration"] is not None and own["postClaims"]["totalCount"] == stored


async def test_registrations_claims_and_fulfilments_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    full = gid("ServicePost", (await post_of(api, FULL)).id or 0)
    claims = (await api.run(CLAIMS, {"id": full}, as_="secretary")).ok()["node"]["claims"]
    assert len(claims) == 3 and all(c["fulfilments"] for c in claims)
    member = gid("Person", await resident_id(api, "a", 18))
    person = (await api.run(PERSON, {"id": member}, as_="secretary")).ok()["node"]
    assert person["serviceRegistration"]["compound"]["id"] == api.ids["compound_a"]
    assert whole_model_reads == []


NESTED = """query ($first: Int!) { servicePosts(first: $first) { edges { node {
  title compound { name } publishedBy { name } fulfilmentHours
  claims { person { name } hours days post { title }
           fulfilments(latest: 3) { hours recordedBy { name } } } } } } }"""


async def test_statements_do_not_grow_with_the_page(api: Api, statements: StatementCounter) -> None:
    counts = []
    await api.sign_in("supervisor")
    for first in (2, 9):
        statements.reset()
        edges = (await api.run(NESTED, {"first": first}, as_="supervisor")).ok()["servicePosts"][
            "edges"
        ]
        assert len(edges) == first
        counts.append(statements.count)
    assert counts[0] == counts[1], statements.sql
    assert counts[1] <= 14, statements.sql


async def test_latest_is_bounded(api: Api) -> None:
    full = gid("ServicePost", (await post_of(api, FULL)).id or 0)
    result = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on ServicePost { claims { fulfilments(latest: 101) { hours } } } } }",
        {"id": full},
        as_="secretary",
    )
    assert "BAD_USER_INPUT" in result.codes


async def test_a_concurrent_double_report_is_refused_by_the_index(api: Api) -> None:
    """The partial unique index is the last word on one active registration per person."""
    secretary = await person_id(api, "secretary")
    with pytest.raises(sa.exc.IntegrityError):
        async with api.db.write() as session:
            session.add(ServiceRegistration(person_id=secretary, compound_id=api.compound("a")))
            await session.flush()


async def test_the_capacity_check_constraint_holds_in_the_database(api: Api) -> None:
    full = await post_of(api, FULL)
    with pytest.raises(sa.exc.IntegrityError):
        async with api.db.write() as session:
            await session.execute(
                sa.update(ServicePost)
                .where(ServicePost.id == full.id)
                .values(claimed_count=ServicePost.capacity + 1)
            )


REGISTRATIONS = """query ($c: ID) { serviceRegistrations(compound: $c, first: 100) {
  totalCount edges { node { id person { id } compound { id } } } } }"""


async def _registrations(api: Api, as_: str, compound: str | None = None) -> set[str]:
    variables = {"c": api.ids[f"compound_{compound}"] if compound else None}
    data = (await api.run(REGISTRATIONS, variables, as_=as_)).ok()["serviceRegistrations"]
    assert data["totalCount"] == len(data["edges"])
    return {edge["node"]["compound"]["id"] + edge["node"]["person"]["id"] for edge in data["edges"]}


async def test_who_lists_whose_registrations(api: Api) -> None:
    a, b = api.ids["compound_a"], api.ids["compound_b"]
    reported = {n: gid("Person", await resident_id(api, "a", n)) for n in (0, 6, 12, 18)}
    assert await _registrations(api, "secretary") == {a + p for p in reported.values()}
    assert await _registrations(api, "committee_member", "a") == {a + p for p in reported.values()}
    assert await _registrations(api, "secretary", "b") == set()
    everyone = await _registrations(api, "supervisor")
    assert len(everyone) == 8 and {a + p for p in reported.values()} < everyone
    assert all(entry.startswith((a, b)) for entry in everyone)
    # A neighbour who is no member sees none; a member sees their own.
    assert await _registrations(api, "resident") == set()
    assert await _registrations(api, "resident_b") == set()
    assert await _registrations(api, await as_resident(api, "a", 18)) == {a + reported[18]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ servicePosts(first: 10) { edges { node { claims { id } } } } }", 10 + 10 * 10),
        (
            "{ servicePosts(first: 10) { edges { node { claims { fulfilments(latest: 50) { hours } } } } } }",
            10 + 100 + 100 * 50,
        ),
        (
            "{ servicePosts(first: 2) { edges { node { claims { fulfilments { hours } } } } } }",
            2 + 20 + 20 * 20,
        ),
        (
            "{ servicePosts(first: 1) { edges { node { claims { fulfilments(latest: 900) { hours } } } } } }",
            1 + 10 + 10 * 100,
        ),
    ],
)
def test_cost_counts_the_latest_records_asked_for(query: str, expected: int) -> None:
    assert estimate_cost(schema._schema, parse(query), None, None) == expected
