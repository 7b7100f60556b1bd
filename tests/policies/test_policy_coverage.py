"""The registry's actions, policy.csv and the code's `decide` calls name the same
(resource, action) pairs: an unused policy row, an action without a policy row, or a call
about an undeclared action fails here and names the offender."""

from __future__ import annotations

from datetime import date

import pytest

from policies.actor import Actor
from policies.authorizer import Authorizer
from policies.enforcer import policy_rows
from policies.resource_types import UnknownAction
from policies.resources import RESOURCES, ROW_KINDS, declared_actions
from policies.token_scopes import SCOPE_RULES
from resolvers.uploads.sweep import RESOURCE as SWEPT_UPLOADS
from tests.policies.code_actions import Scan, scan_code


@pytest.fixture(scope="module")
def scan() -> Scan:
    return scan_code()


def _listed(pairs: set[tuple[str, str]]) -> str:
    return ", ".join(f"{resource}:{action}" for resource, action in sorted(pairs))


def test_every_policy_row_names_a_declared_action() -> None:
    in_policy = {(resource, action) for _, resource, action, _ in policy_rows()}
    undeclared = in_policy - declared_actions()
    assert not undeclared, f"policy.csv rows for undeclared actions: {_listed(undeclared)}"


def test_every_declared_action_has_a_policy_row() -> None:
    in_policy = {(resource, action) for _, resource, action, _ in policy_rows()}
    unpolicied = declared_actions() - in_policy
    assert not unpolicied, f"declared actions no role is granted: {_listed(unpolicied)}"


def test_the_scan_reads_every_decide_call(scan: Scan) -> None:
    assert not scan.unresolved, "calls whose resource or action the scan cannot read:\n" + (
        "\n".join(scan.unresolved)
    )
    # The scan finds what it should: the reads behind `scoped` and the issue changes.
    assert ("issue", "read") in scan.uses
    assert ("issue", "escalate") in scan.uses


def test_the_code_asks_only_about_declared_actions(scan: Scan) -> None:
    undeclared = set(scan.uses) - declared_actions()
    where = {pair: scan.uses[pair][0] for pair in undeclared}
    assert not undeclared, f"code asks about undeclared actions: {where}"


def test_every_declared_action_is_asked_about_in_code(scan: Scan) -> None:
    unused = declared_actions() - set(scan.uses)
    assert not unused, f"declared actions no code asks about: {_listed(unused)}"


def test_token_scopes_open_declared_actions() -> None:
    opened = {pair for rule in SCOPE_RULES.values() for pair in rule.actions}
    undeclared = opened - declared_actions()
    assert not undeclared, f"token scopes open undeclared actions: {_listed(undeclared)}"


def test_decide_refuses_an_undeclared_action() -> None:
    auth = Authorizer(Actor(person_id=1), date(2025, 1, 1))
    with pytest.raises(UnknownAction, match=r"'issue' declares no action 'publish'"):
        auth.decide("issue", "publish")
    with pytest.raises(UnknownAction, match="'issues'"):
        auth.decide("issues", "read")
    assert not auth.decide("issue", "read").allowed_somewhere


def test_every_resource_declares_read() -> None:
    # Lists and node fetches are scoped by `read`; a resource without it could not be seen.
    assert [name for name, entry in RESOURCES.items() if "read" not in entry.actions] == []


def test_audit_entries_name_audited_row_kinds(scan: Scan) -> None:
    """The audit log's resource types are the registry's audited row kinds, so an entry's
    `resource` finds its node: every type written or read as a trail is one, and every
    audited kind is written by some mutation. One exception: the upload sweep's entry names
    the unattached uploads it deleted (id, hash, size, type), rows no node could show."""
    audited = {name for name, kind in ROW_KINDS.items() if kind.audited}
    unknown = {
        t: w[0]
        for t, w in {**scan.written, **scan.trails}.items()
        if t not in audited and t != SWEPT_UPLOADS
    }
    assert not unknown, f"audit resource types that are no audited row kind: {unknown}"
    assert sorted(audited - scan.written.keys()) == []
