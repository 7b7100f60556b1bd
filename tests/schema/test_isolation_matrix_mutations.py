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
from tests.mutation_cases import Case, mutation_document, snapshot
from tests.schema.mutation_cases_joint import JOINT_CASES, JOINT_OUTSIDERS
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


async def _denied_and_unchanged(api: Api, name: str, case: Case, caller: str) -> None:
    """CALLER's attempt at mutation NAME is refused, changes none of CASE's tables, and is
    audited as one denial that records no change."""
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


@pytest.mark.parametrize(("name", "caller"), attempts())
async def test_outside_attempt_changes_nothing_and_is_denied(
    api: Api, name: str, caller: str
) -> None:
    await _denied_and_unchanged(api, name, CASES[name], caller)


@pytest.mark.parametrize("caller", JOINT_OUTSIDERS)
@pytest.mark.parametrize("name", sorted(JOINT_CASES))
async def test_outside_the_joint_branch_s_grid_changes_nothing(
    api: Api, name: str, caller: str
) -> None:
    """A and B's secretaries lead their own branches, outside the joint branch's grid: its
    notices and meetings in 濱湖新村 are not theirs to change."""
    await _denied_and_unchanged(api, name, JOINT_CASES[name], caller)


@pytest.mark.parametrize("caller", ["partner_expired", "partner_revoked"])
@pytest.mark.parametrize("name", mutation_fields())
async def test_refused_tokens_reach_no_mutation(api: Api, name: str, caller: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before_rows = await snapshot(api, case.tables)
    with pytest.raises(Unauthenticated):
        await api.run(mutation_document(name), {"input": variables}, as_=caller)
    assert await snapshot(api, case.tables) == before_rows


# What a grid worker (網格員, reads only) may do inside its grid: what every signed-in person
# may (their own tokens and subscriptions), nothing that changes the grid's compounds.
GRID_WORKER_MAY: frozenset[str] = frozenset()
# A person's own report for service (self): the demo's grid worker lives in no compound, so it
# is turned away as bad input, still with nothing written.
GRID_WORKER_REJECTED = frozenset({"reportForService"})


@pytest.mark.parametrize("name", [n for n in mutation_fields() if n not in GRID_WORKER_MAY])
async def test_the_grid_worker_reads_its_grid_but_changes_nothing(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    before_rows = await snapshot(api, case.tables)
    before = len(await api.audit_entries())
    result = await api.run(mutation_document(name), {"input": variables}, as_="grid_worker")
    rejected = name in GRID_WORKER_REJECTED
    expected = (["BAD_USER_INPUT"],) if rejected else (["FORBIDDEN"], ["NOT_FOUND"])
    assert result.codes in expected, result.errors
    assert await snapshot(api, case.tables) == before_rows
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    outcome = "REJECTED" if rejected else "DENIED"
    assert (entries[-1].operation, entries[-1].outcome) == (name, outcome)
    assert entries[-1].changes == []
