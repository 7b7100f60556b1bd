"""Which compound each object belongs to, read straight from the tables.

The matrix's oracle: an object of compound X must never reach a caller whose
scope does not include X, by any path. Objects that belong to no compound (the
city's levels, firms, partner units) are not compound data and are left to the
policy tests. A node type missing here fails the matrix: add how its rows map to
a compound.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

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
    OrganisationKind,
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

Org = aliased(Organisation)


def _compound_of_org(org: type[Organisation]) -> sa.ColumnElement[int | None]:
    """An organisation's compound: itself when it is one, else the compound it lies in."""
    return sa.func.coalesce(
        org.compound_id, sa.case((org.kind == OrganisationKind.COMPOUND, org.id), else_=None)
    )


# GraphQL type -> SELECT (database id, compound id) over all its rows.
COMPOUND_OF: dict[str, Callable[[], sa.Select[tuple[int, int | None]]]] = {
    "Organisation": lambda: sa.select(Org.id, _compound_of_org(Org)),
    "Person": lambda: sa.select(Person.id, Person.residence_compound_id),
    "Position": lambda: sa.select(Position.id, _compound_of_org(Org)).join(
        Org, Org.id == Position.organisation_id
    ),
    "OrganisationLink": lambda: sa.select(OrganisationLink.id, _compound_of_org(Org)).join(
        Org, Org.id == OrganisationLink.target_id
    ),
    "Issue": lambda: sa.select(Issue.id, Issue.compound_id),
    "IssueEvent": lambda: sa.select(IssueEvent.id, Issue.compound_id).join(
        Issue, Issue.id == IssueEvent.issue_id
    ),
    "JointMeeting": lambda: sa.select(JointMeeting.id, _compound_of_org(Org)).join(
        Org, Org.id == JointMeeting.organisation_id
    ),
    "ApiToken": lambda: (
        sa.select(ApiToken.id, _compound_of_org(Org))
        .join(ApiTokenOrganisation, ApiTokenOrganisation.token_id == ApiToken.id)
        .join(Org, Org.id == ApiTokenOrganisation.organisation_id)
    ),
    "AuditEntry": lambda: sa.select(AuditEntry.seq, _compound_of_org(Org)).join(
        Org, Org.id == AuditEntry.organisation_id
    ),
    "ServiceRegistration": lambda: sa.select(
        ServiceRegistration.id, ServiceRegistration.compound_id
    ),
    "ServicePost": lambda: sa.select(ServicePost.id, ServicePost.compound_id),
    "PostClaim": lambda: sa.select(PostClaim.id, PostClaim.compound_id),
    "CoBuildingNeed": lambda: sa.select(CoBuildingNeed.id, CoBuildingNeed.compound_id),
    "CoBuildingProject": lambda: sa.select(CoBuildingProject.id, CoBuildingProject.compound_id),
    "Evaluation": lambda: sa.select(Evaluation.id, Evaluation.compound_id),
    "EvaluationCriterion": lambda: sa.select(EvaluationCriterion.id, Evaluation.compound_id).join(
        Evaluation, Evaluation.id == EvaluationCriterion.evaluation_id
    ),
    # A firm's standing is public to every compound the firm serves or served: firm data,
    # not one compound's (its readers are tested in tests/schema/test_firm_standing.py).
    "FirmStanding": lambda: sa.select(FirmStanding.id, sa.null()),
    "Station": lambda: sa.select(Station.id, Station.compound_id),
    "StationDuty": lambda: sa.select(StationDuty.id, StationDuty.compound_id),
    "Reward": lambda: sa.select(Reward.id, Reward.compound_id),
    "VolunteerService": lambda: sa.select(VolunteerService.id, VolunteerService.compound_id),
    "LedgerEntry": lambda: sa.select(LedgerEntry.id, LedgerEntry.compound_id),
}

# GraphQL type -> the policy resource whose read permission decides who sees it.
RESOURCE_OF: dict[str, str] = {
    "Organisation": "organisation",
    "Person": "person",
    "Position": "position",
    "OrganisationLink": "link",
    "Issue": "issue",
    "IssueEvent": "issue",
    "JointMeeting": "meeting",
    "ApiToken": "token",
    "AuditEntry": "audit",
    "ServiceRegistration": "service_registration",
    "ServicePost": "service_post",
    "PostClaim": "post_claim",
    "CoBuildingNeed": "need",
    "CoBuildingProject": "project",
    "Evaluation": "evaluation",
    "EvaluationCriterion": "evaluation",
    "FirmStanding": "standing",
    "Station": "station",
    "StationDuty": "station",
    "Reward": "reward",
    "VolunteerService": "volunteer_service",
    "LedgerEntry": "ledger",
}
