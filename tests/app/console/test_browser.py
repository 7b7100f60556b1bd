"""The console in a real browser: Debian's chromium driven by Playwright against a real
uvicorn server on SQLite (sign-in, audit log, entry, trail, export, claiming an issue,
indicators, a resident refused, sign-out), with an accessibility check on every page.

One browser for the module; a screenshot of the page is saved when a test fails
(JINLIN_SCREENSHOTS, default the pytest temporary directory).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from app.cli.data import seed_demo
from bench.common import SECRET, server
from db import migrate
from db.engine import Database, create_engine
from demo.sample.city import demo_token_people
from resolvers.tokens.console import issue_sign_in_code

T = TypeVar("T")
CHROMIUM = Path("/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

# Run once, on SQLite (tests/conftest.py deselects them on PostgreSQL: they ask for no
# database_url); the console's data path is the API, which the suite covers on both.
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

A11Y = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run COROUTINE on a loop of its own (the test session's loop is already running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('console')}/jinlin.db"
    migrate.upgrade(url)
    run_async(seed_demo(url, SECRET))
    with server(url, JINLIN_ENVIRONMENT="development") as served:
        base = f"http://127.0.0.1:{served.port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield {"base": base, "url": url}


def link(site: dict[str, Any], role: str) -> str:
    async def issue() -> str:
        engine = create_engine(site["url"])
        try:
            db = Database.from_engine(engine)
            async with db.read_sessions() as session:
                people, _ = await demo_token_people(session)
            issued = await issue_sign_in_code(db, person_id=people[role], key=SECRET)
            return issued.code
        finally:
            await engine.dispose()

    return f"{site['base']}/console/sign-in#code={run_async(issue())}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(
    browser: Any, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = Path(os.environ.get("JINLIN_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
        shot = folder / f"{request.node.name}.png"
        opened.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failing page: {shot}")
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]


def accessible(page: Any) -> None:
    problems = page.evaluate(A11Y)
    assert problems == [], problems


def sign_in(page: Any, site: dict[str, Any], role: str) -> None:
    page.goto(link(site, role))
    accessible(page)
    page.get_by_role("button", name="登录 Sign in").click()
    page.wait_for_url("**/console")


def test_a_supervisor_reads_filters_and_exports_the_audit_log(page: Any, site: Any) -> None:
    sign_in(page, site, "supervisor")
    page.wait_for_selector("tbody tr")
    page.wait_for_selector("text=完好 intact")
    accessible(page)
    everything = page.locator("caption").inner_text()
    page.get_by_label("操作").fill("issueToken")
    page.get_by_label("操作").press("Enter")  # the form submits from the keyboard
    expect(page.locator("caption")).not_to_have_text(everything)
    operations = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert operations and set(operations) == {"issueToken"}
    page.locator("tbody button[aria-label^='详情']").first.click()
    page.wait_for_selector("#detail-h")
    assert page.locator("#detail table tbody tr").count() >= 1  # the diff as a table
    # Readable: a labelled field (名称 … Name), a person's name as the actor, not raw columns.
    first_field = page.locator("#detail table tbody tr td").first.inner_text()
    assert "_" not in first_field, first_field
    actor = page.locator("#detail dt:has-text('操作人') + dd").inner_text()
    assert actor not in ("", "—"), actor
    accessible(page)
    page.locator("#trail").click()
    page.wait_for_selector("text=记录轨迹 Trail of")
    assert page.locator("tbody tr").count() >= 1
    with page.expect_download() as download:
        page.locator("a.export[data-format='csv']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("seq,")
    # The export takes the page's filter: this trail's record only.
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and len({(row["resource_type"], row["resource_id"]) for row in rows}) == 1


def test_a_secretary_claims_an_issue(page: Any, site: Any) -> None:
    sign_in(page, site, "secretary")
    page.goto(f"{site['base']}/console#/issues")
    page.wait_for_selector("tbody tr")
    accessible(page)
    rows = page.locator("tbody tr")
    assert "逾期" in rows.first.inner_text()  # overdue first
    reported = rows.filter(has_text="已上报 Reported").first
    title = reported.locator("button").inner_text()
    reported.locator("button").click()
    page.wait_for_selector("#issue-h")
    accessible(page)
    page.locator("#claim").click()
    page.wait_for_selector("#claim", state="detached")
    assert "CLAIM" in page.locator(".timeline").inner_text()
    assert title in page.locator("#issue-h").inner_text()


def test_indicators_are_charts_with_tables(page: Any, site: Any) -> None:
    sign_in(page, site, "supervisor")
    page.goto(f"{site['base']}/console#/indicators")
    page.wait_for_selector("figure svg")
    # The figures are drawn one after another: wait until the last has its table too (CI
    # once counted four charts and two tables mid-way).
    page.wait_for_function(
        "document.querySelectorAll('figure table').length >= 2 && "
        "document.querySelectorAll('figure table').length === "
        "document.querySelectorAll('figure svg').length"
    )
    assert page.locator("figure svg[role='img']").count() >= 2
    assert page.locator("figure table").count() == page.locator("figure svg").count()
    assert page.locator("text=目标 Target 50%").count() >= 1
    accessible(page)


def test_a_resident_is_refused_and_sign_out_ends_the_session(page: Any, site: Any) -> None:
    page.goto(link(site, "resident"))
    page.get_by_role("button", name="登录 Sign in").click()
    page.wait_for_selector("#refused:not([hidden])")
    page.goto(f"{site['base']}/console")
    assert "/console/sign-in" in page.url
    sign_in(page, site, "supervisor")
    page.get_by_role("button", name="退出 Sign out").click()
    page.wait_for_url("**/console/sign-in")
    page.goto(f"{site['base']}/console")
    assert "/console/sign-in" in page.url


def test_the_development_explorer_runs_a_query_with_nothing_from_another_host(
    page: Any, site: Any
) -> None:
    """GraphiQL, React and the styles come from the server itself (no CDN)."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{site['base']}/graphql")
    page.wait_for_selector(".graphiql-container")
    page.locator(".graphiql-execute-button").click()  # the example query, anonymous
    expect(page.locator(".result-window")).to_contain_text('"me"', timeout=15_000)
    assert hosts == {site["base"].split("/")[2]}, hosts
