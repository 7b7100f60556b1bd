"""Mutations of mobilisation (一聲令下); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.mobilisation import actions
from resolvers.mobilisation.actions import (
    ACKNOWLEDGE_MOBILISATION,
    CLOSE_MOBILISATION,
    REPORT_MOBILISATION,
    SEND_MOBILISATION,
)
from schema.context import Info
from schema.mobilisation.inputs import (
    AcknowledgeMobilisationInput,
    CloseMobilisationInput,
    ReportMobilisationInput,
    SendMobilisationInput,
)
from schema.mobilisation.types import MobilisationRecipientType, MobilisationType
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type(description="Mobilisation.")
class MobilisationMutation:
    @declared(
        SEND_MOBILISATION,
        "Send a call to action to the chosen groups of a subtree; the people called on are "
        "fixed now, one each, and each hears of it in myNotifications (mobilisation.sent).",
    )
    async def send_mobilisation(
        self,
        info: Info,
        input: Annotated[SendMobilisationInput, strawberry.argument(description=INPUT)],
    ) -> MobilisationType:
        data = await decode_input(info, SEND_MOBILISATION, input, input.to_domain)
        return MobilisationType.from_row(await actions.send_mobilisation(info.context, data))

    @declared(
        ACKNOWLEDGE_MOBILISATION,
        "Acknowledge a mobilisation that called on you; acknowledging again changes nothing. "
        "Refused (BAD_USER_INPUT) once it is closed.",
    )
    async def acknowledge_mobilisation(
        self,
        info: Info,
        input: Annotated[AcknowledgeMobilisationInput, strawberry.argument(description=INPUT)],
    ) -> MobilisationRecipientType:
        data = await decode_input(info, ACKNOWLEDGE_MOBILISATION, input, input.to_domain)
        row = await actions.acknowledge_mobilisation(info.context, data)
        return MobilisationRecipientType.from_row(row)

    @declared(
        REPORT_MOBILISATION,
        "Report back on a mobilisation that called on you (acknowledging it, if you had not); "
        "a later report replaces the earlier one while it is open. Refused (BAD_USER_INPUT) "
        "once it is closed.",
    )
    async def report_mobilisation(
        self,
        info: Info,
        input: Annotated[ReportMobilisationInput, strawberry.argument(description=INPUT)],
    ) -> MobilisationRecipientType:
        data = await decode_input(info, REPORT_MOBILISATION, input, input.to_domain)
        row = await actions.report_mobilisation(info.context, data)
        return MobilisationRecipientType.from_row(row)

    @declared(
        CLOSE_MOBILISATION,
        "Close a mobilisation your body sent: it takes no more answers.",
    )
    async def close_mobilisation(
        self,
        info: Info,
        input: Annotated[CloseMobilisationInput, strawberry.argument(description=INPUT)],
    ) -> MobilisationType:
        data = await decode_input(info, CLOSE_MOBILISATION, input, input.to_domain)
        return MobilisationType.from_row(await actions.close_mobilisation(info.context, data))
