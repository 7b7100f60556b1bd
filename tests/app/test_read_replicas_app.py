"""JINLIN_DATABASE_REPLICA_URLS wires the app's reads to the replicas (tests/replica_setup.py's
stand-in: names read there end with MARK)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import col

from app.factory import create_app
from app.settings import Settings
from db.engine import Database, create_engine
from db.models import ApiToken
from db.types import utcnow
from resolvers.tokens.bearer import issue_token
from tests.app.conftest import bearer
from tests.app.processes import free_port
from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH, Api
from tests.issue_helpers import person_id
from tests.replica_setup import MARK

ME = "{ me { person { name } } }"
DAY = timedelta(days=1)
REFUSED = (
    'mutation { reportIssue(input: {compound: "Organisation:0", channel: PHOTO_REPORT,'
    ' category: PARKING, title: "x"}) { id } }'
)


async def test_the_app_reads_from_its_replica_and_a_writer_from_the_primary(
    database_url: str, replica_url: str, api: Api
) -> None:
    settings = Settings(
        database_url=database_url, secret_key=SECRET_KEY, database_replica_urls=[replica_url]
    )
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            headers=ENGLISH, transport=httpx.ASGITransport(app=app), base_url="http://jinlin.test"
        ) as client,
    ):

        async def name(as_: str) -> str:
            response = await client.post(
                "/graphql", json={"query": ME}, headers=bearer(api.tokens[as_])
            )
            value: str = response.json()["data"]["me"]["person"]["name"]
            return value

        routing = app.state.database.routing
        await routing.replicas.check()
        assert (await name("resident")).endswith(MARK)
        refused = await client.post(
            "/graphql", json={"query": REFUSED}, headers=bearer(api.tokens["resident"])
        )
        assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert not (await name("resident")).endswith(MARK)  # its audit entry: the primary
        assert (await name("secretary")).endswith(MARK)


async def test_readyz_names_each_replica_and_is_degraded_without_one_in_use(
    database_url: str, replica_url: str
) -> None:
    down = make_url(replica_url).set(port=free_port(), password="hidden")
    down_url = down.render_as_string(hide_password=False)

    async def ready(replicas: list[str]) -> httpx.Response:
        settings = Settings(
            database_url=database_url, secret_key=SECRET_KEY, database_replica_urls=replicas
        )
        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                headers=ENGLISH,
                transport=httpx.ASGITransport(app=app),
                base_url="http://jinlin.test",
            ) as client,
        ):
            return await client.get("/readyz")

    both = await ready([replica_url, down_url])
    assert both.status_code == 200
    body = both.json()
    assert body["status"] == "ok"
    assert [r["status"] for r in body["replicas"]] == ["in use", "skipped"]
    assert body["replicas"][0]["lagSeconds"] == 0
    assert "hidden" not in both.text
    alone = await ready([down_url])
    assert alone.status_code == 200 and alone.json()["status"] == "degraded"


async def test_a_token_is_looked_up_on_the_primary_so_revoking_it_counts_at_once(
    database_url: str, replica_url: str, api: Api
) -> None:
    # A token issued and revoked on the primary, which the replica never sees: the next
    # request after the revocation is refused whatever the replica still holds.
    engine = create_engine(database_url)
    primary = Database.from_engine(engine)
    person = await person_id(api, "resident")
    async with primary.write() as session:
        issued = await issue_token(
            session, person_id=person, name="replica test", key=SECRET_KEY, lifetime=DAY
        )
    settings = Settings(
        database_url=database_url, secret_key=SECRET_KEY, database_replica_urls=[replica_url]
    )
    app = create_app(settings)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                headers=ENGLISH,
                transport=httpx.ASGITransport(app=app),
                base_url="http://jinlin.test",
            ) as client,
        ):
            await app.state.database.routing.replicas.check()

            async def me() -> httpx.Response:
                return await client.post(
                    "/graphql", json={"query": ME}, headers=bearer(issued.secret)
                )

            served = (await me()).json()["data"]["me"]["person"]["name"]
            assert served.endswith(MARK)  # the data came from the replica
            async with primary.write() as session:
                await session.execute(
                    sa.update(ApiToken)
                    .where(col(ApiToken.id) == issued.token.id)
                    .values(revoked_at=utcnow())
                )
            refused = await me()
            assert refused.status_code == 401
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        async with primary.write() as session:
            await session.execute(sa.delete(ApiToken).where(col(ApiToken.id) == issued.token.id))
        await engine.dispose()
