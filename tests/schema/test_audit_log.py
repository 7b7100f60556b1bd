"""The audit log over GraphQL: what supervisors review, scoped to who may read it."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from db.models import Organisation, Person
from db.types import utcnow
from tests.helpers import Api, StatementCounter, gid

LOG = """
query ($f: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $f, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id sequence operation resourceType resourceId outcome errorCode role requestId
      clientAddress input hash prevHash occurredAt token
      changes { field before after }
      actor { id name } domain { id } organisation { id kind }
      resource { id ... on Position { title } }
    } }
  }
}
"""
APPOINT = """
mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }
"""


async def _committee(api: Api, compound: str = "a") -> str:
    org_id = await api.scalar(
        sa.select(Organisation.id).where(
            Organisation.kind == "OWNERS_COMMITTEE",
            Organisation.compound_id == api.compound(compound),
        )
    )
    return gid("Organisation", org_id)


async def _resident(api: Api, offset: int, compound: str = "a") -> str:
    person_id = await api.scalar(
        sa.select(Person.id)
        .where(Person.residence_compound_id == api.compound(compound))
        .order_by(Person.id)
        .offset(offset)
        .limit(1)
    )
    return gid("Person", person_id)


async def _appoint(api: Api, offset: int = 20) -> str:
    variables = {
        "i": {
            "person": await _resident(api, offset),
            "organisation": await _committee(api),
            "title": "COMMITTEE_MEMBER",
        }
    }
    return str((await api.run(APPOINT, variables, as_="secretary")).ok()["appointPosition"]["id"])


def _nodes(result_data: dict[str, object]) -> list[dict[str, object]]:
    return [e["node"] for e in result_data["auditLog"]["edges"]]  # type: ignore[index]


async def test_supervisor_sees_who_changed_what_under_which_grant(api: Api) -> None:
    position = await _appoint(api)
    data = (await api.run(LOG, {"f": {"resource": position}}, as_="supervisor")).ok()
    (entry,) = _nodes(data)
    assert entry["operation"] == "appointPosition"
    assert entry["outcome"] == "SUCCESS"
    assert entry["role"] == "secretary"
    assert entry["domain"] == {"id": api.ids["compound_a"]}
    assert entry["organisation"]["kind"] == "OWNERS_COMMITTEE"  # type: ignore[index]
    assert entry["resourceId"] == position
    assert entry["resource"] == {"id": position, "title": "COMMITTEE_MEMBER"}
    assert entry["actor"]["name"]  # type: ignore[index]
    assert entry["token"] is not None and entry["requestId"].startswith("test-")  # type: ignore[union-attr]
    assert {"field": "title", "before": None, "after": "COMMITTEE_MEMBER"} in entry["changes"]  # type: ignore[operator]
    assert len(entry["hash"]) == 64 and len(entry["prevHash"]) == 64  # type: ignore[arg-type]


async def test_newest_first_and_chained(api: Api) -> None:
    await _appoint(api, 20)
    await _appoint(api, 21)
    data = (await api.run(LOG, {"first": 3}, as_="admin")).ok()
    nodes = _nodes(data)
    assert [n["sequence"] for n in nodes] == sorted((n["sequence"] for n in nodes), reverse=True)
    assert nodes[0]["prevHash"] == nodes[1]["hash"]
    assert data["auditLog"]["totalCount"] >= 3


async def test_keyset_pages_walk_the_log_once(api: Api) -> None:
    await _appoint(api)
    seen: list[int] = []
    after = None
    while True:
        page = (await api.run(LOG, {"first": 7, "after": after}, as_="admin")).ok()["auditLog"]
        seen += [e["node"]["sequence"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(set(seen), reverse=True)
    assert len(seen) == len(await api.audit_entries())


async def test_secretary_reads_the_compound_and_not_the_neighbour(api: Api) -> None:
    await _appoint(api)
    own = (await api.run(LOG, {"f": {"subtree": api.ids["compound_a"]}}, as_="secretary")).ok()
    assert own["auditLog"]["totalCount"] >= 1
    other = (await api.run(LOG, {"f": {"subtree": api.ids["compound_b"]}}, as_="secretary")).ok()
    assert other["auditLog"]["totalCount"] == 0
    everything = (await api.run(LOG, {"first": 100}, as_="secretary")).ok()
    compound_a_path = await api.scalar(
        sa.select(Organisation.path).where(Organisation.id == api.compound("a"))
    )
    sequences = [n["sequence"] for n in _nodes(everything)]
    rows = [e for e in await api.audit_entries() if e.seq in sequences]
    assert rows and all((e.organisation_path or "").startswith(compound_a_path) for e in rows)


async def test_resident_reads_only_their_own_entries(api: Api) -> None:
    await _appoint(api)  # the secretary's entry, not the resident's
    me = (await api.run("{ me { person { id } } }", as_="resident")).ok()["me"]["person"]["id"]
    denied = await api.run(
        APPOINT,
        {"i": {"person": me, "organisation": await _committee(api), "title": "COMMITTEE_CHAIR"}},
        as_="resident",
    )
    assert denied.codes == ["FORBIDDEN"]
    changed = await api.run(
        "mutation ($i: UpdatePersonInput!) { updatePerson(input: $i) { id } }",
        {"i": {"id": me, "phone": "13700000001"}},
        as_="secretary",
    )
    changed.ok()
    data = (await api.run(LOG, {"first": 100}, as_="resident")).ok()
    nodes = _nodes(data)
    assert {n["operation"] for n in nodes} >= {"appointPosition", "updatePerson"}
    for node in nodes:
        mine = node["actor"] is not None and node["actor"]["id"] == me  # type: ignore[index]
        about_me = node["resourceType"] == "person" and node["resourceId"] == me
        assert mine or about_me, node
    outsider = (await api.run(LOG, {"f": {"resource": me}}, as_="resident_b")).ok()
    assert outsider["auditLog"]["totalCount"] == 0


async def test_denials_are_reviewable_and_sensitive_values_stay_redacted(api: Api) -> None:
    person = await _resident(api, 4)
    await api.run(
        "mutation ($i: UpdatePersonInput!) { updatePerson(input: $i) { id } }",
        {"i": {"id": person, "phone": "13911112222", "idNumber": "11010519491231002X"}},
        as_="secretary",
    )
    await api.run(
        "mutation ($i: UpdatePersonInput!) { updatePerson(input: $i) { id } }",
        {"i": {"id": person, "name": "不該改"}},
        as_="committee_member",
    )
    trail = (await api.run(LOG, {"f": {"resource": person}}, as_="supervisor")).ok()
    nodes = _nodes(trail)
    denied = [n for n in nodes if n["outcome"] == "DENIED"]
    assert denied and denied[0]["errorCode"] == "FORBIDDEN" and denied[0]["changes"] == []
    success = next(n for n in nodes if n["outcome"] == "SUCCESS")
    assert success["input"]["phone"] == "[redacted]"  # type: ignore[index]
    phone = next(c for c in success["changes"] if c["field"] == "phone")  # type: ignore[union-attr]
    assert phone == {"field": "phone", "before": "[redacted]", "after": "[redacted]"}
    text = str(trail)
    assert "13911112222" not in text and "11010519491231002X" not in text
    only_denied = (
        await api.run(LOG, {"f": {"resource": person, "outcome": "DENIED"}}, as_="supervisor")
    ).ok()
    assert {n["outcome"] for n in _nodes(only_denied)} == {"DENIED"}


async def test_filters_by_operation_actor_and_time(api: Api) -> None:
    position = await _appoint(api)
    secretary = (await api.run("{ me { person { id } } }", as_="secretary")).ok()["me"]["person"][
        "id"
    ]
    by_operation = (
        await api.run(
            LOG, {"f": {"operation": "appointPosition", "actor": secretary}}, as_="supervisor"
        )
    ).ok()
    assert position in [n["resourceId"] for n in _nodes(by_operation)]
    assert {n["operation"] for n in _nodes(by_operation)} == {"appointPosition"}
    future = (utcnow() + timedelta(hours=1)).isoformat()
    later = (await api.run(LOG, {"f": {"occurredFrom": future}}, as_="supervisor")).ok()
    assert later["auditLog"]["totalCount"] == 0
    wrong = await api.run(LOG, {"f": {"resource": "not-an-id"}}, as_="supervisor")
    assert wrong.codes == ["BAD_USER_INPUT"]


async def test_audit_trail_on_records(api: Api) -> None:
    position = await _appoint(api)
    await api.run(
        "mutation ($i: EndPositionInput!) { endPosition(input: $i) { id } }",
        {"i": {"id": position}},
        as_="secretary",
    )
    query = "query ($id: ID!) { node(id: $id) { ... on Position { auditTrail { edges { node { operation } } } } } }"
    trail = (await api.run(query, {"id": position}, as_="supervisor")).ok()["node"]["auditTrail"][
        "edges"
    ]
    assert [e["node"]["operation"] for e in trail] == ["endPosition", "appointPosition"]
    hidden = (await api.run(query, {"id": position}, as_="resident")).ok()["node"]["auditTrail"][
        "edges"
    ]
    assert hidden == []  # residents see positions, not the secretary's log entries


async def test_entries_fetched_by_id_read_as_columns_and_answer_as_the_log(
    api: Api, whole_model_reads: list[str]
) -> None:
    await _appoint(api)
    listed = _nodes((await api.run(LOG, {"first": 5}, as_="supervisor")).ok())
    node = LOG.split("edges { node {")[1].rsplit("} }", 1)[0]
    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on AuditEntry {" + node + "} } }"
    whole_model_reads.clear()
    ids = [node["id"] for node in listed]
    fetched = (await api.run(query, {"ids": ids}, as_="supervisor")).ok()["nodes"]
    assert fetched == listed
    assert whole_model_reads == []


async def test_statements_do_not_grow_with_the_page(api: Api, statements: StatementCounter) -> None:
    for offset in range(20, 28):
        await _appoint(api, offset)
    # One kind of record, so the page mixes no further resource types (each type is one
    # more batched statement, however many rows it has).
    counts = []
    await api.sign_in("admin")
    for size in (3, 8):
        statements.reset()
        data = (
            await api.run(LOG, {"first": size, "f": {"operation": "appointPosition"}}, as_="admin")
        ).ok()
        assert len(data["auditLog"]["edges"]) == size
        counts.append(statements.count)
    assert counts[0] == counts[1]


async def test_an_entry_names_the_compound_of_its_organisation(api: Api) -> None:
    """The compound column is what a compound's log is read by, in sequence order."""
    await _appoint(api)
    entries = await api.audit_entries()
    last = entries[-1]
    assert last.operation == "appointPosition"
    # Appointed in the owners' committee, which lies in compound A.
    assert last.compound_id == api.compound("a")
    assert last.organisation_id != api.compound("a")
    # Entries about no organisation, or one above the compounds, name none.
    assert all(e.compound_id is None for e in entries if e.organisation_id is None)
