"""The policy file: well-formed, and the README's matrix is generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import enforcer
from policies.matrix import matrix_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_matrix_is_current() -> None:
    assert matrix_markdown() in README.read_text(encoding="utf-8"), (
        "README's permission matrix is stale: run `jinlin policy matrix --readme README.md`"
    )


def test_each_rule_is_one_row() -> None:
    rows = enforcer.policy_rows()
    keys = [(role, resource, action) for role, resource, action, _ in rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["janitor", "person", "read", "subtree"], "unknown role"),
        (["resident", "person", "read", "nearby"], "unknown condition"),
        (["resident", "person", "update", "holder"], "no row check"),
        (["resident", "person", "read"], "must have"),
    ],
)
def test_malformed_rules_are_refused(row: list[str], message: str) -> None:
    with pytest.raises(enforcer.PolicyError, match=message):
        enforcer._validate([row])


# The one thing a supervisor changes: a firm's white/black list standing, over its compounds.
SUPERVISOR_WRITES = [("supervisor", "standing", "set", frozenset({"subtree"}))]


def test_supervisor_changes_nothing_inside_compounds() -> None:
    writes = [
        r for r in enforcer.policy_rows() if r[0] == "supervisor" and not r[2].startswith("read")
    ]
    assert writes == SUPERVISOR_WRITES
