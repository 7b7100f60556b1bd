"""Runs the generated isolation matrix (tests/isolation/matrix.py) for every kind of caller."""

from __future__ import annotations

import pytest

from tests.helpers import Api
from tests.isolation.matrix import walk_role, world_with_a_third_compound

# Each caller and the demo compounds it may see: A's bodies, firm and partner see A; the
# street officer sees A, B and D but not C under another street; the grid worker sees A (its
# grid's) only; the joint branch's secretary sees D (a small compound of its grid, with the
# joint branch's notices, meeting and statement) and D's resident D; refused tokens nothing.
CALLERS: dict[str, set[str] | None] = {
    "secretary": {"a"},
    "committee_member": {"a"},
    # A's deputy branch secretary, who sits in on A's owners' committee (列席).
    "deputy_secretary": {"a"},
    "property_firm": {"a"},
    "resident": {"a"},
    "supervisor": {"a", "b", "d"},
    # The member of the community's grid over A (網格員): A only, never B beside it.
    "grid_worker": {"a"},
    "joint_secretary": {"d"},
    "resident_d": {"d"},
    "partner": {"a"},
    "partner_expired": None,
    "partner_revoked": None,
}


@pytest.mark.parametrize("caller", [*CALLERS, "no token"])
async def test_every_path_holds_for(api: Api, caller: str) -> None:
    world = await world_with_a_third_compound(api)
    role = None if caller == "no token" else caller
    scope = set() if role is None else CALLERS[caller]
    outcome = await walk_role(api, world, role, scope)
    print(
        f"isolation matrix: {caller}: {outcome.cases} (role, path, object) cases, "
        f"{outcome.delivered} events delivered by subscriptions"
    )
    assert not outcome.failures, "\n".join(outcome.failures[:40])
    assert outcome.cases > 0
