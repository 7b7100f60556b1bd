"""The registry of resources: one entry per resource a policy row can name.

Each entry declares the table its scope filters, how the conditions read that table
(policies/scopes.py), the actions code may ask `Authorizer.decide` about, and the kinds of
rows read under it with the compound each row belongs to. The scope lookup, the node and
audit registries (schema/common/nodes.py) and the isolation tests' compound map are all
derived from it; tests/policies/test_policy_coverage.py holds it to policy.csv and to the
code's `decide` calls. A new table: its domain's packages, an entry here, a migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

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
)
from policies import scopes
from policies.resource_types import Placement, Resource, RowKind, UnknownAction


def _in_compound(column: object) -> Placement:
    return Placement(col(column))


def _in_organisation(column: object) -> Placement:
    return Placement(col(column), organisation=True)


def _actions(*names: str) -> frozenset[str]:
    return frozenset(names)


_ENTRIES = (
    Resource(
        "organisation",
        Organisation,
        scopes.ORGANISATION,
        _actions("read", "create", "update"),
        (RowKind("organisation", Organisation, _in_organisation(Organisation.id)),),
    ),
    Resource(
        "link",
        OrganisationLink,
        scopes.LINK,
        _actions("read", "create", "end"),
        # A link lies where its target does: the compound a firm serves.
        (RowKind("link", OrganisationLink, _in_organisation(OrganisationLink.target_id)),),
    ),
    Resource(
        "position",
        Position,
        scopes.POSITION,
        _actions("read", "create", "end"),
        (RowKind("position", Position, _in_organisation(Position.organisation_id)),),
    ),
    Resource(
        "person",
        Person,
        scopes.PERSON,
        _actions("read", "create", "update", "read_phone", "read_id_number", "read_party"),
        (RowKind("person", Person, _in_compound(Person.residence_compound_id)),),
    ),
    Resource(
        "issue",
        Issue,
        scopes.ISSUE,
        _actions(
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
        ),
        (
            RowKind("issue", Issue, _in_compound(Issue.compound_id)),
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
        _actions("read", "schedule", "reschedule", "cancel", "edit_agenda", "decide"),
        (RowKind("meeting", JointMeeting, _in_organisation(JointMeeting.organisation_id)),),
    ),
    Resource(
        "token",
        ApiToken,
        scopes.TOKEN,
        _actions("read", "issue", "revoke"),
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
        "audit",
        AuditEntry,
        scopes.AUDIT,
        _actions("read"),
        (
            RowKind(
                "audit_entry",
                AuditEntry,
                _in_organisation(AuditEntry.organisation_id),
                audited=False,
                key=col(AuditEntry.seq),
            ),
        ),
    ),
    Resource(
        "service_registration",
        ServiceRegistration,
        scopes.SERVICE_REGISTRATION,
        _actions("read", "report"),
        (
            RowKind(
                "service_registration",
                ServiceRegistration,
                _in_compound(ServiceRegistration.compound_id),
            ),
        ),
    ),
    Resource(
        "service_post",
        ServicePost,
        scopes.SERVICE_POST,
        _actions("read", "publish", "claim"),
        (RowKind("service_post", ServicePost, _in_compound(ServicePost.compound_id)),),
    ),
    Resource(
        "post_claim",
        PostClaim,
        scopes.POST_CLAIM,
        _actions("read", "record_fulfilment"),
        (RowKind("post_claim", PostClaim, _in_compound(PostClaim.compound_id)),),
    ),
    Resource(
        "need",
        CoBuildingNeed,
        scopes.NEED,
        _actions("read", "publish"),
        (RowKind("need", CoBuildingNeed, _in_compound(CoBuildingNeed.compound_id)),),
    ),
    Resource(
        "project",
        CoBuildingProject,
        scopes.PROJECT,
        _actions("read", "commit", "complete", "cancel"),
        (RowKind("project", CoBuildingProject, _in_compound(CoBuildingProject.compound_id)),),
    ),
    Resource(
        "evaluation",
        Evaluation,
        scopes.EVALUATION,
        _actions("read", "open", "score", "close"),
        (
            RowKind("evaluation", Evaluation, _in_compound(Evaluation.compound_id)),
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
        _actions("read", "set"),
        # Public to every compound the firm serves or served: firm data, not one compound's
        # (its readers are tested in tests/schema/test_firm_standing.py).
        (RowKind("standing", FirmStanding, Placement(None)),),
    ),
    Resource(
        "station",
        Station,
        scopes.STATION,
        _actions("read", "open", "set_duty"),
        (
            RowKind("station", Station, _in_compound(Station.compound_id)),
            RowKind("station_duty", StationDuty, _in_compound(StationDuty.compound_id)),
        ),
    ),
    Resource(
        "reward",
        Reward,
        scopes.REWARD,
        _actions("read", "list", "redeem"),
        (RowKind("reward", Reward, _in_compound(Reward.compound_id)),),
    ),
    Resource(
        "volunteer_service",
        VolunteerService,
        scopes.VOLUNTEER_SERVICE,
        _actions("read", "record", "confirm"),
        (
            RowKind(
                "volunteer_service", VolunteerService, _in_compound(VolunteerService.compound_id)
            ),
        ),
    ),
    Resource(
        "ledger",
        LedgerEntry,
        scopes.LEDGER,
        _actions("read", "read_summary"),
        (RowKind("ledger_entry", LedgerEntry, _in_compound(LedgerEntry.compound_id)),),
    ),
    # A person's points balance and passbook are read on the person's row.
    Resource("points", Person, scopes.PERSON, _actions("read")),
    # Compound indicators are read on the compound's organisation row.
    Resource("indicators", Organisation, scopes.ORGANISATION, _actions("read")),
)


T = TypeVar("T")


def _by_name(items: tuple[T, ...], name: str, what: str) -> Mapping[str, T]:
    found: dict[str, T] = {}
    for item in items:
        key = getattr(item, name)
        if key in found:
            raise ValueError(f"{what} {key!r} is declared twice")
        found[key] = item
    return MappingProxyType(found)


RESOURCES: Mapping[str, Resource] = _by_name(_ENTRIES, "name", "resource")
ROW_KINDS: Mapping[str, RowKind] = _by_name(
    tuple(kind for entry in _ENTRIES for kind in entry.rows), "name", "row kind"
)
# The resource whose `read` decides who sees a row kind.
RESOURCE_OF_KIND: Mapping[str, str] = MappingProxyType(
    {kind.name: entry.name for entry in _ENTRIES for kind in entry.rows}
)


def resource(name: str) -> Resource:
    """The entry for NAME; an unknown name is a programming error."""
    entry = RESOURCES.get(name)
    if entry is None:
        raise UnknownAction(f"no resource {name!r} in policies/resources.py")
    return entry


def check_action(name: str, action: str) -> None:
    """Refuse a (resource, action) the registry does not declare: a typo or an action added
    in code without its policy rows would otherwise be denied to everyone, silently."""
    if action not in resource(name).actions:
        raise UnknownAction(f"resource {name!r} declares no action {action!r}")


def declared_actions() -> frozenset[tuple[str, str]]:
    return frozenset((entry.name, action) for entry in _ENTRIES for action in entry.actions)
