"""The process-wide Casbin enforcer and the one question we ask it.

The policy is small and static per process, so the answer for a
(role, resource, action) triple is cached: a request pays for Casbin at most
once per distinct triple, never per row.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import casbin

POLICY_DIR = Path(__file__).parent
MODEL_PATH = POLICY_DIR / "model.conf"
POLICY_PATH = POLICY_DIR / "policy.csv"


class PolicyError(ValueError):
    """The policy file breaks one of its own rules."""


@cache
def enforcer() -> casbin.Enforcer:
    loaded = casbin.Enforcer(str(MODEL_PATH), str(POLICY_PATH))
    _validate(loaded.get_policy())
    return loaded


def policy_rows() -> list[tuple[str, str, str, frozenset[str]]]:
    """Every (role, resource, action, conditions) row, in file order."""
    return [
        (role, resource, action, _split(cond))
        for role, resource, action, cond in enforcer().get_policy()
    ]


@cache
def allowed_conditions(role: str, resource: str, action: str) -> frozenset[str] | None:
    """The conditions under which ROLE may do ACTION on RESOURCE, or None if it may not."""
    allowed, rule = enforcer().enforce_ex(role, resource, action)
    if not allowed:
        return None
    return _split(rule[3])


def _split(cond: str) -> frozenset[str]:
    return frozenset(part.strip() for part in cond.split("|") if part.strip())


def _validate(rows: list[list[str]]) -> None:
    # Imported here: conditions imports nothing from this module, but keeping the
    # dependency local makes the policy loadable for the README generator alone.
    from policies.conditions import CONDITIONS, WRITE_SAFE_CONDITIONS
    from policies.grants import ROLES

    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        if len(row) != 4:
            raise PolicyError(f"policy row {row!r} must have role, resource, action, conditions")
        role, resource, action, cond = row
        key = (role, resource, action)
        if key in seen:
            raise PolicyError(f"policy row {key} appears twice; join its conditions with '|'")
        seen.add(key)
        if role not in ROLES:
            raise PolicyError(f"policy row {key} names unknown role {role!r}")
        for name in _split(cond):
            if name not in CONDITIONS:
                raise PolicyError(f"policy row {key} names unknown condition {name!r}")
            if not action.startswith("read") and name not in WRITE_SAFE_CONDITIONS:
                raise PolicyError(
                    f"policy row {key}: condition {name!r} has no row check to guard a write"
                )
