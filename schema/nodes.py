"""Fetching any node by type name and id, through the per-request DataLoaders (scoped)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strawberry import relay
from strawberry.dataloader import DataLoader

from resolvers.context import RequestContext
from schema import loaders
from schema.co_building.types import CoBuildingNeedType, CoBuildingProjectType
from schema.evaluations.standing_types import FirmStandingType
from schema.evaluations.types import EvaluationCriterionType, EvaluationType
from schema.issues.meeting_types import JointMeetingType
from schema.issues.types import IssueEventType, IssueType
from schema.love_bank.types import LedgerEntryType, RewardType, VolunteerServiceType
from schema.organisations.link_types import OrganisationLinkType
from schema.organisations.types import OrganisationType
from schema.people.types import PersonType
from schema.positions.types import PositionType
from schema.service_posts.types import PostClaimType, ServicePostType, ServiceRegistrationType
from schema.stations.types import StationDutyType, StationType
from schema.tokens.types import ApiTokenType

# GraphQL type name -> (its DataLoader, how a row becomes the type)
NODE_TYPES: dict[
    str, tuple[Callable[[RequestContext], DataLoader[int, Any]], Callable[[Any], relay.Node]]
] = {
    "Organisation": (loaders.organisation, OrganisationType.from_row),
    "Person": (loaders.person, PersonType.from_row),
    "Position": (loaders.position, PositionType.from_row),
    "OrganisationLink": (loaders.link, OrganisationLinkType.from_row),
    "Issue": (loaders.issue, IssueType.from_row),
    "IssueEvent": (loaders.issue_event, IssueEventType.from_row),
    "JointMeeting": (loaders.meeting, JointMeetingType.from_row),
    "ApiToken": (loaders.token, ApiTokenType.from_row),
    "AuditEntry": (loaders.audit_entry, lambda row: _audit_entry_type().from_row(row)),
    "ServiceRegistration": (loaders.service_registration, ServiceRegistrationType.from_row),
    "ServicePost": (loaders.service_post, ServicePostType.from_row),
    "PostClaim": (loaders.post_claim, PostClaimType.from_row),
    "CoBuildingNeed": (loaders.co_building_need, CoBuildingNeedType.from_row),
    "CoBuildingProject": (loaders.co_building_project, CoBuildingProjectType.from_row),
    "Evaluation": (loaders.evaluation, EvaluationType.from_row),
    "EvaluationCriterion": (loaders.evaluation_criterion, EvaluationCriterionType.from_row),
    "FirmStanding": (loaders.firm_standing, FirmStandingType.from_row),
    "Station": (loaders.station, StationType.from_row),
    "StationDuty": (loaders.station_duty, StationDutyType.from_row),
    "VolunteerService": (loaders.volunteer_service, VolunteerServiceType.from_row),
    "Reward": (loaders.reward, RewardType.from_row),
    "LedgerEntry": (loaders.ledger_entry, LedgerEntryType.from_row),
}


def _audit_entry_type() -> Any:
    # schema.audit.types shows entries' resources as nodes, so it imports this module.
    from schema.audit.types import AuditEntryType

    return AuditEntryType


# The audit log's resource types and the GraphQL types they are.
RESOURCE_TYPE_NAMES = {
    "organisation": "Organisation",
    "person": "Person",
    "position": "Position",
    "link": "OrganisationLink",
    "issue": "Issue",
    "meeting": "JointMeeting",
    "token": "ApiToken",
    "service_registration": "ServiceRegistration",
    "service_post": "ServicePost",
    "post_claim": "PostClaim",
    "need": "CoBuildingNeed",
    "project": "CoBuildingProject",
    "evaluation": "Evaluation",
    "standing": "FirmStanding",
    "station": "Station",
    "station_duty": "StationDuty",
    "volunteer_service": "VolunteerService",
    "reward": "Reward",
    "ledger_entry": "LedgerEntry",
}


async def load_node(ctx: RequestContext, type_name: str, node_id: int) -> relay.Node | None:
    """The node, or None when the type is unknown, the row is gone or the caller may not see it."""
    entry = NODE_TYPES.get(type_name)
    if entry is None:
        return None
    loader, from_row = entry
    row = await loader(ctx).load(node_id)
    return from_row(row) if row is not None else None
