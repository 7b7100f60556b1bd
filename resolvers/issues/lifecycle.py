"""The issue state machine, in one place.

    REPORTED ─claim─▶ CLAIMED ─start─▶ IN_PROGRESS ─resolve─▶ RESOLVED ─confirm─▶ CLOSED
        │                                   ▲                     │
        │                                   └──start── REOPENED ◀─┘ (reporter not satisfied)
        ├─reject─▶ REJECTED
        ├─mark_duplicate─▶ DUPLICATE
    any open state ─escalate─▶ ESCALATED ─decide (joint meeting)─▶ IN_PROGRESS

Assigning is allowed while an issue is being worked and claims it when still REPORTED.
Comments are allowed in every state.
"""

from __future__ import annotations

from enum import StrEnum

from db.models import IssueStatus as S
from resolvers.errors import BadUserInput
from resolvers.i18n import Text, coded, tr


class IssueAction(StrEnum):
    CLAIM = "claim"
    ASSIGN = "assign"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    REJECT = "reject"
    MARK_DUPLICATE = "mark_duplicate"
    ESCALATE = "escalate"
    DECIDE = "decide"


# What an action is called in a refusal ("Cannot claim an issue that is CLOSED").
ACTION_WORDS: dict[IssueAction, Text] = {
    IssueAction.CLAIM: tr("claim"),
    IssueAction.ASSIGN: tr("assign"),
    IssueAction.START: tr("start"),
    IssueAction.RESOLVE: tr("resolve"),
    IssueAction.CLOSE: tr("close"),
    IssueAction.REOPEN: tr("reopen"),
    IssueAction.REJECT: tr("reject"),
    IssueAction.MARK_DUPLICATE: tr("mark duplicate"),
    IssueAction.ESCALATE: tr("escalate"),
    IssueAction.DECIDE: tr("decide on"),
}

OPEN_STATES = frozenset({S.REPORTED, S.CLAIMED, S.IN_PROGRESS, S.REOPENED, S.ESCALATED})
FINAL_STATES = frozenset({S.CLOSED, S.REJECTED, S.DUPLICATE})

# (action, from) -> to
TRANSITIONS: dict[tuple[IssueAction, S], S] = {
    (IssueAction.CLAIM, S.REPORTED): S.CLAIMED,
    (IssueAction.ASSIGN, S.REPORTED): S.CLAIMED,
    (IssueAction.ASSIGN, S.CLAIMED): S.CLAIMED,
    (IssueAction.ASSIGN, S.IN_PROGRESS): S.IN_PROGRESS,
    (IssueAction.ASSIGN, S.REOPENED): S.REOPENED,
    (IssueAction.START, S.CLAIMED): S.IN_PROGRESS,
    (IssueAction.START, S.REOPENED): S.IN_PROGRESS,
    (IssueAction.RESOLVE, S.IN_PROGRESS): S.RESOLVED,
    (IssueAction.CLOSE, S.RESOLVED): S.CLOSED,
    (IssueAction.REOPEN, S.RESOLVED): S.REOPENED,
    (IssueAction.REJECT, S.REPORTED): S.REJECTED,
    (IssueAction.MARK_DUPLICATE, S.REPORTED): S.DUPLICATE,
    **{(IssueAction.ESCALATE, state): S.ESCALATED for state in OPEN_STATES - {S.ESCALATED}},
    (IssueAction.DECIDE, S.ESCALATED): S.IN_PROGRESS,
}


def next_states(current: S) -> list[S]:
    """Every state reachable from CURRENT in one step, in lifecycle order."""
    order = list(S)
    targets = {to for (_, src), to in TRANSITIONS.items() if src is current and to is not current}
    return sorted(targets, key=order.index)


def transition(action: IssueAction, current: S) -> S:
    """The state ACTION leads to from CURRENT, or BAD_USER_INPUT naming what is allowed."""
    target = TRANSITIONS.get((action, current))
    if target is None:
        allowed = next_states(current)
        onward = coded(*allowed) if allowed else tr("nothing: it is final")
        raise BadUserInput(
            tr(
                "Cannot {action} an issue that is {status}; from {status} it can go to {onward}.",
                action=ACTION_WORDS[action],
                status=coded(current),
                onward=onward,
            ),
            currentStatus=current.value,
            allowedNext=[s.value for s in allowed],
        )
    return target


def is_open(status: S) -> bool:
    return status in OPEN_STATES
