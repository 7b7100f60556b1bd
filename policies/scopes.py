"""Each resource's table, as the conditions see it (policies/resources.py names which
resource uses which)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from db.models import (
    ApiToken,
    ApiTokenOrganisation,
    AuditEntry,
    CoBuildingNeed,
    CoBuildingProject,
    Commendation,
    CompoundMeeting,
    CompoundMeetingKind,
    Evaluation,
    FirmStanding,
    FundEntry,
    Issue,
    JointMeeting,
    LedgerEntry,
    LedgerLine,
    LinkKind,
    MeetingStatus,
    MentorPair,
    Mobilisation,
    MobilisationRecipient,
    Notice,
    NoticeQuestion,
    Organisation,
    OrganisationLink,
    Person,
    PointsAccount,
    Position,
    PositionTitle,
    PostClaim,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    VolunteerService,
    WebhookDelivery,
    WebhookEndpoint,
)
from db.paths import any_subtree_clause
from db.periods import in_force_sql
from policies.conditions import TableScope
from policies.grants import compounds_led

# Explicitly re-exported: resolvers/issues/queries.py imports it from here.
from policies.subtrees import organisations_under as organisations_under

ORGANISATION = TableScope(
    under_any=lambda domains: any_subtree_clause(col(Organisation.path), domains),
    organisation=col(Organisation.id),
)
POSITION = TableScope(
    under_any=lambda domains: col(Position.organisation_id).in_(organisations_under(domains)),
    owner=col(Position.person_id),
    in_organisation=col(Position.organisation_id),
    liaison_at=sa.case(
        (
            col(Position.title) == PositionTitle.PARTY_BUILDING_LIAISON,
            col(Position.organisation_id),
        ),
        else_=sa.null(),
    ),
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


def _tokens_under(domains: list[str]) -> sa.Select[int]:
    return sa.select(col(ApiTokenOrganisation.token_id)).where(
        col(ApiTokenOrganisation.organisation_id).in_(organisations_under(domains))
    )


# A webhook endpoint lies where its partner token does; a delivery where its endpoint does.
WEBHOOK = TableScope(
    under_any=lambda domains: col(WebhookEndpoint.token_id).in_(_tokens_under(domains))
)
WEBHOOK_DELIVERY = TableScope(
    under_any=lambda domains: col(WebhookDelivery.endpoint_id).in_(
        sa.select(col(WebhookEndpoint.id)).where(
            col(WebhookEndpoint.token_id).in_(_tokens_under(domains))
        )
    )
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


def notice_in_force(day: date) -> ColumnElement[bool]:
    """A notice shown on DAY: within its publication period and not withdrawn."""
    return sa.and_(
        in_force_sql(col(Notice.published_from), col(Notice.published_until), day),
        col(Notice.withdrawn_at).is_(None),
    )


# Public disclosure: a notice speaks for its publishing body; a question is shown while its
# notice is.
NOTICE = TableScope(
    under_any=lambda domains: col(Notice.compound_id).in_(organisations_under(domains)),
    compound=col(Notice.compound_id),
    body=col(Notice.publisher_id),
    in_force=notice_in_force,
)
NOTICE_QUESTION = TableScope(
    under_any=lambda domains: col(NoticeQuestion.compound_id).in_(organisations_under(domains)),
    compound=col(NoticeQuestion.compound_id),
    owner=col(NoticeQuestion.asker_id),
    body=sa.select(col(Notice.publisher_id))
    .where(col(Notice.id) == col(NoticeQuestion.notice_id))
    .scalar_subquery(),
    in_force=lambda day: col(NoticeQuestion.notice_id).in_(
        sa.select(col(Notice.id)).where(notice_in_force(day))
    ),
)


# Funds: an entry speaks for the body whose money it is (the branch, the owners' committee);
# it lies in its ledger: a compound, or the grid of a joint branch (above the grid's compounds,
# like a street's own audit entries: read by a grant over the grid or above it).
FUND = TableScope(
    under_any=lambda domains: col(FundEntry.ledger_id).in_(organisations_under(domains)),
    compound=col(FundEntry.compound_id),
    above_compounds=lambda domains: sa.and_(
        col(FundEntry.compound_id).is_(None),
        col(FundEntry.ledger_id).in_(organisations_under(domains)),
    ),
    body=col(FundEntry.body_id),
)


# Compound meetings (小區黨支部先議): a meeting speaks for its body (the branch, the owners'
# committee); a HELD meeting's minutes and resolutions are disclosed to the compound (its
# record is "shown" from the day it is held on), a scheduled or cancelled one is not; the
# branch's secretary and deputy sit in (列席) on the owners' committee's meetings.
COMPOUND_MEETING = TableScope(
    under_any=lambda domains: col(CompoundMeeting.compound_id).in_(organisations_under(domains)),
    compound=col(CompoundMeeting.compound_id),
    body=col(CompoundMeeting.body_id),
    in_force=lambda day: col(CompoundMeeting.status) == MeetingStatus.HELD,
    sat_in_by=lambda person_id, day: sa.and_(
        col(CompoundMeeting.kind) == CompoundMeetingKind.COMMITTEE,
        col(CompoundMeeting.compound_id).in_(compounds_led(person_id, day)),
    ),
)


def _mobilisations_of(person_id: int) -> ColumnElement[bool]:
    """Mobilisations that called on the person."""
    return col(Mobilisation.id).in_(
        sa.select(col(MobilisationRecipient.mobilisation_id)).where(
            col(MobilisationRecipient.person_id) == person_id
        )
    )


def _mobilisations_under(domains: list[str]) -> sa.Select[int | None]:
    return sa.select(col(Mobilisation.id)).where(
        col(Mobilisation.target_id).in_(organisations_under(domains))
    )


# Mobilisation: a call lies where its target subtree is rooted and speaks for its sender; the
# people it called on read it as their own.
MOBILISATION = TableScope(
    under_any=lambda domains: col(Mobilisation.target_id).in_(organisations_under(domains)),
    own=_mobilisations_of,
    body=col(Mobilisation.sender_id),
)
# A recipient's row lies where its mobilisation does; the person called on owns it.
MOBILISATION_RECIPIENT = TableScope(
    under_any=lambda domains: col(MobilisationRecipient.mobilisation_id).in_(
        _mobilisations_under(domains)
    ),
    owner=col(MobilisationRecipient.person_id),
)


# Mentoring (導師幫帶): a pair lies in the mentee's compound; the mentor and the mentee each
# read it as their own (the mentor may serve in another compound, or above).
MENTORING = TableScope(
    under_any=lambda domains: col(MentorPair.compound_id).in_(organisations_under(domains)),
    compound=col(MentorPair.compound_id),
    own=lambda person_id: sa.or_(
        col(MentorPair.mentor_id) == person_id, col(MentorPair.mentee_id) == person_id
    ),
)
# Commendations (兩優一先): in the recipient's compound; a person's own are theirs.
COMMENDATION = TableScope(
    under_any=lambda domains: col(Commendation.compound_id).in_(organisations_under(domains)),
    compound=col(Commendation.compound_id),
    owner=col(Commendation.person_id),
)
