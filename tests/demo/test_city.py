"""`jinlin seed city`: a small synthetic city, written in bulk, keeps every rule the API keeps.

The city goes into a database of its own (a SQLite file, or a sibling PostgreSQL database of
the suite's, so the COPY path runs in CI), then is checked against the invariants
(tests/demo/invariants.py, which the demo city keeps too): the tree and every scoping column
agree, the ledger balances, every timeline follows the lifecycle, terms are sane and the audit
chain verifies; and the role tokens see exactly their part of the tree.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col

from app.cli.data import issue_role_tokens
from db import migrate
from db.audit_store import verify_chain
from db.engine import Database, create_engine, is_sqlite, sync_url
from db.models import (
    Issue,
    IssueEvent,
    IssueStatus,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    Position,
)
from demo.city import CitySize, seed_city
from demo.city.seed import DatabaseNotEmpty, SeededCity
from resolvers.cursors import connection_tag, encode_cursor
from resolvers.issues.lifecycle import TRANSITIONS
from tests.conftest import SECRET_KEY
from tests.demo.invariants import all_breaks
from tests.helpers import Api

SIZE = CitySize(compounds=30, people=3_000, issues=4_000, audit_entries=3_000)
S = IssueStatus


def _city_url(tmp: str, suite: str) -> str:
    """A database of the suite's kind for the city: a SQLite file, or SUITE's name + _city."""
    if is_sqlite(suite):
        return f"sqlite:///{tmp}/city.db"
    url = sa.make_url(suite)
    name = f"{url.database}_city"
    admin = sa.create_engine(sync_url(suite), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@dataclass
class City:
    url: str
    seeded: SeededCity
    api: Api


@pytest.fixture(scope="module")
async def city(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> AsyncIterator[City]:
    url = _city_url(str(tmp_path_factory.mktemp("city")), database_url)
    migrate.reset(url)
    migrate.upgrade(url)
    seeded = seed_city(url, SIZE, seed=11, show=False)
    engine = create_engine(url)
    db = Database.from_engine(engine)
    payload = await issue_role_tokens(db, SECRET_KEY, seeded.people, seeded.compounds)
    yield City(url, seeded, Api(db, payload["tokens"], payload["ids"], SECRET_KEY))
    await engine.dispose()


async def _scalar(city: City, statement: Any) -> Any:
    return await city.api.scalar(statement)


async def test_the_city_has_the_size_asked_for_and_a_big_street(city: City) -> None:
    counts = city.seeded.counts
    assert counts["issue"] == SIZE.issues
    assert counts["audit_entry"] == SIZE.audit_entries
    assert counts["person"] <= SIZE.people + SIZE.compounds * 16
    assert counts["issue_event"] >= SIZE.issues
    # The benchmark's street supervisor oversees at least a tenth of the compounds.
    assert city.seeded.supervised_compounds * 10 >= SIZE.compounds
    compounds = await _scalar(
        city,
        sa.select(sa.func.count()).where(Organisation.kind == OrganisationKind.COMPOUND),
    )
    assert compounds == SIZE.compounds


async def test_every_compound_has_its_bodies_and_a_firm_in_service(city: City) -> None:
    for kind in (
        OrganisationKind.PARTY_BRANCH,
        OrganisationKind.OWNERS_COMMITTEE,
        OrganisationKind.SUPERVISORY_BOARD,
    ):
        count = await _scalar(city, sa.select(sa.func.count()).where(Organisation.kind == kind))
        assert count == SIZE.compounds, kind
    served = await _scalar(
        city,
        sa.select(sa.func.count(sa.distinct(OrganisationLink.target_id))).where(
            OrganisationLink.kind == LinkKind.SERVES,
            OrganisationLink.end_date.is_(None),  # type: ignore[union-attr]
        ),
    )
    assert served == SIZE.compounds


async def test_the_audit_chain_verifies(city: City) -> None:
    async with city.api.db.read_sessions() as session:
        checked, broken = await verify_chain(session)
    assert broken is None
    # The bulk-written entries, then one per token issued through the audited path.
    assert checked == SIZE.audit_entries + len(city.api.tokens)


async def test_the_city_keeps_every_rule(city: City) -> None:
    """Scoping columns, the tree, the ledger, timelines, terms and the audit chain."""
    async with city.api.db.read_sessions() as session:
        assert await all_breaks(session) == {}


async def test_every_timeline_follows_the_lifecycle(city: City) -> None:
    allowed = {(source, target) for (_, source), target in TRANSITIONS.items()}
    async with city.api.db.read_sessions() as session:
        moves = (
            await session.execute(
                sa.select(IssueEvent.from_status, IssueEvent.to_status)
                .where(IssueEvent.from_status.is_not(None))  # type: ignore[union-attr]
                .distinct()
            )
        ).all()
        issues = (
            await session.execute(
                sa.select(
                    Issue.id,
                    Issue.status,
                    Issue.claimed_at,
                    Issue.resolved_at,
                    Issue.closed_at,
                    Issue.satisfaction,
                    Issue.duplicate_of_id,
                    Issue.compound_id,
                    Issue.created_at,
                    Issue.updated_at,
                )
            )
        ).all()
        last_status = dict(
            (
                await session.execute(
                    sa.select(IssueEvent.issue_id, IssueEvent.to_status).where(
                        IssueEvent.id.in_(  # type: ignore[union-attr]
                            sa.select(sa.func.max(IssueEvent.id))
                            .where(IssueEvent.to_status.is_not(None))  # type: ignore[union-attr]
                            .group_by(IssueEvent.issue_id)
                        )
                    )
                )
            ).all()
        )
    assert {(S(a), S(b)) for a, b in moves} <= allowed
    by_id = {row.id: row for row in issues}
    seen = set()
    for row in issues:
        seen.add(row.status)
        assert row.updated_at >= row.created_at
        if row.status is not S.REPORTED:
            assert last_status[row.id] == row.status, row.id
        if row.status in (S.CLAIMED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.REOPENED):
            assert row.claimed_at is not None
        assert (row.resolved_at is not None) == (row.status in (S.RESOLVED, S.CLOSED))
        assert (row.closed_at is not None) == (row.status is S.CLOSED)
        assert (row.satisfaction is not None) == (row.status is S.CLOSED)
        if row.status is S.DUPLICATE:
            original = by_id[row.duplicate_of_id]
            assert original.compound_id == row.compound_id
            assert original.id < row.id
    assert seen == set(S)


ISSUES = "{ issues(first: 1) { totalCount } }"


async def _issues_under(city: City, path: str) -> int:
    return int(
        await _scalar(
            city,
            sa.select(sa.func.count())
            .select_from(Issue)
            .join(Organisation, Organisation.id == Issue.compound_id)
            .where(Organisation.path.startswith(path)),  # type: ignore[attr-defined]
        )
    )


async def test_each_role_sees_exactly_its_part_of_the_city(city: City) -> None:
    street = await _scalar(
        city,
        sa.select(Organisation.path)
        .where(Organisation.kind == OrganisationKind.STREET)
        .order_by(Organisation.id)
        .limit(1),
    )
    supervisor = await city.api.run(ISSUES, as_="supervisor")
    assert supervisor.ok()["issues"]["totalCount"] == await _issues_under(city, street)
    # The grid worker: exactly the issues of the compounds in its grid.
    worker = city.seeded.people["grid_worker"]
    grid = await _scalar(
        city,
        sa.select(Organisation.path)
        .join(Position, Position.organisation_id == Organisation.id)  # type: ignore[arg-type]
        .where(Position.person_id == worker, Organisation.kind == OrganisationKind.GRID),
    )
    seen_in_grid = await city.api.run(ISSUES, as_="grid_worker")
    assert seen_in_grid.ok()["issues"]["totalCount"] == await _issues_under(city, grid)
    for role, key in (("resident", "compound_a"), ("resident_b", "compound_b")):
        path = await _scalar(
            city,
            sa.select(Organisation.path).where(Organisation.id == city.seeded.compounds[key]),
        )
        seen = await city.api.run(ISSUES, as_=role)
        assert seen.ok()["issues"]["totalCount"] == await _issues_under(city, path), role


async def test_a_database_with_data_is_refused(city: City) -> None:
    with pytest.raises(DatabaseNotEmpty):
        seed_city(city.url, CitySize(2, 100, 0, 0), show=False)


async def test_a_firm_sees_the_work_assigned_to_it_where_it_serves(city: City) -> None:
    manager = city.seeded.people["property_firm"]
    firm = await _scalar(
        city, sa.select(Position.organisation_id).where(Position.person_id == manager)
    )
    served = sa.select(OrganisationLink.target_id).where(
        OrganisationLink.source_id == firm,
        OrganisationLink.kind == LinkKind.SERVES,
        OrganisationLink.end_date.is_(None),  # type: ignore[union-attr]
    )
    expected = await _scalar(
        city,
        sa.select(sa.func.count())
        .select_from(Issue)
        .where(Issue.assignee_organisation_id == firm, Issue.compound_id.in_(served)),  # type: ignore[union-attr]
    )
    seen = (await city.api.run(ISSUES, as_="property_firm")).ok()["issues"]["totalCount"]
    assert seen == expected > 0


PAGE = """query ($order: IssueOrder!) { issues(first: 20, orderBy: $order) {
  edges { node { id title compound { name } reporter { name } } } } }"""


def _plan_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(found for child in node.get("Plans", ()) for found in _plan_nodes(child))]


# The index a compound-scoped caller's page reads in each order.
COMPOUND_INDEX = {"NEWEST": "ix_issue_compound_created", "STATUS": "ix_issue_compound_status_rank"}
# The index the caller's own reports (a scope branch of their own) are read through.
REPORTER_INDEX = {
    "NEWEST": "ix_issue_reporter",
    "STATUS": "ix_issue_reporter_status_rank",
    "PRIORITY": "ix_issue_reporter_priority",
}


async def _compiled_page_statement(
    city: City, role: str, order: str, page: str = PAGE
) -> tuple[str, Any]:
    """The statement (and its parameters) that answered ROLE's compiled PAGE in ORDER."""
    marker = "json_object(" if is_sqlite(city.url) else "json_build_object"
    compiled: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        if marker in statement:
            compiled.append((statement, params))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", capture)
    try:
        data = (await city.api.run(page, {"order": order}, as_=role)).ok()
        assert next(iter(data.values()))["edges"]
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", capture)
    return compiled[-1]


@pytest.mark.parametrize("order", ["NEWEST", "STATUS"])
@pytest.mark.parametrize("role", ["secretary", "property_firm", "supervisor", "resident"])
async def test_a_compiled_page_walks_an_issue_index_in_order(
    city: City, role: str, order: str
) -> None:
    """Issue 14, item 5: the compiled page statement reads the issues of each caller's
    widest branch through an index in the list's order (a LIMIT right above the scan, no
    sort of the table's rows), and never scans the issue table; in the STATUS order too
    (issue 17, item 4), a compound's caller through that order's compound index."""
    if is_sqlite(city.url):
        pytest.skip("the plan checked is PostgreSQL's (EXPLAIN (FORMAT JSON))")
    async with city.api.db.write_sessions() as session:
        await session.execute(sa.text("ANALYZE issue"))
    statement, params = await _compiled_page_statement(city, role, order)
    async with city.api.db.read_sessions() as session:
        connection = await session.connection()
        plan = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
        root = plan.scalar_one()[0]["Plan"]
    nodes = _plan_nodes(root)
    issue_scans = [n for n in nodes if n.get("Relation Name") == "issue"]
    assert issue_scans and all(n["Node Type"] != "Seq Scan" for n in issue_scans), issue_scans
    ordered = [
        child.get("Index Name")
        for limit in nodes
        if limit["Node Type"] == "Limit"
        for child in limit.get("Plans", ())
        if child["Node Type"] in ("Index Scan", "Index Only Scan")
        and child.get("Relation Name") == "issue"
        and child.get("Index Name") != "issue_pkey"
    ]
    assert ordered, f"no branch walks an issue index in order for {role}"
    if role in ("secretary", "resident"):
        assert COMPOUND_INDEX[order] in ordered, ordered


@pytest.mark.parametrize("order", ["NEWEST", "STATUS"])
@pytest.mark.parametrize("role", ["secretary", "resident"])
async def test_a_compound_page_reads_its_orders_index_on_sqlite(
    city: City, role: str, order: str
) -> None:
    """SQLite serves a compound's page in each order from that order's compound index,
    with no sort of the compound's issues (only the page's own rows are sorted)."""
    if not is_sqlite(city.url):
        pytest.skip("the plan checked is SQLite's (EXPLAIN QUERY PLAN)")
    async with city.api.db.write_sessions() as session:
        await session.execute(sa.text("ANALYZE"))
    statement, params = await _compiled_page_statement(city, role, order)
    async with city.api.db.read_sessions() as session:
        connection = await session.connection()
        plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
        details = [str(step[-1]) for step in plan.all()]
    assert any(COMPOUND_INDEX[order] in detail for detail in details), details
    assert not any(detail.startswith("SCAN issue") and "INDEX" not in detail for detail in details)


POSITIONS_PAGE = """query ($order: PositionOrder!) { positions(first: 20, orderBy: $order) {
  edges { node { id title person { name } } } } }"""


@pytest.mark.parametrize("role", ["secretary", "resident"])
async def test_positions_by_holder_name_read_through_indexes(city: City, role: str) -> None:
    """Issue 17: the PERSON_NAME order finds an organisation branch's positions through
    ix_position_org_* and each holder's name through person's primary key (never a scan of
    person): only the branch's own positions are sorted. PostgreSQL is asked with
    sequential scans discouraged, as the city's few hundred positions fit a page or two."""
    async with city.api.db.write_sessions() as session:
        await session.execute(sa.text("ANALYZE"))
    statement, params = await _compiled_page_statement(city, role, "PERSON_NAME", POSITIONS_PAGE)
    async with city.api.db.read_sessions() as session:
        connection = await session.connection()
        if is_sqlite(city.url):
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            details = [str(step[-1]) for step in plan.all()]
            people = [detail for detail in details if " person " in f"{detail} "]
            assert people and all("PRIMARY KEY" in detail for detail in people), details
            assert any("position USING INDEX ix_position_org_" in d for d in details), details
            return
        await connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
        nodes = _plan_nodes(plan.scalar_one()[0]["Plan"])
    people = [n for n in nodes if n.get("Relation Name") == "person"]
    assert people and all(n.get("Index Name") == "person_pkey" for n in people), people
    indexes = {n.get("Index Name") for n in nodes if n.get("Relation Name") == "position"}
    assert any(str(name).startswith("ix_position_org_") for name in indexes), indexes


@pytest.mark.parametrize("order", ["NEWEST", "STATUS", "PRIORITY"])
async def test_the_own_reports_branch_walks_the_reporters_index_in_order(
    city: City, order: str
) -> None:
    """Issue 17: a resident's own reports, a scope branch of its own, are read in the page's
    order through an index that has it (a LIMIT right above the scan, no sort of all the
    reporter's issues: a prolific reporter's branch reads a page, not every report), in
    the STATUS and PRIORITY orders as in NEWEST."""
    async with city.api.db.write_sessions() as session:
        await session.execute(sa.text("ANALYZE"))
    statement, params = await _compiled_page_statement(city, "resident", order)
    async with city.api.db.read_sessions() as session:
        connection = await session.connection()
        if is_sqlite(city.url):
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            details = [str(step[-1]) for step in plan.all()]
            own = [d for d in details if d.startswith("SEARCH issue") and "reporter_id=?" in d]
            assert own and all(f"INDEX {REPORTER_INDEX[order]} " in d for d in own), details
            return
        # The city's residents report a few issues each, which PostgreSQL rightly sorts:
        # with sorting discouraged it shows whether an index can give the order at all.
        await connection.exec_driver_sql("SET LOCAL enable_sort = off")
        await connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
        nodes = _plan_nodes(plan.scalar_one()[0]["Plan"])
    ordered = [
        child.get("Index Name")
        for limit in nodes
        if limit["Node Type"] == "Limit"
        for child in limit.get("Plans", ())
        if child["Node Type"] in ("Index Scan", "Index Only Scan")
    ]
    assert REPORTER_INDEX[order] in ordered, ordered


# A timeline cursor before every event: each issue's page is read from a cursor.
BEFORE_EVERY_EVENT = encode_cursor(connection_tag([col(IssueEvent.id)], False), [0])
NESTED_PAGE = f"""query ($order: IssueOrder!) {{ issues(first: 20, orderBy: $order) {{
  edges {{ node {{ id
    timeline(first: 5, after: "{BEFORE_EVERY_EVENT}") {{ edges {{ node {{ kind }} }} }}
    auditTrail(first: 5) {{ totalCount edges {{ node {{ operation }} }} }} }} }} }} }}"""


@pytest.mark.parametrize("role", ["secretary", "supervisor"])
async def test_a_compiled_pages_timelines_and_trails_read_through_indexes(
    city: City, role: str
) -> None:
    """Issue 14: each issue's timeline page (from a cursor) and audit trail, correlated
    subqueries of the compiled page, read their rows through the issue's index entries
    (ix_issue_event_issue, ix_audit_resource), never a scan of either table."""
    if is_sqlite(city.url):
        pytest.skip("the plan checked is PostgreSQL's (EXPLAIN (FORMAT JSON))")
    async with city.api.db.write_sessions() as session:
        await session.execute(sa.text("ANALYZE"))
    statement, params = await _compiled_page_statement(city, role, "NEWEST", NESTED_PAGE)
    async with city.api.db.read_sessions() as session:
        connection = await session.connection()
        plan = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
        root = plan.scalar_one()[0]["Plan"]
    nodes = _plan_nodes(root)
    for table, index in (
        ("issue_event", "ix_issue_event_issue"),
        ("audit_entry", "ix_audit_resource"),
    ):
        scans = [n for n in nodes if n.get("Relation Name") == table]
        assert scans and all(n.get("Index Name") == index for n in scans), (table, scans)
