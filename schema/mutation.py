"""The Mutation root: only the combination of every domain's mutation class.

Every field is declared once in the resolvers (resolvers/mutations.py) and runs through
resolvers.audited.run_mutation; inputs are decoded by schema.mutation_support.decode_input,
so a malformed id is audited too. The order of the
bases is the order of the fields in schema.graphql.
"""

from __future__ import annotations

import strawberry

from schema.co_building.mutations import CoBuildingMutation
from schema.deliberations.mutations import CompoundMeetingMutation
from schema.disclosure.mutations import DisclosureMutation
from schema.evaluations.mutations import EvaluationMutation
from schema.funds.mutations import FundMutation
from schema.issues.mutations import IssueMutation
from schema.love_bank.mutations import LoveBankMutation
from schema.mobilisation.mutations import MobilisationMutation
from schema.organisations.mutations import LinkMutation, OrganisationMutation
from schema.people.mutations import PeopleMutation
from schema.positions.mutations import PositionMutation
from schema.recognition.mutations import RecognitionMutation
from schema.service_posts.mutations import ServicePostMutation
from schema.stations.mutations import StationMutation
from schema.tokens.mutations import TokenMutation
from schema.webhooks.mutations import WebhookMutation


@strawberry.type(description="Change the compound's governance data; every call is audited.")
class Mutation(
    RecognitionMutation,
    TokenMutation,
    WebhookMutation,
    ServicePostMutation,
    CoBuildingMutation,
    DisclosureMutation,
    FundMutation,
    CompoundMeetingMutation,
    MobilisationMutation,
    EvaluationMutation,
    StationMutation,
    LoveBankMutation,
    OrganisationMutation,
    PeopleMutation,
    PositionMutation,
    LinkMutation,
    IssueMutation,
):
    pass
