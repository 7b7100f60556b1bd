"""The city's skeleton: organisations, people, positions and links, planned in memory.

Everything is decided here from one seeded random generator, with ids assigned in
advance, so the rows can be streamed to the database in bulk and the same arguments
always give the same city.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from db.models import LinkKind, OrganisationKind, PartyMembership, PartyMemberStatus
from db.models import PositionTitle as T
from db.paths import child_path

K = OrganisationKind
SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董潘袁蔡蔣余"
GIVEN = "偉芳娜敏靜麗強磊軍洋勇艷傑娟濤明超秀霞平剛桂英華玉蘭萍紅建國志文海燕輝"
DISTRICT_NAMES = "東西南北中新城港灣湖山河"
# Share of all compounds under the first street: its supervisor oversees at least a tenth.
BIG_STREET_SHARE = 0.12
STREETS_PER_DISTRICT = 5
COMMUNITIES_PER_STREET = 5
COMPOUNDS_PER_DISTRICT = 250
# Firm staff, street officers and the administrator live outside the compounds' rolls.
COMPOUNDS_PER_FIRM = 8
STAFF_PER_FIRM = 6
COMPOUNDS_PER_PARTNER = 20
OFFICERS_PER_STREET = 2
MIN_RESIDENTS = 16


@dataclass
class Org:
    id: int
    name: str
    kind: OrganisationKind
    parent_id: int | None
    path: str
    depth: int
    compound_id: int | None


@dataclass
class Resident:
    id: int
    name: str
    compound_id: int | None
    building_id: int | None
    unit: str | None
    member: bool
    in_service: bool
    community_id: int | None
    is_admin: bool = False


@dataclass(frozen=True)
class PositionRow:
    person_id: int
    organisation_id: int
    title: T
    start: date
    end: date | None


@dataclass(frozen=True)
class LinkRow:
    kind: LinkKind
    source_id: int
    target_id: int
    start: date
    end: date | None


@dataclass
class Compound:
    """One compound and the ids the issues and the audit log draw from."""

    org: Org
    weight: float
    street_index: int
    # The community it belongs to: its parent, or its grid's parent.
    community_id: int = 0
    buildings: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    residents: list[int] = field(default_factory=list)
    branch: int = 0
    committee: int = 0
    board: int = 0
    firm: int = 0
    firm_manager: int = 0
    secretary: int = 0
    committee_member: int = 0


@dataclass
class CityPlan:
    organisations: list[Org] = field(default_factory=list)
    people: list[Resident] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    compounds: list[Compound] = field(default_factory=list)
    streets: list[Org] = field(default_factory=list)
    # The roles the benchmark acts as: person ids by role name, compound ids by key.
    token_people: dict[str, int] = field(default_factory=dict)
    token_compounds: dict[str, int] = field(default_factory=dict)
    partner_of: dict[int, int] = field(default_factory=dict)

    def cumulative_weights(self) -> list[float]:
        """The compounds' running size total: what random.choices draws them by, in
        proportion to their size (issues and audit entries alike)."""
        return list(accumulate(compound.weight for compound in self.compounds))


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


class _Planner:
    def __init__(self, compounds: int, people: int, today: date, rng: random.Random) -> None:
        self.compound_count = compounds
        self.people_budget = people
        self.today = today
        self.rng = rng
        self.plan = CityPlan()
        self.grids: dict[int, Org] = {}
        self.grid_workers: dict[int, int] = {}

    def org(self, name: str, kind: OrganisationKind, parent: Org | None) -> Org:
        new_id = len(self.plan.organisations) + 1
        compound_id = parent.compound_id if parent else None
        org = Org(
            id=new_id,
            name=name,
            kind=kind,
            parent_id=parent.id if parent else None,
            path=child_path(parent.path if parent else None, new_id),
            depth=parent.depth + 1 if parent else 0,
            compound_id=new_id if kind is K.COMPOUND else compound_id,
        )
        self.plan.organisations.append(org)
        return org

    def person(self, compound: Compound | None, **kwargs: object) -> int:
        new_id = len(self.plan.people) + 1
        building = self.rng.choice(compound.buildings) if compound else None
        resident = Resident(
            id=new_id,
            name=person_name(self.rng),
            compound_id=compound.org.id if compound else None,
            building_id=building,
            unit=f"{self.rng.randint(1, 6)}{self.rng.randint(1, 30):02d}" if compound else None,
            member=bool(kwargs.get("member", False)),
            in_service=bool(kwargs.get("in_service", False)),
            community_id=compound.community_id if compound else None,
            is_admin=bool(kwargs.get("is_admin", False)),
        )
        self.plan.people.append(resident)
        if compound:
            compound.residents.append(new_id)
        return new_id

    def position(
        self, person: int, organisation: int, title: T, years_ago: float, ended: bool = False
    ) -> None:
        start = self.today - timedelta(days=int(365 * years_ago) + 1)
        end = start + timedelta(days=self.rng.randint(200, 900)) if ended else None
        if end is not None and end > self.today:
            end = self.today - timedelta(days=1)
        self.plan.positions.append(PositionRow(person, organisation, title, start, end))

    def tree(self) -> None:
        city = self.org("寧安市", K.CITY, None)
        districts = max(1, round(self.compound_count / COMPOUNDS_PER_DISTRICT))
        communities: list[tuple[int, Org]] = []
        for d in range(districts):
            district = self.org(f"寧安市{DISTRICT_NAMES[d % 12]}{d + 1}區", K.DISTRICT, city)
            self.org(f"{district.name}住房和城鄉建設局", K.DEPARTMENT, district)
            for s in range(STREETS_PER_DISTRICT):
                street = self.org(f"{district.name}第{s + 1}街道", K.STREET, district)
                self.plan.streets.append(street)
                for c in range(COMMUNITIES_PER_STREET):
                    community = self.org(f"{street.name}第{c + 1}社區", K.COMMUNITY, street)
                    communities.append((len(self.plan.streets) - 1, community))
        self.districts = [o for o in self.plan.organisations if o.kind is K.DISTRICT]
        big = max(1, math.ceil(self.compound_count * BIG_STREET_SHARE))
        by_street: dict[int, list[Org]] = {}
        for index, community in communities:
            by_street.setdefault(index, []).append(community)
        other_streets = [i for i in by_street if i != 0] or [0]
        for n in range(self.compound_count):
            street_index = 0 if n < big else self.rng.choice(other_streets)
            in_street = by_street[street_index]
            self.compound(n, street_index, in_street[n % len(in_street)])

    def grid_of(self, community: Org) -> Org:
        """The community's first grid (網格), made when a compound first lands in it."""
        grid = self.grids.get(community.id)
        if grid is None:
            grid = self.org(f"{community.name}第1網格", K.GRID, community)
            self.grids[community.id] = grid
        return grid

    def compound(self, n: int, street: int, community: Org) -> None:
        # Every other compound sits in its community's grid, the rest straight under the
        # community (both shapes are real); chosen without the random stream, so the rest of
        # the city draws as before.
        parent = self.grid_of(community) if n % 2 == 0 else community
        org = self.org(f"第{n + 1}小區", K.COMPOUND, parent)
        # Log-normal sizes: most compounds are ordinary, a few are very large.
        compound = Compound(org, self.rng.lognormvariate(0, 0.9), street, community.id)
        buildings = min(40, 2 + int(compound.weight * 6))
        compound.buildings = [
            self.org(f"{org.name}{b + 1}號樓", K.BUILDING, org).id for b in range(buildings)
        ]
        branch = self.org(f"{org.name}黨支部", K.PARTY_BRANCH, org)
        compound.branch = branch.id
        compound.committee = self.org(f"{org.name}業主委員會", K.OWNERS_COMMITTEE, org).id
        compound.board = self.org(f"{org.name}業主監事會", K.SUPERVISORY_BOARD, org).id
        compound.groups = [
            self.org(f"{org.name}{g + 1}號樓黨小組", K.PARTY_GROUP, branch).id
            for g in range(min(4, max(1, buildings // 3)))
        ]
        self.plan.compounds.append(compound)

    def firms_and_partners(self) -> None:
        compounds = self.plan.compounds
        firms = max(1, len(compounds) // COMPOUNDS_PER_FIRM)
        firm_orgs = [
            self.org(
                f"安居第{f + 1}物業服務有限公司", K.PROPERTY_FIRM, self.rng.choice(self.districts)
            )
            for f in range(firms)
        ]
        for compound in compounds:
            firm = self.rng.choice(firm_orgs)
            compound.firm = firm.id
            # Some compounds changed firm: the old contract ended, the new one runs.
            if self.rng.random() < 0.2:
                old = self.rng.choice(firm_orgs)
                start = self.today - timedelta(days=self.rng.randint(1500, 2500))
                ended = start + timedelta(days=self.rng.randint(400, 900))
                self.plan.links.append(
                    LinkRow(LinkKind.SERVES, old.id, compound.org.id, start, ended)
                )
                began = ended
            else:
                began = self.today - timedelta(days=self.rng.randint(200, 2000))
            self.plan.links.append(LinkRow(LinkKind.SERVES, firm.id, compound.org.id, began, None))
        self.firm_staff: dict[int, list[int]] = {}
        for firm in firm_orgs:
            manager = self.person(None)
            self.position(manager, firm.id, T.PROPERTY_MANAGER, self.rng.uniform(1, 6))
            staff = [manager]
            for _ in range(STAFF_PER_FIRM - 1):
                worker = self.person(None)
                self.position(worker, firm.id, T.PROPERTY_STAFF, self.rng.uniform(0.2, 5))
                staff.append(worker)
            self.firm_staff[firm.id] = staff
        for compound in compounds:
            compound.firm_manager = self.firm_staff[compound.firm][0]
        partners = max(1, len(compounds) // COMPOUNDS_PER_PARTNER)
        for p in range(partners):
            partner = self.org(f"共建單位{p + 1}", K.PARTNER_UNIT, self.rng.choice(self.districts))
            for compound in self.rng.sample(compounds, min(len(compounds), 3)):
                start = self.today - timedelta(days=self.rng.randint(30, 1500))
                self.plan.links.append(
                    LinkRow(LinkKind.CO_BUILDS, partner.id, compound.org.id, start, None)
                )
                self.plan.partner_of.setdefault(compound.org.id, partner.id)

    def residents(self) -> None:
        compounds = self.plan.compounds
        outside = len(self.plan.people) + len(self.plan.streets) * OFFICERS_PER_STREET + 1
        budget = max(self.people_budget - outside, MIN_RESIDENTS * len(compounds))
        total = sum(c.weight for c in compounds)
        for compound in compounds:
            count = max(MIN_RESIDENTS, int(budget * compound.weight / total))
            officials = 12
            for n in range(count):
                member = n < officials or self.rng.random() < 0.08
                self.person(compound, member=member, in_service=member and self.rng.random() < 0.5)
            self.compound_positions(compound)

    def compound_positions(self, compound: Compound) -> None:
        r = compound.residents
        rng = self.rng
        compound.secretary, compound.committee_member = r[0], r[2]
        self.position(r[0], compound.branch, T.SECRETARY, rng.uniform(0.5, 4))
        self.position(r[10], compound.branch, T.SECRETARY, rng.uniform(5, 8), ended=True)
        self.position(r[1], compound.branch, T.DEPUTY_SECRETARY, rng.uniform(0.5, 4))
        for p in (r[2], r[3]):
            self.position(p, compound.branch, T.BRANCH_COMMITTEE_MEMBER, rng.uniform(0.5, 4))
        # Cross-appointment (交叉任職): a branch committee member chairs the owners' committee.
        self.position(r[2], compound.committee, T.COMMITTEE_CHAIR, rng.uniform(0.5, 3))
        for p in r[4:8]:
            self.position(p, compound.committee, T.COMMITTEE_MEMBER, rng.uniform(0.5, 3))
        self.position(r[11], compound.committee, T.COMMITTEE_MEMBER, rng.uniform(4, 7), ended=True)
        self.position(r[8], compound.board, T.SUPERVISOR_BOARD_MEMBER, rng.uniform(0.5, 3))
        groups = compound.groups
        for index, group in enumerate(groups):
            leader = r[(12 + index) % len(r)]
            self.position(leader, group, T.GROUP_LEADER, rng.uniform(0.5, 4))
        self.position(r[9], groups[0], T.PARTY_HOUSEHOLD_HEAD, rng.uniform(0.5, 4))

    def officers(self) -> None:
        for street in self.plan.streets:
            for _ in range(OFFICERS_PER_STREET):
                officer = self.person(None)
                self.position(officer, street.id, T.STREET_OFFICER, self.rng.uniform(0.5, 5))
        self.admin = self.person(None, is_admin=True)
        # One member (網格員) per grid, made after everyone else so the rest draws as before.
        for grid in self.grids.values():
            worker = self.person(None)
            self.position(worker, grid.id, T.GRID_WORKER, self.rng.uniform(0.5, 3))
            self.grid_workers[grid.id] = worker

    def token_roles(self) -> None:
        """The benchmark's callers: a street supervisor over the big street, and the compound
        roles in an ordinary compound of that street (A) and of another street (B)."""
        compounds = self.plan.compounds
        big_street = self.plan.streets[0]
        officer = next(
            p.person_id
            for p in self.plan.positions
            if p.organisation_id == big_street.id and p.title is T.STREET_OFFICER
        )

        def ordinary(street_matches: bool) -> Compound:
            pool = [c for c in compounds if (c.street_index == 0) == street_matches] or compounds
            return sorted(pool, key=lambda c: c.weight)[len(pool) // 2]

        people, keys = self.plan.token_people, self.plan.token_compounds
        people["admin"], people["supervisor"] = self.admin, officer
        # The grid worker of the first grid on the big street (every community has one).
        first_grid = next(g for g in self.grids.values() if g.path.startswith(big_street.path))
        people["grid_worker"] = self.grid_workers[first_grid.id]
        for suffix, compound in (("", ordinary(True)), ("_b", ordinary(False))):
            keys[f"compound{suffix or '_a'}"] = compound.org.id
            people[f"secretary{suffix}"] = compound.secretary
            people[f"committee_member{suffix}"] = compound.committee_member
            people[f"property_firm{suffix}"] = compound.firm_manager
            people[f"resident{suffix}"] = compound.residents[-1]
        # The demo's partner token is A's co-building partner: make sure A has one.
        compound_a = next(c for c in compounds if c.org.id == keys["compound_a"])
        people["deputy_secretary"] = compound_a.residents[1]  # DEPUTY_SECRETARY (above)
        if compound_a.org.id not in self.plan.partner_of:
            partner = next(o for o in self.plan.organisations if o.kind is K.PARTNER_UNIT)
            start = self.today - timedelta(days=400)
            self.plan.links.append(
                LinkRow(LinkKind.CO_BUILDS, partner.id, compound_a.org.id, start, None)
            )
            self.plan.partner_of[compound_a.org.id] = partner.id


def plan_city(compounds: int, people: int, today: date, seed: int = 7) -> CityPlan:
    planner = _Planner(compounds, people, today, random.Random(seed))
    planner.tree()
    planner.firms_and_partners()
    planner.residents()
    planner.officers()
    planner.token_roles()
    return planner.plan


def person_row(person: Resident, rng: random.Random, at: datetime) -> dict[str, object]:
    joined = date(rng.randint(1975, 2020), 7, 1) if person.member else None
    return {
        "id": person.id,
        "name": person.name,
        "phone": f"13{rng.randrange(0, 10**9):09d}",
        "id_number": None,
        "residence_compound_id": person.compound_id,
        "residence_building_id": person.building_id,
        "residence_unit": person.unit,
        "party_membership": (PartyMembership.MEMBER if person.member else PartyMembership.NONE),
        "party_member_status": (
            (PartyMemberStatus.IN_SERVICE if person.in_service else PartyMemberStatus.RETIRED)
            if person.member
            else None
        ),
        "party_joined_on": joined,
        "party_reported_community_id": person.community_id if person.in_service else None,
        "skills": [],
        "is_admin": person.is_admin,
        "version": 1,
        "created_at": at,
        "updated_at": at,
    }
