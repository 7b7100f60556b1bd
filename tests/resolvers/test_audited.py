"""The audit entry's compound and record name, as a handler hands them over or as they are
looked up: the same content either way, and no statement spent reading them again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import AuditEntry, Issue, IssueEvent, Organisation, OutboxEvent
from db.paths import child_path
from resolvers.audited import AuditRecord, _compound_of, _label_of, run_mutation
from resolvers.common import organisation_path
from resolvers.errors import BadUserInput
from schema.ids import decode_id
from tests.helpers import Api, StatementCounter
from tests.issue_helpers import DISTRICT, entries_since, last_seq, mutate, ok, org, report
from tests.mutation_cases import mutation_document
from tests.schema.test_every_mutation_is_audited import CASES, mutation_fields

COMMENT = "commentOnIssue"


async def _looked_up(session: AsyncSession, entry: AuditEntry) -> tuple[int | None, str | None]:
    """What the entry's lookups give for ENTRY's organisation and record, with nothing known."""
    record = AuditRecord(
        entry.operation,
        entry.resource_type,
        {},
        resource_id=entry.resource_id,
        organisation_id=entry.organisation_id,
    )
    return await _compound_of(session, record), await _label_of(session, record)


async def _issue_place(session: AsyncSession, issue_id: int) -> tuple[int | None, str | None]:
    found = await session.execute(
        sa.select(col(Issue.compound_id), col(Organisation.path))
        .join(Organisation, col(Organisation.id) == col(Issue.compound_id))
        .where(col(Issue.id) == issue_id)
    )
    compound_id, path = found.one()
    return compound_id, path


async def test_a_comments_entry_holds_what_the_lookups_give(api: Api) -> None:
    issue = await report(api)
    seq = await last_seq(api)
    await ok(api, COMMENT, {"id": issue["id"], "body": "已安排"}, as_="secretary", selection="id")
    (entry,) = await entries_since(api, seq)
    assert entry.compound_id is not None and entry.resource_label  # not vacuous
    async with api.db.read_sessions() as session:
        assert (entry.compound_id, entry.resource_label) == await _looked_up(session, entry)
        (event,) = (
            await session.execute(sa.select(OutboxEvent).where(OutboxEvent.audit_seq == entry.seq))
        ).scalars()
        place = await _issue_place(session, decode_id(issue["id"], "Issue"))
        assert (event.compound_id, event.organisation_path) == place


@pytest.mark.parametrize("name", mutation_fields())
async def test_every_mutations_entry_holds_what_the_lookups_give(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    seq = await last_seq(api)
    (await api.run(mutation_document(name), {"input": variables}, as_=case.allowed)).ok()
    entry = (await entries_since(api, seq))[-1]
    async with api.db.read_sessions() as session:
        assert (entry.compound_id, entry.resource_label) == await _looked_up(session, entry)


async def test_a_failed_change_names_its_record_as_committed(api: Api) -> None:
    """A handler that renamed its record and then failed: the change is rolled back, so its
    entry names the record as it stands, not as the handler last held it."""
    issue_id = decode_id((await report(api))["id"], "Issue")
    ctx = await api.context("secretary")
    seq = await last_seq(api)

    async def rename_then_fail(session: AsyncSession, record: AuditRecord) -> None:
        issue = await session.get(Issue, issue_id)
        assert issue is not None
        issue.title = "改過的標題"
        record.target(issue_id, issue.compound_id, "/", compound_id=issue.compound_id)
        record.named(issue)
        assert record.known_label == "改過的標題"
        raise BadUserInput("refused after the rename")

    try:
        with pytest.raises(BadUserInput):
            await run_mutation(
                ctx, operation=COMMENT, resource_type="issue", input={}, handler=rename_then_fail
            )
    finally:
        await ctx.close()
    (entry,) = await entries_since(api, seq)
    assert entry.outcome == "REJECTED"
    assert entry.resource_label != "改過的標題"
    async with api.db.read_sessions() as session:
        assert (entry.compound_id, entry.resource_label) == await _looked_up(session, entry)


async def test_a_name_for_another_row_is_not_taken(api: Api) -> None:
    record = AuditRecord(COMMENT, "issue", {})
    record.target(1, None, None)
    record.named(Issue(id=2, title="另一個"))
    assert record.known_label is None
    record.named(Organisation(id=1, name="不是問題"))
    assert record.known_label is None
    record.named(Issue(id=1, title="這一個"))
    assert record.known_label == "這一個"
    record.target(3, None, None)  # a new target: its name is not known yet
    assert record.known_label is None


async def test_a_comment_reads_neither_its_compound_nor_its_name_again(
    api: Api, statements: StatementCounter
) -> None:
    issue = await report(api)
    await api.sign_in("secretary")
    statements.reset()
    await ok(api, COMMENT, {"id": issue["id"], "body": "x"}, as_="secretary", selection="id")
    sql = [" ".join(statement.split()) for statement in statements.sql]
    assert not [s for s in sql if s.startswith("SELECT organisation.compound_id ")], sql
    assert not [s for s in sql if s.startswith("SELECT issue.id, issue.title ")], sql
    assert not [s for s in sql if "FROM issue JOIN organisation" in s], sql
    # The token; the issue seen and locked in one read (on SQLite, whose write transaction
    # holds the lock from its start, a plain read) with its compound's and assignee's places;
    # the issue and its event; the chain head, the entry, the head again; the outbox event
    # (and the test's savepoint).
    assert not [s for s in sql if s.startswith("SELECT organisation.")], sql
    locking = [s for s in sql if s.startswith("SELECT issue.id, ") and "FOR UPDATE" in s]
    if api.db.dialect_name == "sqlite":
        assert (statements.count, locking) == (10, []), sql
    else:
        assert (statements.count, len(locking)) == (10, 1), sql


async def test_a_compound_moved_to_another_street_is_placed_anew_on_the_next_request(
    api: Api,
) -> None:
    # No place is kept: the issue's is read with the locked issue on every change.
    issue = await report(api)
    comment = {"id": issue["id"], "body": "之前"}
    seen = await mutate(api, COMMENT, comment, as_="supervisor", selection="id")
    assert seen.codes == ["FORBIDDEN"]  # the street's supervisor sees it, may not comment
    street = await ok(
        api,
        "createOrganisation",
        {"name": "新街道", "kind": "STREET", "parent": await org(api, DISTRICT)},
        as_="admin",
        selection="id",
    )
    street_id = decode_id(street["id"], "Organisation")
    compound_id = decode_id(api.ids["compound_a"], "Organisation")
    async with api.db.write() as session:
        old = await organisation_path(session, compound_id)
        new = child_path(await organisation_path(session, street_id), compound_id)
        await session.execute(
            sa.update(Organisation)
            .where(col(Organisation.path).startswith(old))
            .values(path=sa.func.replace(col(Organisation.path), old, new))
        )
        await session.execute(
            sa.update(Organisation)
            .where(col(Organisation.id) == compound_id)
            .values(parent_id=street_id)
        )
    seq = await last_seq(api)
    after = {"id": issue["id"], "body": "之後"}
    refused = await mutate(api, COMMENT, after, as_="supervisor", selection="id")
    assert refused.codes == ["NOT_FOUND"]  # out of the old street's sight at once
    await ok(api, COMMENT, after, as_="secretary", selection="id")
    denied, done = await entries_since(api, seq)
    assert (denied.outcome, done.outcome) == ("DENIED", "SUCCESS")
    assert (done.organisation_id, done.organisation_path) == (compound_id, new)
    bodies = await api.scalar(
        sa.select(sa.func.count()).where(
            col(IssueEvent.issue_id) == decode_id(issue["id"], "Issue"),
            col(IssueEvent.body) == "之後",
        )
    )
    assert bodies == 1  # the secretary's comment only
