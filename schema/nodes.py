"""Fetching any node by type name and id, through the per-request DataLoaders (scoped)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strawberry import relay
from strawberry.dataloader import DataLoader

from resolvers.context import RequestContext
from schema import loaders
from schema.types.issue import IssueEventType, IssueType
from schema.types.link import OrganisationLinkType
from schema.types.love_bank import LedgerEntryType, RewardType, VolunteerServiceType
from schema.types.meeting import JointMeetingType
from schema.types.organisation import OrganisationType
from schema.types.person import PersonType
from schema.types.position import PositionType
from schema.types.station import StationDutyType, StationType

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
    "Station": (loaders.station, StationType.from_row),
    "StationDuty": (loaders.station_duty, StationDutyType.from_row),
    "VolunteerService": (loaders.volunteer_service, VolunteerServiceType.from_row),
    "Reward": (loaders.reward, RewardType.from_row),
    "LedgerEntry": (loaders.ledger_entry, LedgerEntryType.from_row),
}

# The audit log's resource types and the GraphQL types they are.
RESOURCE_TYPE_NAMES = {
    "organisation": "Organisation",
    "person": "Person",
    "position": "Position",
    "link": "OrganisationLink",
    "issue": "Issue",
    "meeting": "JointMeeting",
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
