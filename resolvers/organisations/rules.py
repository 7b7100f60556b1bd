"""The shape rules of the domain: which organisation may sit under which, which title fits where."""

from __future__ import annotations

from db.models import LinkKind
from db.models import OrganisationKind as K
from db.models import PositionTitle as T
from resolvers.i18n import Coded, Text, coded, tr

# None stands for "at the top of the tree".
ALLOWED_PARENTS: dict[K, frozenset[K | None]] = {
    K.CITY: frozenset({None}),
    K.DISTRICT: frozenset({K.CITY}),
    K.STREET: frozenset({K.DISTRICT}),
    K.COMMUNITY: frozenset({K.STREET}),
    K.GRID: frozenset({K.COMMUNITY}),
    # A compound sits in a grid of its community, or straight under the community.
    K.COMPOUND: frozenset({K.COMMUNITY, K.GRID}),
    K.BUILDING: frozenset({K.COMPOUND}),
    # A compound's own branch, or a joint branch (聯合黨支部) of a grid's small compounds.
    K.PARTY_BRANCH: frozenset({K.COMPOUND, K.GRID}),
    K.OWNERS_COMMITTEE: frozenset({K.COMPOUND}),
    K.SUPERVISORY_BOARD: frozenset({K.COMPOUND}),
    K.PARTY_GROUP: frozenset({K.PARTY_BRANCH}),
    K.PROPERTY_FIRM: frozenset({K.CITY, K.DISTRICT}),
    K.PARTNER_UNIT: frozenset({K.CITY, K.DISTRICT, K.STREET, K.COMMUNITY}),
    K.SOCIAL_ORGANISATION: frozenset({K.CITY, K.DISTRICT, K.STREET, K.COMMUNITY}),
    K.VOLUNTEER_TEAM: frozenset({K.STREET, K.COMMUNITY, K.COMPOUND}),
    K.DEPARTMENT: frozenset({K.CITY, K.DISTRICT, K.STREET}),
}

# At most one of each per compound (also a partial unique index).
ONE_PER_COMPOUND = frozenset({K.PARTY_BRANCH, K.OWNERS_COMMITTEE, K.SUPERVISORY_BOARD})

TITLE_FITS: dict[T, frozenset[K]] = {
    T.SECRETARY: frozenset({K.PARTY_BRANCH}),
    T.DEPUTY_SECRETARY: frozenset({K.PARTY_BRANCH}),
    T.BRANCH_COMMITTEE_MEMBER: frozenset({K.PARTY_BRANCH}),
    T.GROUP_LEADER: frozenset({K.PARTY_GROUP}),
    T.PARTY_HOUSEHOLD_HEAD: frozenset({K.PARTY_GROUP, K.BUILDING}),
    T.COMMITTEE_CHAIR: frozenset({K.OWNERS_COMMITTEE, K.SUPERVISORY_BOARD}),
    T.COMMITTEE_MEMBER: frozenset({K.OWNERS_COMMITTEE}),
    T.SUPERVISOR_BOARD_MEMBER: frozenset({K.SUPERVISORY_BOARD}),
    T.PROPERTY_MANAGER: frozenset({K.PROPERTY_FIRM}),
    T.PROPERTY_STAFF: frozenset({K.PROPERTY_FIRM}),
    T.PARTY_BUILDING_LIAISON: frozenset({K.PROPERTY_FIRM}),
    T.PROPERTY_MONITOR: frozenset({K.OWNERS_COMMITTEE, K.SUPERVISORY_BOARD}),
    T.STREET_OFFICER: frozenset({K.CITY, K.DISTRICT, K.STREET, K.COMMUNITY, K.DEPARTMENT}),
    T.VOLUNTEER_TEAM_LEADER: frozenset({K.VOLUNTEER_TEAM}),
    T.SUPERVISORY_BOARD_CHAIR: frozenset({K.SUPERVISORY_BOARD}),
    T.GRID_WORKER: frozenset({K.GRID}),
}

# Titles with at most one active holder per organisation at any time.
SINGLE_HOLDER_TITLES = frozenset({T.SECRETARY, T.COMMITTEE_CHAIR, T.SUPERVISORY_BOARD_CHAIR})

# A supervisory board's chair may be recorded under either title (COMMITTEE_CHAIR came first
# and stays valid there): both name the one chair's seat, so each counts against the other.
BOARD_CHAIR_TITLES = frozenset({T.COMMITTEE_CHAIR, T.SUPERVISORY_BOARD_CHAIR})


def seat_titles(title: T, kind: K) -> frozenset[T]:
    """The titles that hold the same seat as TITLE in an organisation of KIND."""
    if kind == K.SUPERVISORY_BOARD and title in BOARD_CHAIR_TITLES:
        return BOARD_CHAIR_TITLES
    return frozenset({title})


# Which kind may link to which, per link kind: (source kinds, target kinds).
LINK_ENDS: dict[LinkKind, tuple[frozenset[K], frozenset[K]]] = {
    LinkKind.SERVES: (frozenset({K.PROPERTY_FIRM}), frozenset({K.COMPOUND})),
    LinkKind.CO_BUILDS: (
        frozenset({K.PARTNER_UNIT, K.SOCIAL_ORGANISATION}),
        frozenset({K.COMPOUND}),
    ),
}


def kind_names(kinds: frozenset[K | None]) -> Text | Coded:
    """KINDS for a message: the kinds, or the top of the tree (a city's only place)."""
    if None in kinds:
        return tr("the top of the tree")
    return coded(*sorted(k for k in kinds if k is not None))
