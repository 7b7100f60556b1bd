"""Cases of the every-mutation walk for partner tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from db.models import ApiToken, ApiTokenOrganisation
from db.types import utcnow
from tests.helpers import Api
from tests.mutation_cases import Case
from tests.partner_setup import issue, partner_unit_id


async def _issue_token(api: Api) -> dict[str, Any]:
    return {
        "name": "工單對接",
        "partner": await partner_unit_id(api),
        "organisations": [api.ids["compound_a"]],
        "scopes": ["ISSUES_READ"],
        "expiresAt": (utcnow() + timedelta(days=90)).isoformat(),
    }


async def _revoke_token(api: Api) -> dict[str, Any]:
    return {"id": (await issue(api, scopes=["ISSUES_READ"]))["token"]["id"]}


TOKEN_TABLES = (ApiTokenOrganisation,)

TOKEN_CASES: dict[str, Case] = {
    "issueToken": Case("secretary", "committee_member", _issue_token, ApiToken, TOKEN_TABLES),
    "revokeToken": Case("secretary", "resident", _revoke_token, ApiToken, TOKEN_TABLES),
}
