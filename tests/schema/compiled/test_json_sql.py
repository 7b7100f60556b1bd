"""Values the database spells as strawberry would: timestamps, global ids, booleans."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import Database
from db.types import UtcDateTime
from resolvers.cursors import connection_tag, encode_cursor
from schema.compiled.json_sql import JsonSql
from schema.ids import encode_id


async def _json(db: Database, pairs: list[tuple[str, sa.ColumnElement[object]]]) -> object:
    builder = JsonSql(db.dialect_name)
    async with db.read_sessions() as session:
        text = (await session.execute(sa.select(builder.text(builder.object(pairs))))).scalar()
    return json.loads(text)


moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=moments, whole=st.booleans())
async def test_timestamps_read_as_isoformat(db: Database, moment: datetime, whole: bool) -> None:
    if whole:
        moment = moment.replace(microsecond=0)  # isoformat then leaves the fraction out
    builder = JsonSql(db.dialect_name)
    stored = sa.literal(moment, type_=UtcDateTime())
    found = await _json(db, [("at", builder.timestamp(stored))])
    assert found == {"at": moment.isoformat()}


@pytest.mark.parametrize("node_id", [1, 9, 10, 12345, 2**31 - 1])
async def test_global_ids_are_those_the_api_gives_out(db: Database, node_id: int) -> None:
    builder = JsonSql(db.dialect_name)
    found = await _json(db, [("id", builder.global_id("Issue", sa.literal(node_id)))])
    assert found == {"id": encode_id("Issue", node_id)}


async def test_booleans_and_nulls_are_json_ones(db: Database) -> None:
    builder = JsonSql(db.dialect_name)
    found = await _json(
        db,
        [
            ("yes", builder.boolean(sa.literal(1) == 1)),
            ("no", builder.boolean(sa.literal(1) == 2)),
            ("none", builder.timestamp(sa.null())),
            ("list", builder.literal('["A", "B"]')),
        ],
    )
    assert found == {"yes": True, "no": False, "none": None, "list": ["A", "B"]}


async def test_cursors_are_those_the_resolvers_give_out(db: Database) -> None:
    # Every padding; an integer key's JSON (ASCII below 0x7E, no '?' or '>') never gives
    # base64's '+' or '/', translated all the same.
    builder = JsonSql(db.dialect_name)
    tag = connection_tag([sa.column("id")], False)
    keys = sa.select(sa.literal(0).label("k")).cte("keys", recursive=True)
    keys = keys.union_all(sa.select(keys.c.k + 1).where(keys.c.k < 1999))
    async with db.read_sessions() as session:
        rows = (await session.execute(sa.select(keys.c.k, builder.cursor(tag, [keys.c.k])))).all()
    assert dict(rows) == {key: encode_cursor(tag, [key]) for key in range(2000)}
    null = await _json(db, [("c", builder.cursor(tag, [sa.cast(sa.null(), sa.Integer)]))])
    assert null == {"c": None}


NAMES = [
    "繼光花苑1號樓",
    'a "quoted" \\ back/slash',
    "control \x1f\x08\x0c\n\r\t\x7f and \u2028",
    "名字很長的樓" * 12,  # a cursor longer than a base64 line (76 characters)
    "Ünïcödé 🏠",
    "it's",
    "",
]


async def test_cursors_of_a_name_and_an_id_are_those_the_resolvers_give_out(
    db: Database,
) -> None:
    """A string key (an organisation's children are listed by name) as JSON, escaped as
    orjson escapes it, in a cursor of any length."""
    builder = JsonSql(db.dialect_name)
    keys = [sa.column("name", sa.String), sa.column("id", sa.Integer)]
    tag = connection_tag(keys, False)
    async with db.read_sessions() as session:
        for number, name in enumerate(NAMES):
            name_key = sa.cast(sa.literal(name, sa.String), sa.String)
            cursor = builder.cursor(tag, [name_key, sa.literal(number, sa.Integer)])
            found = (await session.execute(sa.select(cursor))).scalar_one()
            assert found == encode_cursor(tag, [name, number]), name
