"""What a caller sends to report for service and to publish, claim and fulfil a post,
and who is in service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from db.models import (
    PartyMembership,
    PartyMemberStatus,
    Person,
    ServicePostKind,
    Weekday,
)

MAX_CAPACITY = 100
WEEK = tuple(Weekday)


@dataclass(frozen=True)
class ReportForService:
    compound_id: int | None = None
    skills: list[str] | None = None
    availability: str | None = None


@dataclass(frozen=True)
class Schedule:
    starts_on: date
    ends_on: date | None = None
    weekdays: list[Weekday] = field(default_factory=list)
    description: str | None = None


@dataclass(frozen=True)
class PublishServicePost:
    compound_id: int
    kind: ServicePostKind
    title: str
    capacity: int
    schedule: Schedule
    description: str | None = None


@dataclass(frozen=True)
class ClaimServicePost:
    post_id: int


@dataclass(frozen=True)
class RecordPostFulfilment:
    served_on: date
    hours: float
    claim_id: int | None = None
    post_id: int | None = None
    person_id: int | None = None
    note: str | None = None


def is_in_service(person: Person) -> bool:
    return (
        person.party_membership is PartyMembership.MEMBER
        and person.party_member_status is PartyMemberStatus.IN_SERVICE
    )
