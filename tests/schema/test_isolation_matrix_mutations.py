"""The mutation half of the isolation matrix: every Mutation field, attempted from outside the
scope of the object it names, changes nothing and is audited as a denial.

Each case of the every-mutation walk builds its input inside compound A; here the
same role of compound B (or, for roles with no outside in the demo, B's partner
token) sends it, A's partner token sends it unless its scopes open that mutation,
and refused tokens (expired, revoked) are turned away before any query.
"""

from __future__ import annotations

import pytest

from resolvers.errors import Unauthenticated
from tests.helpers import Api
from tests.mutation_cases import mutation_document, snapshot
from tests.schema.test_every_mutation_is_audited import CASES, mutation_fields

# The same kind of caller, for compound B.
OUTSIDER = {
    "secretary": "secretary_b",
    "committee_member": "committee_member_b",
    "resident": "resident_b",
    "property_firm": "property_firm_b",
    "admin": "partner_b",
    "supervisor": "partner_b",
}
# Mutations A's partner token (every scope) may make on A's objects.
# (commitProject and completeProject: the cases name the token's own partner unit.)
PARTNER_MAY = frozenset({"commentOnIssue", "commitProject", "completeProject"})


def attempts() -> list[tuple[str, str]]:
    pairs = []
    for name in mutation_fields():
        pairs.append((name, OUTSIDER[CASES[name].allowed]))
        if name not in PARTNER_MAY:
            pairs.append((name, "partner"))
    return pairs


@pytest.mark.parametrize(("name", "caller"), attempts())
async def test_outside_attempt_changes_nothing_and_is_denied(
    api: Api, name: str, caller: str
) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before_rows = await snapshot(api, case.tables)
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_=caller)
    assert result.codes in (["FORBIDDEN"], ["NOT_FOUND"]), result.errors
    assert await snapshot(api, case.tables) == before_rows
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].operation, entries[-1].outcome) == (name, "DENIED")
    assert entries[-1].changes == []


@pytest.mark.parametrize("caller", ["partner_expired", "partner_revoked"])
@pytest.mark.parametrize("name", mutation_fields())
async def test_refused_tokens_reach_no_mutation(api: Api, name: str, caller: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before_rows = await snapshot(api, case.tables)
    with pytest.raises(Unauthenticated):
        await api.run(mutation_document(name), {"input": variables}, as_=caller)
    assert await snapshot(api, case.tables) == before_rows
