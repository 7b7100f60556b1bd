"""The issue state machine on its own: every allowed step, and every refused one names
where the issue stands and where it may go."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.models import IssueStatus as S
from resolvers.errors import BadUserInput, ErrorCode
from resolvers.issues.lifecycle import (
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    IssueAction,
    is_open,
    next_states,
    transition,
)

A = IssueAction
# The lifecycle as documented (README, IssueStatus), written out independently of the code.
DOCUMENTED: dict[tuple[IssueAction, S], S] = {
    (A.CLAIM, S.REPORTED): S.CLAIMED,
    (A.ASSIGN, S.REPORTED): S.CLAIMED,
    (A.ASSIGN, S.CLAIMED): S.CLAIMED,
    (A.ASSIGN, S.IN_PROGRESS): S.IN_PROGRESS,
    (A.ASSIGN, S.REOPENED): S.REOPENED,
    (A.START, S.CLAIMED): S.IN_PROGRESS,
    (A.START, S.REOPENED): S.IN_PROGRESS,
    (A.RESOLVE, S.IN_PROGRESS): S.RESOLVED,
    (A.CLOSE, S.RESOLVED): S.CLOSED,
    (A.REOPEN, S.RESOLVED): S.REOPENED,
    (A.REJECT, S.REPORTED): S.REJECTED,
    (A.MARK_DUPLICATE, S.REPORTED): S.DUPLICATE,
    (A.ESCALATE, S.REPORTED): S.ESCALATED,
    (A.ESCALATE, S.CLAIMED): S.ESCALATED,
    (A.ESCALATE, S.IN_PROGRESS): S.ESCALATED,
    (A.ESCALATE, S.REOPENED): S.ESCALATED,
    (A.DECIDE, S.ESCALATED): S.IN_PROGRESS,
}
REFUSED = sorted(
    (pair for pair in itertools.product(IssueAction, S) if pair not in TRANSITIONS),
    key=lambda p: (p[0].value, p[1].value),
)


def test_the_transitions_are_the_documented_lifecycle() -> None:
    assert TRANSITIONS == DOCUMENTED


@pytest.mark.parametrize(
    ("action", "current", "target"), [(a, s, t) for (a, s), t in DOCUMENTED.items()]
)
def test_every_allowed_transition(action: IssueAction, current: S, target: S) -> None:
    assert transition(action, current) is target


def _assert_refusal(action: IssueAction, current: S) -> None:
    with pytest.raises(BadUserInput) as caught:
        transition(action, current)
    error = caught.value
    allowed = next_states(current)
    assert error.code is ErrorCode.BAD_USER_INPUT
    assert error.details == {
        "currentStatus": current.value,
        "allowedNext": [s.value for s in allowed],
    }
    assert f"that is {current.value}" in error.message
    assert f"from {current.value} it can go to" in error.message
    for state in allowed:
        assert state.value in error.message.split("it can go to", 1)[1]
    if not allowed:
        assert "nothing: it is final" in error.message


@pytest.mark.parametrize(("action", "current"), REFUSED)
def test_every_refused_pair_names_the_state_and_the_ways_on(
    action: IssueAction, current: S
) -> None:
    _assert_refusal(action, current)


@given(st.sampled_from(IssueAction), st.sampled_from(S))
def test_transition_either_follows_the_table_or_refuses(action: IssueAction, current: S) -> None:
    if (action, current) in TRANSITIONS:
        assert transition(action, current) is TRANSITIONS[(action, current)]
    else:
        _assert_refusal(action, current)


@given(st.lists(st.sampled_from(IssueAction), max_size=30))
def test_any_sequence_of_actions_stays_in_the_lifecycle(actions: list[IssueAction]) -> None:
    """Apply actions from REPORTED, skipping refused ones: every state reached is one the
    previous state lists as next (or itself), and a final state is never left."""
    current = S.REPORTED
    for action in actions:
        try:
            target = transition(action, current)
        except BadUserInput:
            continue
        assert current not in FINAL_STATES
        assert target is current or target in next_states(current)
        current = target


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_final_states_have_no_next_state(state: S) -> None:
    assert next_states(state) == []
    assert not is_open(state)
    for action in IssueAction:
        with pytest.raises(BadUserInput, match="nothing: it is final"):
            transition(action, state)


def test_states_are_open_final_or_awaiting_confirmation() -> None:
    assert OPEN_STATES.isdisjoint(FINAL_STATES)
    assert set(S) == OPEN_STATES | FINAL_STATES | {S.RESOLVED}
    assert {S.CLOSED, S.REJECTED, S.DUPLICATE} == FINAL_STATES
    assert all(is_open(s) == (s in OPEN_STATES) for s in S)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.REPORTED, [S.CLAIMED, S.ESCALATED, S.REJECTED, S.DUPLICATE]),
        (S.CLAIMED, [S.IN_PROGRESS, S.ESCALATED]),
        (S.IN_PROGRESS, [S.RESOLVED, S.ESCALATED]),
        (S.RESOLVED, [S.CLOSED, S.REOPENED]),
        (S.REOPENED, [S.IN_PROGRESS, S.ESCALATED]),
        (S.ESCALATED, [S.IN_PROGRESS]),
    ],
)
def test_next_states_in_lifecycle_order_without_staying_put(state: S, expected: list[S]) -> None:
    assert next_states(state) == expected


def test_every_state_is_reachable_and_every_open_one_can_end() -> None:
    reachable = {S.REPORTED}
    frontier = [S.REPORTED]
    while frontier:
        for nxt in next_states(frontier.pop()):
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(S)

    def ends(state: S, seen: frozenset[S] = frozenset()) -> bool:
        return state in FINAL_STATES or any(
            ends(n, seen | {state}) for n in next_states(state) if n not in seen
        )

    assert all(ends(s) for s in S)
