"""The registry of every domain's DataLoaders, for the code that serves all domains (node
lookup by global id). Each loader lives in schema/<domain>/loaders.py."""

from schema.audit.loaders import audit_entry
from schema.co_building.loaders import (
    co_building_need,
    co_building_project,
    delivery_summary,
    need_projects,
)
from schema.evaluations.loaders import (
    evaluation,
    evaluation_criteria,
    evaluation_criterion,
    evaluation_scorer_count,
    firm_standing,
    my_evaluation_score,
    organisation_label,
    standing_in_force,
)
from schema.issues.loaders import (
    issue,
    issue_event,
    last_event,
    meeting,
    meeting_agenda,
    meeting_participants,
    reporter_visible,
)
from schema.love_bank.loaders import (
    ledger_entry,
    ledger_lines,
    movement_entry,
    points_account,
    points_balance,
    reward,
    service_entry,
    volunteer_service,
)
from schema.organisations.loaders import link, organisation
from schema.people.loaders import person, sensitive
from schema.positions.loaders import cross_appointed, position
from schema.service_posts.loaders import (
    claim_fulfilments,
    claim_served,
    person_registration,
    post_claim,
    post_claims,
    post_served,
    service_post,
    service_registration,
)
from schema.stations.loaders import station, station_duty, station_functions, station_roster
from schema.tokens.loaders import token, token_organisation_ids

__all__ = [
    "audit_entry",
    "claim_fulfilments",
    "claim_served",
    "co_building_need",
    "co_building_project",
    "cross_appointed",
    "delivery_summary",
    "evaluation",
    "evaluation_criteria",
    "evaluation_criterion",
    "evaluation_scorer_count",
    "firm_standing",
    "issue",
    "issue_event",
    "last_event",
    "ledger_entry",
    "ledger_lines",
    "link",
    "meeting",
    "meeting_agenda",
    "meeting_participants",
    "movement_entry",
    "my_evaluation_score",
    "need_projects",
    "organisation",
    "organisation_label",
    "person",
    "person_registration",
    "points_account",
    "points_balance",
    "position",
    "post_claim",
    "post_claims",
    "post_served",
    "reporter_visible",
    "reward",
    "sensitive",
    "service_entry",
    "service_post",
    "service_registration",
    "standing_in_force",
    "station",
    "station_duty",
    "station_functions",
    "station_roster",
    "token",
    "token_organisation_ids",
    "volunteer_service",
]
