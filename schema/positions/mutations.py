"""Mutations of positions; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.positions import actions as positions_actions
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
from schema.positions.inputs import AppointPositionInput, EndPositionInput
from schema.positions.types import PositionType


@strawberry.type
class PositionMutation:
    @declared(
        positions_actions.APPOINT_POSITION,
        "Appoint a person to a title.",
        "A single-holder title (SECRETARY, COMMITTEE_CHAIR, SUPERVISORY_BOARD_CHAIR) with an "
        "overlapping holder is a CONFLICT; on a supervisory board COMMITTEE_CHAIR and "
        "SUPERVISORY_BOARD_CHAIR hold the one chair's seat (use SUPERVISORY_BOARD_CHAIR; "
        "COMMITTEE_CHAIR there is kept for existing records).",
    )
    async def appoint_position(
        self,
        info: Info,
        input: Annotated[AppointPositionInput, strawberry.argument(description=INPUT)],
    ) -> PositionType:
        data = await decode_input(info, positions_actions.APPOINT_POSITION, input, input.to_domain)
        return PositionType.from_row(await positions_actions.appoint_position(info.context, data))

    @declared(
        positions_actions.END_POSITION, "End a position; the access it granted ends that day."
    )
    async def end_position(
        self, info: Info, input: Annotated[EndPositionInput, strawberry.argument(description=INPUT)]
    ) -> PositionType:
        data = await decode_input(info, positions_actions.END_POSITION, input, input.to_domain)
        return PositionType.from_row(await positions_actions.end_position(info.context, data))
