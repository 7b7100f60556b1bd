"""The shape of a caller's grants (policies/actor_shape.py): callers alike but for their
ids share one; ids that coincide in a caller (a domain that is also a workplace) are part
of it; the sentinel actor's ids give back the caller's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policies.actor import Actor
from policies.actor_shape import (
    SENTINEL_BASE,
    Renamed,
    contains_sentinel,
    renamed,
    sentinel,
    substitutable,
    substitute,
)
from policies.grants import Grant

ids = st.integers(min_value=1, max_value=3_000_000)
paths = st.lists(ids, max_size=6).map(lambda parts: "/" + "".join(f"{p}/" for p in parts))
roles = st.sampled_from(["resident", "secretary", "self", "property_firm"])
actors = st.builds(
    Actor,
    person_id=st.none() | ids,
    grants=st.lists(
        st.builds(Grant, roles, paths, st.sampled_from(["residence", "signed in"])), max_size=4
    ).map(tuple),
    member_of=st.lists(paths, max_size=3).map(tuple),
    partner_organisation_id=st.none() | ids,
    allowed_actions=st.none() | st.just(frozenset({("issue", "read")})),
)


def _renamed(actor: Actor) -> Renamed:
    found = renamed(actor)
    assert found is not None
    return found


@given(actors)
def test_the_sentinel_actor_has_the_callers_shape(actor: Actor) -> None:
    shape = _renamed(actor)
    # Its sentinels numbered 1, 2, 3... (a sentinel actor itself is not renamed again).
    numbered = {key: key - SENTINEL_BASE for key in shape.real}
    sentinel_actor = shape.actor
    person, partner = sentinel_actor.person_id, sentinel_actor.partner_organisation_id
    alike = Actor(
        person_id=None if person is None else numbered[person],
        grants=tuple(
            Grant(g.role, substitute(g.domain, numbered), g.source) for g in sentinel_actor.grants
        ),
        member_of=tuple(substitute(path, numbered) for path in sentinel_actor.member_of),
        partner_organisation_id=None if partner is None else numbered[partner],
        allowed_actions=sentinel_actor.allowed_actions,
    )
    assert _renamed(alike).shape == shape.shape
    assert renamed(sentinel_actor) is None or not shape.real


@given(actors)
def test_the_sentinel_actors_access_gives_back_the_callers(actor: Actor) -> None:
    shape = _renamed(actor)
    sentinel_actor = shape.actor
    assert substitute(sentinel_actor.person_id or 0, shape.real) == (actor.person_id or 0)
    assert substitute(list(sentinel_actor.member_of), shape.real) == list(actor.member_of)
    assert [substitute(g.domain, shape.real) for g in sentinel_actor.grants] == [
        g.domain for g in actor.grants
    ]
    assert [g.role for g in sentinel_actor.grants] == [g.role for g in actor.grants]
    partner = sentinel_actor.partner_organisation_id
    assert (None if partner is None else substitute(partner, shape.real)) == (
        actor.partner_organisation_id
    )
    assert sentinel_actor.allowed_actions == actor.allowed_actions


@given(actors, st.data())
def test_renaming_the_ids_keeps_the_shape(actor: Actor, data: st.DataObject) -> None:
    # Any one-to-one renaming of the caller's ids: another caller of the same shape.
    shape = _renamed(actor)
    fresh = data.draw(
        st.lists(ids, min_size=len(shape.real), max_size=len(shape.real), unique=True)
    )
    other = dict(zip(shape.real.keys(), fresh, strict=True))
    twin = Actor(
        person_id=None if actor.person_id is None else other[shape.actor.person_id or 0],
        grants=tuple(
            Grant(g.role, substitute(g.domain, other), "elsewhere") for g in shape.actor.grants
        ),
        member_of=tuple(substitute(path, other) for path in shape.actor.member_of),
        partner_organisation_id=None
        if actor.partner_organisation_id is None
        else other[shape.actor.partner_organisation_id or 0],
        allowed_actions=actor.allowed_actions,
    )
    assert _renamed(twin).shape == shape.shape


@given(st.lists(ids | paths | st.lists(ids | paths, max_size=3), max_size=4), st.data())
def test_substitution_round_trips(values: list[object], data: st.DataObject) -> None:
    # Some of the ids VALUES name respelled as sentinels, and given back by substitution.
    chosen = data.draw(st.lists(ids, max_size=8, unique=True))
    real = {sentinel(n): value for n, value in enumerate(chosen)}
    as_sentinels = _respelled(values, {value: key for key, value in real.items()})
    assert substitutable(as_sentinels)
    assert not contains_sentinel(values)
    assert substitute(as_sentinels, real) == values


def _respelled(value: object, back: dict[int, int]) -> object:
    if isinstance(value, int):
        return back.get(value, value)
    if isinstance(value, str):
        return "/" + "".join(
            f"{back.get(int(part), int(part))}/" for part in value.strip("/").split("/") if part
        )
    assert isinstance(value, list)
    return [_respelled(item, back) for item in value]


def test_a_domain_that_is_also_a_workplace_is_another_shape() -> None:
    grants = (Grant("secretary", "/1/2/", "SECRETARY"),)
    at_the_domain = Actor(person_id=5, grants=grants, member_of=("/1/2/",))
    elsewhere = Actor(person_id=5, grants=grants, member_of=("/1/3/",))
    assert _renamed(at_the_domain).shape != _renamed(elsewhere).shape


def test_a_person_whose_id_is_an_organisations_is_another_shape() -> None:
    grants = (Grant("resident", "/1/2/", "residence"),)
    coinciding = _renamed(Actor(person_id=2, grants=grants))
    apart = _renamed(Actor(person_id=7, grants=grants))
    assert coinciding.shape != apart.shape


def test_residents_of_two_compounds_share_a_shape() -> None:
    one = Actor(person_id=70, grants=(Grant("resident", "/1/2/3/4/9/10/", "residence"),))
    two = Actor(person_id=90, grants=(Grant("resident", "/1/2/3/4/32/33/", "residence"),))
    assert _renamed(one).shape == _renamed(two).shape


def test_a_domain_not_spelled_as_a_path_is_not_renamed() -> None:
    assert renamed(Actor(person_id=1, grants=(Grant("resident", "1/2", "residence"),))) is None
    assert renamed(Actor(person_id=sentinel(0))) is None


def test_sentinels_are_read_whole_in_a_range_end() -> None:
    # A subtree's upper end replaces the path's last "/" with "0" (db/paths.py).
    real = {sentinel(0): 1, sentinel(1): 2}
    assert substitute(f"/{sentinel(0)}/{sentinel(1)}0", real) == "/1/20"


@given(actors)
def test_the_twin_read_as_the_actor_is_the_sentinel_actor(actor: Actor) -> None:
    shape = _renamed(actor)
    twin, sentinel_actor = shape.twin, shape.actor
    assert not set(shape.from_twin) & set(shape.real)
    assert [substitute(g.domain, shape.from_twin) for g in twin.grants] == [
        g.domain for g in sentinel_actor.grants
    ]
    assert substitute(list(twin.member_of), shape.from_twin) == list(sentinel_actor.member_of)
    person = twin.person_id
    assert (None if person is None else shape.from_twin[person]) == sentinel_actor.person_id
