"""The branches' party-building liaisons (黨建指導員) to the firms that serve their compounds.

A's liaison was appointed by the operator with the other positions; B's branch secretary
appoints B's own through appointPosition, as the branch does (the `served` condition).
"""

from __future__ import annotations

from datetime import date

from db.models import PositionTitle as T
from demo.sample.build import DemoCity
from resolvers.positions.actions import AppointPosition, appoint_position


async def load_demo_liaisons(city: DemoCity) -> None:
    """B's secretary (b0) appoints resident b24 as liaison at 鄰安物業, which serves B."""
    await appoint_position(
        await city.as_person("b0"),
        AppointPosition(
            person_id=city.people["b24"].id or 0,
            organisation_id=city.organisations["firm_b"].id or 0,
            title=T.PARTY_BUILDING_LIAISON,
            start_date=date(2024, 3, 1),
        ),
    )
