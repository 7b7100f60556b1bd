"""The registry's entries: one per resource a policy row can name (what each is, its scope,
its actions, the kinds of rows read under it). policies/resources.py derives the lookups
from them; see its docstring for what each entry must declare."""

from __future__ import annotations

from sqlmodel import col

from db.models import (
    ApiToken,
    ApiTokenOrganisation,
    AuditEntry,
    CoBuildingNeed,
    CoBuildingProject,
    Evaluation,
    EvaluationCriterion,
    FirmStanding,
    Issue,
    IssueEvent,
    JointMeeting,
    LedgerEntry,
    Organisation,
    OrganisationLink,
    Person,
    Position,
    PostClaim,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    StationDuty,
    VolunteerService,
    WebhookDelivery,
    WebhookEndpoint,
)
from policies import scopes
from policies.resource_entries_helpers import action_set, compound_column, organisation_column
from policies.resource_entries_mechanisms import MECHANISMS
from policies.resource_types import Placement, Resource, RowKind

CORE: tuple[Resource, ...] = (
    Resource(
        "organisation",
        Organisation,
        scopes.ORGANISATION,
        action_set("read", "create", "update"),
        (RowKind("organisation", Organisation, organisation_column(Organisation.id)),),
    ),
    Resource(
        "link",
        OrganisationLink,
        scopes.LINK,
        action_set("read", "create", "end"),
        # A link lies where its target does: the compound a firm serves.
        (RowKind("link", OrganisationLink, organisation_column(OrganisationLink.target_id)),),
    ),
    Resource(
        "position",
        Position,
        scopes.POSITION,
        action_set("read", "create", "end"),
        (RowKind("position", Position, organisation_column(Position.organisation_id)),),
    ),
    Resource(
        "person",
        Person,
        scopes.PERSON,
        action_set("read", "create", "update", "read_phone", "read_id_number", "read_party"),
        (RowKind("person", Person, compound_column(Person.residence_compound_id)),),
    ),
    Resource(
        "issue",
        Issue,
        scopes.ISSUE,
        action_set(
            "read",
            "read_reporter",
            "report",
            "report_for_others",
            "claim",
            "assign",
            "start",
            "resolve",
            "comment",
            "reject",
            "mark_duplicate",
            "escalate",
            "confirm",
            "triage",
        ),
        (
            RowKind("issue", Issue, compound_column(Issue.compound_id)),
            RowKind(
                "issue_event",
                IssueEvent,
                Placement(
                    col(Issue.compound_id),
                    joins=((Issue, col(Issue.id) == col(IssueEvent.issue_id)),),
                ),
                audited=False,
            ),
        ),
    ),
    Resource(
        "meeting",
        JointMeeting,
        scopes.MEETING,
        action_set("read", "schedule", "reschedule", "cancel", "edit_agenda", "decide"),
        (RowKind("meeting", JointMeeting, organisation_column(JointMeeting.organisation_id)),),
    ),
    Resource(
        "token",
        ApiToken,
        scopes.TOKEN,
        action_set("read", "issue", "revoke"),
        # A partner token lies in each organisation it names.
        (
            RowKind(
                "token",
                ApiToken,
                Placement(
                    col(ApiTokenOrganisation.organisation_id),
                    organisation=True,
                    joins=(
                        (
                            ApiTokenOrganisation,
                            col(ApiTokenOrganisation.token_id) == col(ApiToken.id),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Resource(
        "webhook",
        WebhookEndpoint,
        scopes.WEBHOOK,
        action_set("read", "manage"),
        # An endpoint lies in each organisation its partner token names.
        (
            RowKind(
                "webhook",
                WebhookEndpoint,
                Placement(
                    col(ApiTokenOrganisation.organisation_id),
                    organisation=True,
                    joins=(
                        (
                            ApiTokenOrganisation,
                            col(ApiTokenOrganisation.token_id) == col(WebhookEndpoint.token_id),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Resource(
        "webhook_delivery",
        WebhookDelivery,
        scopes.WEBHOOK_DELIVERY,
        action_set("read", "redeliver"),
        # A delivery lies where its endpoint does.
        (
            RowKind(
                "webhook_delivery",
                WebhookDelivery,
                Placement(
                    col(ApiTokenOrganisation.organisation_id),
                    organisation=True,
                    joins=(
                        (
                            WebhookEndpoint,
                            col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id),
                        ),
                        (
                            ApiTokenOrganisation,
                            col(ApiTokenOrganisation.token_id) == col(WebhookEndpoint.token_id),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Resource(
        "audit",
        AuditEntry,
        scopes.AUDIT,
        action_set("read"),
        (
            RowKind(
                "audit_entry",
                AuditEntry,
                organisation_column(AuditEntry.organisation_id),
                audited=False,
                key=col(AuditEntry.seq),
            ),
        ),
    ),
    Resource(
        "service_registration",
        ServiceRegistration,
        scopes.SERVICE_REGISTRATION,
        action_set("read", "report"),
        (
            RowKind(
                "service_registration",
                ServiceRegistration,
                compound_column(ServiceRegistration.compound_id),
            ),
        ),
    ),
    Resource(
        "service_post",
        ServicePost,
        scopes.SERVICE_POST,
        action_set("read", "publish", "claim"),
        (RowKind("service_post", ServicePost, compound_column(ServicePost.compound_id)),),
    ),
    Resource(
        "post_claim",
        PostClaim,
        scopes.POST_CLAIM,
        action_set("read", "record_fulfilment"),
        (RowKind("post_claim", PostClaim, compound_column(PostClaim.compound_id)),),
    ),
    Resource(
        "need",
        CoBuildingNeed,
        scopes.NEED,
        action_set("read", "publish"),
        (RowKind("need", CoBuildingNeed, compound_column(CoBuildingNeed.compound_id)),),
    ),
    Resource(
        "project",
        CoBuildingProject,
        scopes.PROJECT,
        action_set("read", "commit", "complete", "cancel"),
        (RowKind("project", CoBuildingProject, compound_column(CoBuildingProject.compound_id)),),
    ),
    Resource(
        "evaluation",
        Evaluation,
        scopes.EVALUATION,
        action_set("read", "open", "score", "close"),
        (
            RowKind("evaluation", Evaluation, compound_column(Evaluation.compound_id)),
            RowKind(
                "evaluation_criterion",
                EvaluationCriterion,
                Placement(
                    col(Evaluation.compound_id),
                    joins=(
                        (Evaluation, col(Evaluation.id) == col(EvaluationCriterion.evaluation_id)),
                    ),
                ),
                audited=False,
            ),
        ),
    ),
    Resource(
        "standing",
        FirmStanding,
        scopes.STANDING,
        action_set("read", "set"),
        # Public to every compound the firm serves or served: firm data, not one compound's
        # (its readers are tested in tests/schema/test_firm_standing.py).
        (RowKind("standing", FirmStanding, Placement(None)),),
    ),
    Resource(
        "station",
        Station,
        scopes.STATION,
        action_set("read", "open", "set_duty"),
        (
            RowKind("station", Station, compound_column(Station.compound_id)),
            RowKind("station_duty", StationDuty, compound_column(StationDuty.compound_id)),
        ),
    ),
    Resource(
        "reward",
        Reward,
        scopes.REWARD,
        action_set("read", "list", "redeem"),
        (RowKind("reward", Reward, compound_column(Reward.compound_id)),),
    ),
    Resource(
        "volunteer_service",
        VolunteerService,
        scopes.VOLUNTEER_SERVICE,
        action_set("read", "record", "confirm"),
        (
            RowKind(
                "volunteer_service", VolunteerService, compound_column(VolunteerService.compound_id)
            ),
        ),
    ),
    Resource(
        "ledger",
        LedgerEntry,
        scopes.LEDGER,
        action_set("read", "read_summary"),
        (RowKind("ledger_entry", LedgerEntry, compound_column(LedgerEntry.compound_id)),),
    ),
)

ENTRIES: tuple[Resource, ...] = CORE + MECHANISMS
