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


# What a supervisor changes: a firm's white/black list standing, over its compounds, and the
# street's own money: the funds it grants a compound's branch, only from above the compound;
# and the street's (or community's) own calls to action (mobilisation), sent and closed for the
# body the officer holds a position in (the recipients answer them, not the officer); and its
# own work with branch secretaries: mentoring pairs and commendations (兩優一先), only from
# above the compound;
# and the party-building liaison (黨建指導員) to a firm serving a compound below it, which sits
# at the firm, outside every compound (`served`).
SUPERVISOR_WRITES = [
    ("supervisor", "position", "create", frozenset({"served"})),
    ("supervisor", "position", "end", frozenset({"served"})),
    ("supervisor", "standing", "set", frozenset({"subtree"})),
    ("supervisor", "fund", "grant", frozenset({"below"})),
    ("supervisor", "mobilisation", "send", frozenset({"member"})),
    ("supervisor", "mobilisation", "close", frozenset({"member"})),
    ("supervisor", "mentoring", "pair", frozenset({"below"})),
    ("supervisor", "mentoring", "end", frozenset({"below"})),
    ("supervisor", "commendation", "commend", frozenset({"below"})),
    ("supervisor", "commendation", "withdraw", frozenset({"below"})),
]


def test_supervisor_changes_nothing_inside_compounds() -> None:
    writes = [
        r for r in enforcer.policy_rows() if r[0] == "supervisor" and not r[2].startswith("read")
    ]
    assert writes == SUPERVISOR_WRITES
