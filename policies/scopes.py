"""Each resource's table, as the conditions see it (policies/resources.py names which
resource uses which)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from db.models import (
    ApiToken,
    ApiTokenOrganisation,
    AuditEntry,
    CoBuildingNeed,
    CoBuildingProject,
    Evaluation,
    FirmStanding,
    Issue,
    JointMeeting,
    LedgerEntry,
    LedgerLine,
    LinkKind,
    Organisation,
    OrganisationLink,
    Person,
    PointsAccount,
    Position,
    PostClaim,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    VolunteerService,
)
from db.paths import any_subtree_clause
from policies.conditions import TableScope


def organisations_under(domains: list[str]) -> sa.Select[int | None]:
    return sa.select(col(Organisation.id)).where(
        any_subtree_clause(col(Organisation.path), domains)
    )


ORGANISATION = TableScope(
    under_any=lambda domains: any_subtree_clause(col(Organisation.path), domains),
    organisation=col(Organisation.id),
)
POSITION = TableScope(
    under_any=lambda domains: col(Position.organisation_id).in_(organisations_under(domains)),
    owner=col(Position.person_id),
    in_organisation=col(Position.organisation_id),
)
PERSON = TableScope(
    under_any=lambda domains: col(Person.residence_compound_id).in_(organisations_under(domains)),
    compound=col(Person.residence_compound_id),
    owner=col(Person.id),
    person=col(Person.id),
)
LINK = TableScope(
    under_any=lambda domains: sa.or_(
        col(OrganisationLink.target_id).in_(organisations_under(domains)),
        col(OrganisationLink.source_id).in_(organisations_under(domains)),
    )
)

ISSUE = TableScope(
    under_any=lambda domains: col(Issue.compound_id).in_(organisations_under(domains)),
    compound=col(Issue.compound_id),
    owner=col(Issue.reporter_id),
    assignee=lambda domains: col(Issue.assignee_organisation_id).in_(organisations_under(domains)),
    assignee_column=col(Issue.assignee_organisation_id),
)
MEETING = TableScope(
    under_any=lambda domains: col(JointMeeting.organisation_id).in_(organisations_under(domains)),
)


TOKEN = TableScope(
    # A partner token lies under each organisation it names; its issuer owns it.
    under_any=lambda domains: col(ApiToken.id).in_(
        sa.select(col(ApiTokenOrganisation.token_id)).where(
            col(ApiTokenOrganisation.organisation_id).in_(organisations_under(domains))
        )
    ),
    owner=col(ApiToken.person_id),
)


def _audit_about(person_id: int) -> ColumnElement[bool]:
    """Entries a person made, or that are about their own person record."""
    return sa.or_(
        col(AuditEntry.actor_person_id) == person_id,
        sa.and_(
            col(AuditEntry.resource_type) == "person",
            col(AuditEntry.resource_id) == str(person_id),
        ),
    )


AUDIT = TableScope(
    under_any=lambda domains: any_subtree_clause(col(AuditEntry.organisation_path), domains),
    own=_audit_about,
    compound=col(AuditEntry.compound_id),
    above_compounds=lambda domains: sa.and_(
        col(AuditEntry.compound_id).is_(None),
        any_subtree_clause(col(AuditEntry.organisation_path), domains),
    ),
)

EVALUATION = TableScope(
    under_any=lambda domains: col(Evaluation.compound_id).in_(organisations_under(domains)),
)


def firms_serving_under(domains: list[str]) -> sa.Select[int]:
    """Firms with a service contract, in any term, with a compound under DOMAINS: a black
    list entry matters most to the compounds a firm served before, or is about to serve."""
    return sa.select(col(OrganisationLink.source_id)).where(
        col(OrganisationLink.kind) == LinkKind.SERVES,
        col(OrganisationLink.target_id).in_(organisations_under(domains)),
    )


# A firm's standing lies under the firm itself and under every compound it serves.
STANDING = TableScope(
    under_any=lambda domains: sa.or_(
        col(FirmStanding.firm_id).in_(organisations_under(domains)),
        col(FirmStanding.firm_id).in_(firms_serving_under(domains)),
    ),
)

# Service posts and co-building lists: every row names its compound.
SERVICE_REGISTRATION = TableScope(
    under_any=lambda domains: col(ServiceRegistration.compound_id).in_(
        organisations_under(domains)
    ),
    owner=col(ServiceRegistration.person_id),
)
SERVICE_POST = TableScope(
    under_any=lambda domains: col(ServicePost.compound_id).in_(organisations_under(domains)),
)
POST_CLAIM = TableScope(
    under_any=lambda domains: col(PostClaim.compound_id).in_(organisations_under(domains)),
    owner=col(PostClaim.person_id),
)
NEED = TableScope(
    under_any=lambda domains: col(CoBuildingNeed.compound_id).in_(organisations_under(domains)),
)
PROJECT = TableScope(
    under_any=lambda domains: col(CoBuildingProject.compound_id).in_(organisations_under(domains)),
)

# Stations and the love bank.
STATION = TableScope(
    under_any=lambda domains: col(Station.compound_id).in_(organisations_under(domains)),
)
REWARD = TableScope(
    under_any=lambda domains: col(Reward.compound_id).in_(organisations_under(domains)),
)
VOLUNTEER_SERVICE = TableScope(
    under_any=lambda domains: col(VolunteerService.compound_id).in_(organisations_under(domains)),
    owner=col(VolunteerService.volunteer_id),
)


def _ledger_about(person_id: int) -> ColumnElement[bool]:
    """Entries that move points into or out of the person's own account."""
    return col(LedgerEntry.id).in_(
        sa.select(col(LedgerLine.entry_id))
        .join(PointsAccount, col(PointsAccount.id) == col(LedgerLine.account_id))
        .where(col(PointsAccount.person_id) == person_id)
    )


LEDGER = TableScope(
    under_any=lambda domains: col(LedgerEntry.compound_id).in_(organisations_under(domains)),
    own=_ledger_about,
)
