"""Cases of the every-mutation-is-audited walk (and so of the isolation matrix's mutation
half) for mentoring and commendations, all in compound A: the street's organisation officer
sets them up; the compound's own people may not."""

from __future__ import annotations

from typing import Any

from db.models import Commendation, MentorPair
from tests.helpers import Api
from tests.mutation_cases import Case
from tests.recognition_helpers import TABLES, commend_input, honour_in, open_pair, pair_input


async def _withdraw(api: Api) -> dict[str, Any]:
    return {**await honour_in(api), "reason": "錄入有誤"}


RECOGNITION_CASES: dict[str, Case] = {
    # The compound's own secretary never pairs in or honours its own branch.
    "pairMentor": Case("supervisor", "secretary", pair_input, MentorPair, TABLES),
    "endMentoring": Case("supervisor", "committee_member", open_pair, MentorPair, TABLES),
    "commend": Case("supervisor", "secretary", commend_input, Commendation, TABLES),
    # Residents read the compound's honours but withdraw none.
    "withdrawCommendation": Case("supervisor", "resident", _withdraw, Commendation, TABLES),
}
