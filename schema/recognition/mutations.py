"""Mutations of mentoring and commendations; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.recognition import commendations, mentoring
from resolvers.recognition.commendations import COMMEND, WITHDRAW_COMMENDATION
from resolvers.recognition.mentoring import END_MENTORING, PAIR_MENTOR
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
from schema.recognition.inputs import (
    CommendInput,
    EndMentoringInput,
    PairMentorInput,
    WithdrawCommendationInput,
)
from schema.recognition.types import CommendationType, MentorPairType

REASON = "A refusal's `extensions.reason` says which rule it broke"


@strawberry.type(description="Mentoring and commendations.")
class RecognitionMutation:
    @declared(
        PAIR_MENTOR,
        "Pair an experienced secretary (the mentor) with a new secretary, deputy or branch "
        "committee member of a compound's party branch (導師幫帶).",
        f"{REASON}: MENTOR_NOT_EXPERIENCED, MENTEE_NOT_IN_BRANCH (BAD_USER_INPUT), "
        "ALREADY_PAIRED (CONFLICT: the two are paired over an overlapping period).",
    )
    async def pair_mentor(
        self, info: Info, input: Annotated[PairMentorInput, strawberry.argument(description=INPUT)]
    ) -> MentorPairType:
        data = await decode_input(info, PAIR_MENTOR, input, input.to_domain)
        return MentorPairType.from_row(await mentoring.pair_mentor(info.context, data))

    @declared(
        END_MENTORING,
        "End a mentoring today or on a day already past.",
        f"{REASON}: ALREADY_ENDED (BAD_USER_INPUT).",
    )
    async def end_mentoring(
        self,
        info: Info,
        input: Annotated[EndMentoringInput, strawberry.argument(description=INPUT)],
    ) -> MentorPairType:
        data = await decode_input(info, END_MENTORING, input, input.to_domain)
        return MentorPairType.from_row(await mentoring.end_mentoring(info.context, data))

    @declared(
        COMMEND,
        "Record an honour of 兩優一先 given to a party member living in a compound or to a "
        "compound's party branch.",
        f"{REASON}: WRONG_RECIPIENT, NOT_A_PARTY_MEMBER, AWARDER_NOT_ABOVE (BAD_USER_INPUT), "
        "ALREADY_COMMENDED (CONFLICT: the same honour from the same organisation that year).",
    )
    async def commend(
        self, info: Info, input: Annotated[CommendInput, strawberry.argument(description=INPUT)]
    ) -> CommendationType:
        data = await decode_input(info, COMMEND, input, input.to_domain)
        return CommendationType.from_row(await commendations.commend(info.context, data))

    @declared(
        WITHDRAW_COMMENDATION,
        "Withdraw a commendation recorded in error, saying why; it stays on record.",
        f"{REASON}: ALREADY_WITHDRAWN (BAD_USER_INPUT).",
    )
    async def withdraw_commendation(
        self,
        info: Info,
        input: Annotated[WithdrawCommendationInput, strawberry.argument(description=INPUT)],
    ) -> CommendationType:
        data = await decode_input(info, WITHDRAW_COMMENDATION, input, input.to_domain)
        return CommendationType.from_row(
            await commendations.withdraw_commendation(info.context, data)
        )
