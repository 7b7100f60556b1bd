"""The supervisory board's chair (SUPERVISORY_BOARD_CHAIR): appointed like the board's members,
holding the one chair's seat that COMMITTEE_CHAIR on a board also holds, granting what a
member has."""

from __future__ import annotations

from db import clock
from policies.grants import COMMITTEE_MEMBER, load_grants
from resolvers.evaluations.results import SCORING_TITLES
from tests.helpers import Api
from tests.position_helpers import (
    appoint,
    end,
    holder_position,
    last_entry,
    org_ending,
    position_count,
    resident,
)

BOARD = "業主監事會"


async def _free_the_chair(api: Api) -> None:
    """End the demo chair's term (resident a12 of A) so the seat is free today."""
    board = await org_ending(api, BOARD, "a")
    chair = await holder_position(api, board, "SUPERVISORY_BOARD_CHAIR")
    (await end(api, chair, "secretary")).ok()


async def test_secretary_appoints_the_board_chair_and_it_is_audited(api: Api) -> None:
    await _free_the_chair(api)
    board = await org_ending(api, BOARD, "a")
    person = await resident(api, 13, "a")
    result = await appoint(api, person, board, "SUPERVISORY_BOARD_CHAIR", "secretary")
    assert result.ok()["appointPosition"]["title"] == "SUPERVISORY_BOARD_CHAIR"
    entry = await last_entry(api)
    assert (entry.operation, entry.outcome, entry.role) == (
        "appointPosition",
        "SUCCESS",
        "secretary",
    )
    assert entry.organisation_id == board
    # The chair acts as a board member does: committee_member over the whole compound.
    async with api.db.read_sessions() as session:
        grants = await load_grants(session, person, clock.today())
    assert any(g.role == COMMITTEE_MEMBER for g in grants)
    assert "SUPERVISORY_BOARD_CHAIR" in SCORING_TITLES


async def test_committee_chair_on_a_board_still_works(api: Api) -> None:
    await _free_the_chair(api)
    board = await org_ending(api, BOARD, "a")
    result = await appoint(api, await resident(api, 13, "a"), board, "COMMITTEE_CHAIR", "secretary")
    assert result.ok()["appointPosition"]["title"] == "COMMITTEE_CHAIR"


async def test_both_titles_hold_one_seat(api: Api) -> None:
    board = await org_ending(api, BOARD, "a")
    count = await position_count(api)
    for title in ("SUPERVISORY_BOARD_CHAIR", "COMMITTEE_CHAIR"):
        result = await appoint(api, await resident(api, 13, "a"), board, title, "secretary")
        assert result.codes == ["CONFLICT"], title
        assert "one holder at a time" in result.errors[0]["message"]
        entry = await last_entry(api)
        assert (entry.outcome, entry.error_code) == ("REJECTED", "CONFLICT")
    assert await position_count(api) == count


async def test_the_title_fits_a_board_only(api: Api) -> None:
    committee = await org_ending(api, "業主委員會", "a")
    result = await appoint(
        api, await resident(api, 13, "a"), committee, "SUPERVISORY_BOARD_CHAIR", "secretary"
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "SUPERVISORY_BOARD_CHAIR belongs to a SUPERVISORY_BOARD" in result.errors[0]["message"]


async def test_another_compounds_secretary_cannot_appoint_and_nothing_is_written(
    api: Api,
) -> None:
    await _free_the_chair(api)
    board = await org_ending(api, BOARD, "a")
    count = await position_count(api)
    for caller in ("secretary_b", "resident", "committee_member_b"):
        result = await appoint(
            api, await resident(api, 13, "a"), board, "SUPERVISORY_BOARD_CHAIR", caller
        )
        assert result.codes in (["FORBIDDEN"], ["NOT_FOUND"]), caller
        entry = await last_entry(api)
        assert entry.operation == "appointPosition"
        assert entry.outcome in ("DENIED", "REJECTED")
        assert entry.changes == []
    assert await position_count(api) == count
