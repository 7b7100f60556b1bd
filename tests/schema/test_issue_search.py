"""Searching issues folds script, width and case on both sides: `电梯` finds `電梯` and back,
`ＡＢＣ` finds `abc`; `%` and `_` stay literal; the scope of who sees what is unchanged."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from db.engine import is_sqlite
from resolvers.issues.queries import IssueFilter, filtered
from tests.factories import issues as make_issues
from tests.helpers import Api, gid
from tests.issue_helpers import found_ids, person_id, report


async def _world(api: Api) -> dict[str, Any]:
    """Issues under one unique token, reported through the API (traditional and full width)
    and written straight to the table (simplified), in both compounds."""
    token = f"t{uuid.uuid4().hex[:10]}"
    world: dict[str, Any] = {"token": token}
    world["traditional"] = (await report(api, title=f"{token} 電梯漏水"))["id"]
    world["wide"] = (
        await report(api, title=f"{token} ＡＢＣ停車位", description="Mixed CASE Words")
    )["id"]
    world["literal"] = (await report(api, title=f"{token} 完成100%_了 a\\b"))["id"]
    in_b = await report(api, as_="resident_b", compound="b", title=f"{token} 電梯停運")
    world["in_b"] = in_b["id"]
    [simplified] = await make_issues(
        api.db,
        [
            {
                "compound_id": api.compound("a"),
                "reporter_id": await person_id(api, "resident"),
                "title": f"{token} 电梯异响",
            }
        ],
    )
    world["simplified"] = gid("Issue", simplified)
    return world


async def _search(api: Api, world: dict[str, Any], text: str, as_: str = "admin") -> set[str]:
    found = set(await found_ids(api, {"search": text}, as_))
    names = ("traditional", "wide", "literal", "in_b", "simplified")
    return {name for name in names if world[name] in found}


async def test_simplified_and_traditional_find_each_other(api: Api) -> None:
    world = await _world(api)
    token = world["token"]
    elevator = {"traditional", "in_b", "simplified"}
    assert await _search(api, world, f"{token} 电梯") == elevator
    assert await _search(api, world, f"{token} 電梯") == elevator
    assert await _search(api, world, f"{token} 電梯異響") == {"simplified"}
    assert await _search(api, world, f"{token} 电梯漏水") == {"traditional"}


async def test_width_and_case_do_not_matter(api: Api) -> None:
    world = await _world(api)
    token = world["token"]
    for text in ("abc", "ABC", "ａｂｃ", "ＡＢＣ停車"):
        assert await _search(api, world, f"{token} {text}") == {"wide"}, text
    assert await _search(api, world, "mixed case words") >= {"wide"}  # in the description
    assert await _search(api, world, f"{token.upper()} 电梯漏水") == {"traditional"}


async def test_percent_underscore_and_backslash_are_literal(api: Api) -> None:
    world = await _world(api)
    token = world["token"]
    assert await _search(api, world, f"{token} 完成100%_了") == {"literal"}
    assert await _search(api, world, "成100%_了 a\\b") >= {"literal"}
    assert await _search(api, world, f"{token} 完成100_%了") == set()
    assert await _search(api, world, f"{token} 完成1%了") == set()
    assert await _search(api, world, f"{token}%电梯") == set()
    assert await _search(api, world, f"{token} _") == set()
    assert await _search(api, world, "a\\\\b") == set()


async def test_residents_still_find_only_their_compounds_issues(api: Api) -> None:
    world = await _world(api)
    token = world["token"]
    assert await _search(api, world, f"{token} 电梯", "resident") == {"traditional", "simplified"}
    assert await _search(api, world, f"{token} 电梯", "resident_b") == {"in_b"}


async def test_postgresql_serves_the_search_from_the_trigram_index(
    api: Api, database_url: str
) -> None:
    if is_sqlite(database_url):
        pytest.skip("SQLite scans for LIKE '%text%'; the trigram index is PostgreSQL's")
    async with api.db.read_sessions() as session:
        # The resolver's own statement, so the index is proven for the query it sends.
        ctx = await api.context("admin")
        try:
            statement = await filtered(ctx, IssueFilter(search="電梯漏水"), scope=False)
        finally:
            await ctx.close()
        sql = statement.compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        await session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join((await session.execute(sa.text(f"EXPLAIN {sql}"))).scalars())
        await session.execute(sa.text("RESET enable_seqscan"))
    assert "ix_issue_search_text" in plan, plan
    assert "电梯漏水" in plan, plan  # the folded text, not the traditional one
