"""What closes a live connection for its access: a role over a subtree or a membership gone
(not a grant held for another reason), and a close reason cut to what a frame holds."""

from __future__ import annotations

from policies.actor import Actor
from policies.grants import Grant
from resolvers.live import MAX_REASON_BYTES, close_reason, narrowed

MEMBER = Grant("committee", "/1/2/3", "COMMITTEE_MEMBER at /1/2/3")
RESIDENT = Grant("resident", "/1/2/3", "residence")


def actor(*grants: Grant, member_of: tuple[str, ...] = ()) -> Actor:
    return Actor(person_id=7, token_id=1, grants=grants, member_of=member_of)


def test_a_grant_or_a_membership_gone_narrows() -> None:
    before = actor(MEMBER, RESIDENT, member_of=("/1/2/3",))
    assert narrowed(before, actor(RESIDENT, member_of=("/1/2/3",)))
    assert narrowed(before, actor(MEMBER, RESIDENT))


def test_more_access_or_the_same_held_for_another_reason_does_not() -> None:
    before = actor(MEMBER)
    chair = Grant("committee", "/1/2/3", "COMMITTEE_CHAIR at /1/2/3")
    assert not narrowed(before, actor(chair))
    assert not narrowed(before, actor(MEMBER, RESIDENT, member_of=("/1/2/3",)))


def test_a_close_reason_is_cut_between_characters() -> None:
    reason = close_reason("此令牌已被吊销。" * 20)
    assert len(reason.encode()) <= MAX_REASON_BYTES
    assert reason == "此令牌已被吊销。" * 5 + "此"  # 41 whole characters of 3 bytes
    assert close_reason("short") == "short"
