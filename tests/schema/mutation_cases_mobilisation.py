"""Cases of the every-mutation-is-audited walk (and so of the isolation matrix's mutation
half) for mobilisation, all in compound A."""

from __future__ import annotations

from typing import Any

from db.models import Mobilisation, MobilisationRecipient
from tests.helpers import Api
from tests.mobilisation_helpers import MOBILISATION_TABLES, send_input, sent_id
from tests.mutation_cases import Case


async def _send(api: Api) -> dict[str, Any]:
    return await send_input(api)


async def _ack(api: Api) -> dict[str, Any]:
    return {"mobilisation": await sent_id(api)}


async def _report(api: Api) -> dict[str, Any]:
    return {"mobilisation": await sent_id(api), "outcome": "DONE", "report": "已到崗"}


async def _close(api: Api) -> dict[str, Any]:
    return {"mobilisation": await sent_id(api)}


MOBILISATION_CASES: dict[str, Case] = {
    # The branch's secretary sends; a resident sends nothing.
    "sendMobilisation": Case("secretary", "resident", _send, Mobilisation, MOBILISATION_TABLES),
    # committee_member (a3) is a party member the call reaches; resident a1 is not called on.
    "acknowledgeMobilisation": Case(
        "committee_member", "resident", _ack, MobilisationRecipient, MOBILISATION_TABLES
    ),
    "reportMobilisation": Case(
        "committee_member", "resident", _report, MobilisationRecipient, MOBILISATION_TABLES
    ),
    # A committee member reads the call but only the sending body closes it.
    "closeMobilisation": Case(
        "secretary", "committee_member", _close, Mobilisation, MOBILISATION_TABLES
    ),
}
