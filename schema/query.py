"""The Query root: only the combination of every domain's query class.

The order of the bases is the order of the fields in schema.graphql.
"""

from __future__ import annotations

import strawberry

from schema.audit.queries import AuditQuery
from schema.co_building.queries import CoBuildingQuery
from schema.common.labels import LabelQuery
from schema.common.queries import NodeQuery
from schema.deliberations.queries import CompoundMeetingQuery
from schema.disclosure.queries import DisclosureQuery
from schema.evaluations.queries import EvaluationQuery
from schema.funds.queries import FundQuery
from schema.indicators.queries import IndicatorsQuery
from schema.issues.queries import IssueQuery
from schema.love_bank.queries import LoveBankQuery
from schema.mobilisation.queries import MobilisationQuery
from schema.organisations.queries import OrganisationQuery
from schema.people.queries import PeopleQuery, ViewerQuery
from schema.positions.queries import PositionQuery
from schema.recognition.queries import RecognitionQuery
from schema.service_posts.queries import ServicePostQuery
from schema.stations.queries import StationQuery
from schema.tokens.queries import TokenQuery
from schema.webhooks.queries import WebhookQuery


@strawberry.type(description="Read the compound's governance data, scoped to what you may see.")
class Query(
    RecognitionQuery,
    TokenQuery,
    WebhookQuery,
    ServicePostQuery,
    CoBuildingQuery,
    DisclosureQuery,
    FundQuery,
    CompoundMeetingQuery,
    MobilisationQuery,
    EvaluationQuery,
    StationQuery,
    LoveBankQuery,
    IndicatorsQuery,
    ViewerQuery,
    NodeQuery,
    LabelQuery,
    OrganisationQuery,
    PeopleQuery,
    PositionQuery,
    IssueQuery,
    AuditQuery,
):
    pass
