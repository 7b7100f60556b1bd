"""The Issue, IssueEvent and JointMeeting fields compiled reads build in SQL
(schema/compiled).

Related rows are read as the DataLoaders read them: the compound, building and assignee
as organisations the caller may read, the reporter only where issue:read_reporter allows
(else null and noted in maskedFields), the newest timeline entry of the (visible) issue;
a joint meeting's host as an organisation the caller may read (its participants and agenda
are answered by the resolvers). The audit trails are schema/audit/compiled.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import col

from db.models import (
    Issue,
    IssueCategory,
    IssueChannel,
    IssueEvent,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
    JointMeeting,
    MeetingStatus,
)
from resolvers.context import RequestContext
from resolvers.issues import queries as issues
from resolvers.issues.lifecycle import next_states
from schema.audit.compiled import audit_trail
from schema.compiled.nested import NestedConnection
from schema.compiled.objects import (
    ObjectSpec,
    boolean,
    enum,
    enum_list_by,
    global_id,
    plain,
    related,
    timestamp,
)
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person

_EVENT_ID = cast(sa.ColumnElement[int], IssueEvent.id)


def _events(ctx: RequestContext, given: Mapping[str, Any]) -> sa.Select[Any]:
    # The enclosing issue is one the caller may see, as the resolver's timeline requires.
    return sa.select(IssueEvent).where(col(IssueEvent.issue_id) == col(Issue.id))


def _newest_event(ctx: RequestContext) -> sa.Select[Any]:
    return (
        sa.select(IssueEvent)
        .where(col(IssueEvent.issue_id) == col(Issue.id))
        .order_by(col(IssueEvent.id).desc())
        .limit(1)
    )


ISSUE_EVENT = ObjectSpec(
    "IssueEvent",
    {
        "id": global_id("IssueEvent", col(IssueEvent.id)),
        "kind": enum(col(IssueEvent.kind), IssueEventKind),
        "fromStatus": enum(col(IssueEvent.from_status), IssueStatus),
        "toStatus": enum(col(IssueEvent.to_status), IssueStatus),
        "body": plain(col(IssueEvent.body)),
        "attachmentUrl": plain(col(IssueEvent.attachment_url)),
        "createdAt": timestamp(col(IssueEvent.created_at)),
        "actorToken": global_id("ApiToken", col(IssueEvent.actor_token_id)),
        "fromPriority": enum(col(IssueEvent.from_priority), IssuePriority),
        "toPriority": enum(col(IssueEvent.to_priority), IssuePriority),
        "fromCategory": enum(col(IssueEvent.from_category), IssueCategory),
        "toCategory": enum(col(IssueEvent.to_category), IssueCategory),
        "fromDueAt": timestamp(col(IssueEvent.from_due_at)),
        "toDueAt": timestamp(col(IssueEvent.to_due_at)),
    },
)

ISSUE = ObjectSpec(
    "Issue",
    {
        "id": global_id("Issue", col(Issue.id)),
        "title": plain(col(Issue.title)),
        "description": plain(col(Issue.description)),
        "channel": enum(col(Issue.channel), IssueChannel),
        "category": enum(col(Issue.category), IssueCategory),
        "priority": enum(col(Issue.priority), IssuePriority),
        "status": enum(col(Issue.status), IssueStatus),
        "dueAt": timestamp(col(Issue.due_at)),
        "createdAt": timestamp(col(Issue.created_at)),
        "updatedAt": timestamp(col(Issue.updated_at)),
        "claimedAt": timestamp(col(Issue.claimed_at)),
        "resolvedAt": timestamp(col(Issue.resolved_at)),
        "closedAt": timestamp(col(Issue.closed_at)),
        "satisfaction": plain(col(Issue.satisfaction)),
        "rejectionReason": plain(col(Issue.rejection_reason)),
        "timeToClaimSeconds": plain(col(Issue.claim_seconds)),
        "timeToResolveSeconds": plain(col(Issue.resolve_seconds)),
        "version": plain(col(Issue.version)),
        # The clock is read when the statement runs: compiled statements are kept.
        "overdue": boolean(lambda: issues.overdue_clause(issues.clock_now())),
        "allowedNextStatuses": enum_list_by(
            col(Issue.status), {status: next_states(status) for status in IssueStatus}
        ),
        "compound": related(lambda: ORGANISATION, readable_organisation(col(Issue.compound_id))),
        "building": related(lambda: ORGANISATION, readable_organisation(col(Issue.building_id))),
        "assignee": related(
            lambda: ORGANISATION, readable_organisation(col(Issue.assignee_organisation_id))
        ),
        "assigneePerson": related(lambda: PERSON, readable_person(col(Issue.assignee_person_id))),
        "reporter": related(
            lambda: PERSON,
            readable_person(col(Issue.reporter_id)),
            masked=("Issue.reporter", issues.reporter_visible),
        ),
        "lastEvent": related(lambda: ISSUE_EVENT, _newest_event),
        "timeline": NestedConnection(lambda: ISSUE_EVENT, _events, [_EVENT_ID]),
        "auditTrail": audit_trail("issue", col(Issue.id)),
    },
)

JOINT_MEETING = ObjectSpec(
    "JointMeeting",
    {
        "id": global_id("JointMeeting", col(JointMeeting.id)),
        "title": plain(col(JointMeeting.title)),
        "scheduledFor": timestamp(col(JointMeeting.scheduled_for)),
        "location": plain(col(JointMeeting.location)),
        "status": enum(col(JointMeeting.status), MeetingStatus),
        "minutes": plain(col(JointMeeting.minutes)),
        "version": plain(col(JointMeeting.version)),
        "organisation": related(
            lambda: ORGANISATION, readable_organisation(col(JointMeeting.organisation_id))
        ),
        "auditTrail": audit_trail("meeting", col(JointMeeting.id)),
    },
)
