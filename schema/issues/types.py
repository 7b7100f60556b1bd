"""The Issue node (one resident problem) and its timeline."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from db.models import (
    Issue,
    IssueCategory,
    IssueChannel,
    IssueEvent,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
)
from db.types import utcnow
from resolvers.i18n import translate
from resolvers.issues import queries as issues
from resolvers.issues.lifecycle import next_states
from resolvers.issues.summaries import triage_summary
from resolvers.pagination import Window
from schema.audit import loaders as audit_loaders
from schema.audit.trail import audit_trail_field
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.common.ready import ready, ready_after
from schema.context import Info
from schema.ids import encode_id
from schema.issues import loaders
from schema.issues.photo_types import PhotoType
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType

if TYPE_CHECKING:
    from schema.deliberations.types import CompoundMeetingItemType
    from schema.issues.meeting_types import JointMeetingType

MeetingRef = Annotated["JointMeetingType", strawberry.lazy("schema.issues.meeting_types")]
DeliberationRef = Annotated[
    "CompoundMeetingItemType", strawberry.lazy("schema.deliberations.types")
]

REPORTER_NOTE = (
    "Only for those who may know who reported the issue (permission issue:read_reporter: the "
    "reporter, the compound's branch and committees, the firm it is assigned to, supervisors); "
    "null otherwise, noted in `extensions.maskedFields`."
)


async def _reporter_known(info: Info, issue_id: int, field: str) -> bool:
    known = await loaders.reporter_visible(info.context).load(issue_id)
    if not known:
        info.context.masked_fields.add(field)
    return known


@strawberry.type(
    name="IssueEvent",
    description="One entry of an issue's timeline, visible to whoever may see the issue.",
)
class IssueEventType(relay.Node):
    id: relay.NodeID[int]
    kind: IssueEventKind = strawberry.field(description="What happened.")
    from_status: IssueStatus | None = strawberry.field(description="Status before, for a move.")
    to_status: IssueStatus | None = strawberry.field(description="Status after, for a move.")
    body: str | None = strawberry.field(description="The comment, note, reason or decision.")
    attachment_url: str | None = strawberry.field(description="A linked photo or document.")
    created_at: datetime = strawberry.field(description="When it happened (UTC).")
    from_priority: IssuePriority | None = strawberry.field(
        description="Priority before, for a TRIAGE."
    )
    to_priority: IssuePriority | None = strawberry.field(
        description="Priority after, for a TRIAGE."
    )
    from_category: IssueCategory | None = strawberry.field(
        description="Category before, for a TRIAGE."
    )
    to_category: IssueCategory | None = strawberry.field(
        description="Category after, for a TRIAGE."
    )
    from_due_at: datetime | None = strawberry.field(description="Due time before, for a TRIAGE.")
    to_due_at: datetime | None = strawberry.field(description="Due time after, for a TRIAGE.")
    _row: strawberry.Private[IssueEvent]

    @classmethod
    def from_row(cls, row: IssueEvent) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            from_status=row.from_status,
            to_status=row.to_status,
            body=row.body,
            attachment_url=row.attachment_url,
            created_at=row.created_at,
            from_priority=row.from_priority,
            to_priority=row.to_priority,
            from_category=row.from_category,
            to_category=row.to_category,
            from_due_at=row.from_due_at,
            to_due_at=row.to_due_at,
            _row=row,
        )

    @strawberry.field(
        description="What a TRIAGE changed, in one sentence in the language Accept-Language "
        "chose (优先级：普通 → 紧急…); null for other kinds (their `body` says it)."
    )
    def summary(self, info: Info) -> str | None:
        text = triage_summary(self._row)
        return None if text is None else translate(text, info.context.locale)

    @strawberry.field(
        description="Who acted, if you may see them; null when a partner unit acted through a "
        "token (`actorOrganisation` is then the unit and `actorToken` the token: the token's "
        "issuer did not act). When the actor is the issue's reporter: " + REPORTER_NOTE
    )
    async def actor(self, info: Info) -> PersonType | None:
        person_id = self._row.actor_person_id
        if person_id is None or self._row.actor_token_id is not None:
            return None
        issue = await loaders.issue(info.context).load(self._row.issue_id)
        is_reporter = issue is not None and issue.reporter_id == person_id
        if is_reporter and not await _reporter_known(info, self._row.issue_id, "IssueEvent.actor"):
            return None
        row = await people_loaders.person(info.context).load(person_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(
        description="The organisation the actor spoke for (a claiming body, the firm)."
    )
    async def actor_organisation(self, info: Info) -> OrganisationType | None:
        if self._row.actor_organisation_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(
            self._row.actor_organisation_id
        )
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="The global id of the token a partner unit acted through, if it did."
    )
    def actor_token(self) -> strawberry.ID | None:
        token_id = self._row.actor_token_id
        return None if token_id is None else encode_id("ApiToken", token_id)

    @strawberry.field(description="The photo uploaded with this entry, if any.")
    async def photo(self, info: Info) -> PhotoType | None:
        secret_key = info.context.secret_key
        if self._row.id is None or secret_key is None:
            return None
        row = await loaders.event_photo(info.context).load(self._row.id)
        return PhotoType.from_row(row, secret_key) if row else None

    @strawberry.field(description="The name of that token, as its issuer named it.")
    async def actor_token_name(self, info: Info) -> str | None:
        token_id = self._row.actor_token_id
        if token_id is None:
            return None
        return await audit_loaders.names(info.context).load(("token", token_id))

    @strawberry.field(description="The joint meeting this escalation or decision belongs to.")
    async def meeting(self, info: Info) -> MeetingRef | None:
        from schema.issues.meeting_types import JointMeetingType

        if self._row.meeting_id is None:
            return None
        row = await loaders.meeting(info.context).load(self._row.meeting_id)
        return JointMeetingType.from_row(row) if row else None


@strawberry.type(
    name="Issue",
    description="A resident problem (居民問題清單) from report to confirmation. Readable by the "
    "compound's residents (without the reporter's identity unless it is theirs), its branch and "
    "committees, the firm it is assigned to (in compounds the firm serves), supervisors above "
    "it (permission issue:read). Its `status` follows the lifecycle described on IssueStatus.",
)
class IssueType(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="Short statement of the problem.")
    description: str = strawberry.field(description="Details, as reported.")
    channel: IssueChannel = strawberry.field(description="How it came in.")
    category: IssueCategory = strawberry.field(description="What it is about.")
    priority: IssuePriority = strawberry.field(description="How pressing it is.")
    status: IssueStatus = strawberry.field(description="Where it stands in the lifecycle.")
    due_at: datetime = strawberry.field(
        description="When it should be resolved: fixed at report time from priority and "
        "category (the SLA table); a joint meeting's decision or a triage (triageIssue) moves it."
    )
    created_at: datetime = strawberry.field(description="When it was reported (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    claimed_at: datetime | None = strawberry.field(description="When it was first claimed.")
    resolved_at: datetime | None = strawberry.field(description="When it was last resolved.")
    closed_at: datetime | None = strawberry.field(description="When the reporter closed it.")
    satisfaction: int | None = strawberry.field(
        description="The reporter's rating, 1 (poor) to 5 (very satisfied), given on closing."
    )
    rejection_reason: str | None = strawberry.field(description="Why it was rejected.")
    time_to_claim_seconds: int | None = strawberry.field(
        description="Seconds from report to first claim."
    )
    time_to_resolve_seconds: int | None = strawberry.field(
        description="Seconds from report to the latest resolution."
    )
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion` so a "
        "concurrent change is a CONFLICT rather than a lost update."
    )
    _row: strawberry.Private[Issue]

    @classmethod
    def from_row(cls, row: Issue) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            title=row.title,
            description=row.description,
            channel=row.channel,
            category=row.category,
            priority=row.priority,
            status=row.status,
            due_at=row.due_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            claimed_at=row.claimed_at,
            resolved_at=row.resolved_at,
            closed_at=row.closed_at,
            satisfaction=row.satisfaction,
            rejection_reason=row.rejection_reason,
            time_to_claim_seconds=row.claim_seconds,
            time_to_resolve_seconds=row.resolve_seconds,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Whether it is open and past its due time.")
    def overdue(self) -> bool:
        return issues.is_overdue(self._row, utcnow())

    @strawberry.field(description="The statuses it may move to next, by the lifecycle.")
    def allowed_next_statuses(self) -> list[IssueStatus]:
        return next_states(self.status)

    # Related rows answer synchronously once the list has prefetched them (schema.common.ready).
    @strawberry.field(description="The compound where it was reported.")
    def compound(self, info: Info) -> OrganisationType | None:
        return ready(
            organisations_loaders.organisation(info.context),
            self._row.compound_id,
            OrganisationType.from_row,
        )

    @strawberry.field(description="The building, if given.")
    def building(self, info: Info) -> OrganisationType | None:
        if self._row.building_id is None:
            return None
        return ready(
            organisations_loaders.organisation(info.context),
            self._row.building_id,
            OrganisationType.from_row,
        )

    @strawberry.field(description="Who reported it. " + REPORTER_NOTE)
    def reporter(self, info: Info) -> PersonType | None:
        ctx = info.context

        def known() -> PersonType | None:
            return ready(people_loaders.person(ctx), self._row.reporter_id, PersonType.from_row)

        def masked() -> None:
            ctx.masked_fields.add("Issue.reporter")

        return ready_after(loaders.reporter_visible(ctx), self.id, known, masked)

    @strawberry.field(description="The organisation that claimed it or was assigned it.")
    def assignee(self, info: Info) -> OrganisationType | None:
        if self._row.assignee_organisation_id is None:
            return None
        return ready(
            organisations_loaders.organisation(info.context),
            self._row.assignee_organisation_id,
            OrganisationType.from_row,
        )

    @strawberry.field(description="The person in the assignee organisation who handles it.")
    def assignee_person(self, info: Info) -> PersonType | None:
        if self._row.assignee_person_id is None:
            return None
        return ready(
            people_loaders.person(info.context),
            self._row.assignee_person_id,
            PersonType.from_row,
        )

    @strawberry.field(description="The original, when this one is a DUPLICATE.")
    async def duplicate_of(self, info: Info) -> IssueType | None:
        if self._row.duplicate_of_id is None:
            return None
        row = await loaders.issue(info.context).load(self._row.duplicate_of_id)
        return IssueType.from_row(row) if row else None

    @strawberry.field(description="The newest timeline entry.")
    def last_event(self, info: Info) -> IssueEventType | None:
        return ready(loaders.last_event(info.context), self.id, IssueEventType.from_row)

    @strawberry.field(
        description="The matters about it on party branch and owners' committee meetings "
        "(小區黨支部先議) you may read, oldest first: the deliberations that cover it."
    )
    async def deliberations(self, info: Info) -> list[DeliberationRef]:
        from schema.deliberations import loaders as deliberation_loaders
        from schema.deliberations.types import CompoundMeetingItemType

        rows = await deliberation_loaders.deliberations(info.context).load(self.id)
        return [CompoundMeetingItemType.from_row(row) for row in rows]

    @strawberry.field(description="Everything that happened to it, oldest first.")
    async def timeline(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[IssueEventType]:
        page = await issues.timeline(info.context, self.id, Window(first, after, last, before))
        return to_connection(page, IssueEventType.from_row)

    audit_trail = audit_trail_field("issue")


register_node("issue", IssueType, loaders.issue)
register_node("issue_event", IssueEventType, loaders.issue_event)
