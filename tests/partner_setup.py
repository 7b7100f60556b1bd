"""Partner tokens the suite needs beyond the demo's: one expired and one revoked.

Both are issued for compound A's partner unit by A's secretary through the real
mutations (committed once per run); the expired one then has its expiry moved
into the past, since nobody may issue a token that is already expired.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.engine import Database, create_engine
from db.models import ApiToken, Organisation, OrganisationKind
from db.types import utcnow
from schema.ids import encode_id
from tests.helpers import Api, pool_options

ISSUE = """
mutation ($input: IssueTokenInput!) {
  issueToken(input: $input) { secret token { id } }
}
"""
REVOKE = "mutation ($id: ID!) { revokeToken(input: {id: $id}) { status } }"


async def partner_unit_id(api: Api) -> str:
    partner = await api.scalar(
        sa.select(col(Organisation.id))
        .where(col(Organisation.kind) == OrganisationKind.PARTNER_UNIT)
        .order_by(col(Organisation.id))
        .limit(1)
    )
    return str(encode_id("Organisation", int(partner)))


async def issue(api: Api, *, scopes: list[str], as_: str = "secretary", **extra: Any) -> Any:
    """Issue a token for A's partner unit over compound A; returns {secret, token {id}}."""
    input = {
        "name": "對接系統",
        "partner": await partner_unit_id(api),
        "organisations": [api.ids["compound_a"]],
        "scopes": scopes,
        "expiresAt": (utcnow() + timedelta(days=30)).isoformat(),
        **extra,
    }
    return (await api.run(ISSUE, {"input": input}, as_=as_)).ok()["issueToken"]


async def add_expired_and_revoked(
    database_url: str, demo: dict[str, Any], secret_key: str
) -> dict[str, str]:
    engine = create_engine(database_url, pool=pool_options())
    try:
        api = Api(
            db=Database.from_engine(engine),
            tokens=demo["tokens"],
            ids=demo["ids"],
            secret_key=secret_key,
        )
        expired = await issue(api, scopes=["ISSUES_READ", "ORGANISATIONS_READ"])
        revoked = await issue(api, scopes=["ISSUES_READ", "ORGANISATIONS_READ"])
        (await api.run(REVOKE, {"id": revoked["token"]["id"]}, as_="secretary")).ok()
        async with api.db.write() as session:
            await session.execute(
                sa.update(ApiToken)
                .where(col(ApiToken.display_prefix) == expired["secret"][:10])
                .values(expires_at=utcnow() - timedelta(days=1))
            )
        return {"partner_expired": expired["secret"], "partner_revoked": revoked["secret"]}
    finally:
        await engine.dispose()
