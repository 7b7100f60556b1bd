"""The demo city, modelled on the source article: Ningde, Jiaocheng district, two compounds.

It is built by the operator through the API's own operations (createOrganisation,
registerPerson, appointPosition, linkOrganisations, ...), each validated and audited like a
call, so the demo cannot drift from the rules. Loading is idempotent: the data is created
once; asking again only issues fresh demo tokens (secrets are never stored, so old ones
cannot be shown).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import Database
from db.models import (
    AuditEntry,
    LinkKind,
    Organisation,
    PartyMembership,
    PartyMemberStatus,
    Person,
)
from db.models import (
    OrganisationKind as K,
)
from db.models import (
    PositionTitle as T,
)
from demo.sample.build import DemoCity, appoint, create_org, link
from demo.sample.deliberations import load_demo_deliberations
from demo.sample.disclosure import load_demo_disclosure
from demo.sample.evaluations import load_demo_evaluations
from demo.sample.funds import load_demo_funds
from demo.sample.issues import load_demo_issues
from demo.sample.joint import load_demo_joint_branch
from demo.sample.liaisons import load_demo_liaisons
from demo.sample.love_bank import load_demo_lovebank
from demo.sample.mobilisation import load_demo_mobilisation
from demo.sample.recognition import load_demo_recognition
from demo.sample.service_posts import load_demo_posts
from resolvers.audited import AuditRecord, run_operator_change
from resolvers.people.actions import PersonFields, register_person

CITY_NAME = "寧德市"
GRID_NAME = "濱湖社區第一網格"
GRID_WORKER_NAME = "網格員 黃麗"
TOKEN_ROLES = (
    "admin",
    "supervisor",
    "secretary",
    "committee_member",
    # A's deputy branch secretary: sits in (列席) on the owners' committee's meetings.
    "deputy_secretary",
    "property_firm",
    "resident",
    "secretary_b",
    "committee_member_b",
    "property_firm_b",
    "resident_b",
    "grid_worker",
    # The joint branch's secretary (聯合黨支部, demo/sample/joint.py) and a resident of
    # 濱湖新村 (compound D), one of the small compounds it serves.
    "joint_secretary",
    "resident_d",
)
RESIDENTS_PER_COMPOUND = 30
SURNAMES = "陳林黃張李王吳劉蔡楊鄭謝郭許曾周"
GIVEN = "建國秀英志強麗華明輝春梅海燕文杰小紅德勝桂芳金水玉蘭"
SKILLS = ("lawyer", "teacher", "doctor", "nurse", "electrician", "plumber", "accountant")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    first17 = f"350902{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]
    return first17 + check


async def _tree(city: DemoCity) -> None:
    await create_org(city, "city", CITY_NAME, K.CITY, None)
    await create_org(city, "district", "蕉城區", K.DISTRICT, "city")
    await create_org(city, "street", "蕉北街道", K.STREET, "district")
    await create_org(city, "community", "濱湖社區", K.COMMUNITY, "street")
    await create_org(city, "department", "蕉城區住房和城鄉建設局", K.DEPARTMENT, "district")
    await create_org(city, "firm_a", "安居物業服務有限公司", K.PROPERTY_FIRM, "district")
    await create_org(city, "firm_b", "鄰安物業管理有限公司", K.PROPERTY_FIRM, "district")
    await create_org(city, "partner", "國網寧德供電公司蕉城分部", K.PARTNER_UNIT, "district")
    # A's community keeps a grid (網格) over A; B sits straight under the community.
    await create_org(city, "grid", GRID_NAME, K.GRID, "community")
    for key, name, parent in (("a", "繼光花苑", "grid"), ("b", "上東小區", "community")):
        compound = f"compound_{key}"
        await create_org(city, compound, name, K.COMPOUND, parent)
        for n in (1, 2, 3):
            await create_org(city, f"building_{key}{n}", f"{name}{n}號樓", K.BUILDING, compound)
        await create_org(city, f"branch_{key}", f"{name}小區黨支部", K.PARTY_BRANCH, compound)
        for n in (1, 2):
            branch = f"branch_{key}"
            await create_org(city, f"group_{key}{n}", f"{name}{n}號樓黨小組", K.PARTY_GROUP, branch)
        await create_org(
            city, f"committee_{key}", f"{name}業主委員會", K.OWNERS_COMMITTEE, compound
        )
        await create_org(city, f"board_{key}", f"{name}業主監事會", K.SUPERVISORY_BOARD, compound)


async def _register(city: DemoCity, key: str, fields: PersonFields) -> Person:
    person = await register_person(city.operator(), fields)
    city.people[key] = person
    return person


async def _people(city: DemoCity, rng: random.Random) -> None:
    orgs = city.organisations
    community_id = orgs["community"].id
    for key in ("a", "b"):
        for n in range(RESIDENTS_PER_COMPOUND):
            member = n % 3 == 0
            in_service = member and n % 2 == 0
            fields = PersonFields(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                phone=f"13{rng.randrange(0, 10**9):09d}",
                id_number=id_number(rng),
                residence_compound_id=orgs[f"compound_{key}"].id,
                residence_building_id=orgs[f"building_{key}{n % 3 + 1}"].id,
                residence_unit=f"{n // 3 + 1}0{n % 4 + 1}",
                party_membership=PartyMembership.MEMBER if member else PartyMembership.NONE,
                party_member_status=(
                    (PartyMemberStatus.IN_SERVICE if in_service else PartyMemberStatus.RETIRED)
                    if member
                    else None
                ),
                party_joined_on=date(1980 + n, 7, 1) if member else None,
                party_reported_community_id=community_id if in_service else None,
                skills=[rng.choice(SKILLS)] if n % 5 == 0 else [],
            )
            await _register(city, f"{key}{n}", fields)
    for key, name in (
        ("officer", "街道組織委員 鄭明"),
        ("manager_a", "安居物業經理 何平"),
        ("manager_b", "鄰安物業經理 羅成"),
        ("admin", "平台管理員"),
        ("grid_worker", GRID_WORKER_NAME),
    ):
        phone = f"139{rng.randrange(0, 10**8):08d}"
        await _register(city, key, PersonFields(name=name, phone=phone))
    # No operation makes a platform administrator (the API has none by design): the operator
    # marks the demo's one in the database, as an operator marks a real one.
    async with city.db.write() as session:
        admin = await session.get(Person, city.people["admin"].id)
        assert admin is not None
        admin.is_admin = True
    city.people["admin"].is_admin = True
    people = city.people
    people["secretary"] = people["a0"]
    people["committee_member"] = people["a3"]
    people["resident"] = people["a1"]
    people["resident_b"] = people["b1"]
    people["supervisor"] = people["officer"]
    people["property_firm"] = people["manager_a"]


async def _positions(city: DemoCity) -> None:
    start = date(2024, 1, 1)
    appointments = [
        ("secretary", "branch_a", T.SECRETARY),
        ("a6", "branch_a", T.DEPUTY_SECRETARY),
        # a3 sits on the branch committee and the owners' committee: a cross-appointment.
        ("a3", "branch_a", T.BRANCH_COMMITTEE_MEMBER),
        ("a3", "committee_a", T.COMMITTEE_MEMBER),
        ("a9", "committee_a", T.COMMITTEE_CHAIR),
        ("a4", "committee_a", T.COMMITTEE_MEMBER),
        ("a12", "board_a", T.SUPERVISORY_BOARD_CHAIR),
        ("a5", "board_a", T.SUPERVISOR_BOARD_MEMBER),
        ("a15", "group_a1", T.GROUP_LEADER),
        ("a18", "group_a2", T.GROUP_LEADER),
        ("a21", "group_a1", T.PARTY_HOUSEHOLD_HEAD),
        ("a7", "committee_a", T.PROPERTY_MONITOR),
        ("b0", "branch_b", T.SECRETARY),
        ("b3", "branch_b", T.BRANCH_COMMITTEE_MEMBER),
        ("b9", "committee_b", T.COMMITTEE_CHAIR),
        ("b4", "committee_b", T.COMMITTEE_MEMBER),
        ("b12", "board_b", T.SUPERVISORY_BOARD_CHAIR),
        ("b15", "group_b1", T.GROUP_LEADER),
        ("manager_a", "firm_a", T.PROPERTY_MANAGER),
        ("a24", "firm_a", T.PARTY_BUILDING_LIAISON),
        ("manager_b", "firm_b", T.PROPERTY_MANAGER),
        ("officer", "street", T.STREET_OFFICER),
        ("grid_worker", "grid", T.GRID_WORKER),
    ]
    for person, org, title in appointments:
        await appoint(city, person, org, title, start)
    # A past term, so history shows: the first chair of A's supervisory board stepped down
    # (recorded under COMMITTEE_CHAIR, the title boards used before SUPERVISORY_BOARD_CHAIR).
    await appoint(city, "a8", "board_a", T.COMMITTEE_CHAIR, date(2021, 1, 1), start)
    for source, target, kind in (
        ("firm_a", "compound_a", LinkKind.SERVES),
        ("firm_b", "compound_b", LinkKind.SERVES),
        ("partner", "compound_a", LinkKind.CO_BUILDS),
    ):
        await link(city, kind, source, target, start, date(2027, 12, 31))
    await load_demo_liaisons(city)


async def find_demo(session: AsyncSession) -> Organisation | None:
    return (
        await session.execute(
            sa.select(Organisation).where(
                col(Organisation.name) == CITY_NAME, col(Organisation.kind) == K.CITY
            )
        )
    ).scalar_one_or_none()


async def load_demo(db: Database, seed: int = 2021) -> DemoCity:
    """Build the demo city in DB through the API's operations, each committed and audited.

    The operator's first entry marks the start of the load.
    """
    rng = random.Random(seed)
    city = DemoCity(db)
    await _mark(db, "seedDemo", seed)
    await _tree(city)
    await _people(city, rng)
    await _positions(city)
    await load_demo_issues(city, seed=seed)
    await load_demo_posts(city, seed=seed)
    await load_demo_evaluations(city, seed=seed)
    await load_demo_lovebank(city)
    await load_demo_disclosure(city)
    await load_demo_funds(city)
    await load_demo_deliberations(city)
    await load_demo_mobilisation(city)
    await load_demo_recognition(city)
    await load_demo_joint_branch(city)
    await _mark(db, "seedDemoComplete", seed)
    return city


async def demo_complete(session: AsyncSession) -> bool:
    """Whether the demo's load ran to its end (it commits operation by operation, so a load
    cut off half-way leaves a city without this last entry)."""
    found = await session.execute(
        sa.select(col(AuditEntry.seq))
        .where(col(AuditEntry.operation) == "seedDemoComplete")
        .limit(1)
    )
    return found.first() is not None


async def _mark(db: Database, operation: str, seed: int) -> None:
    """The operator's entries that open (seedDemo) and close (seedDemoComplete) the demo's
    part of the audit log."""

    async def handler(session: AsyncSession, record: AuditRecord) -> None:
        record.change("seed", None, seed)

    await run_operator_change(
        db,
        operation=operation,
        resource_type="organisation",
        input={"seed": seed, "city": CITY_NAME},
        handler=handler,
    )


async def demo_token_people(session: AsyncSession) -> tuple[dict[str, int], dict[str, int]]:
    """(token role -> person id, compound key -> organisation id) of a loaded demo city.

    Found again from the data, so a second `seed demo` needs no memory of the first.
    """
    # Stored rows always have an id: the model's "int | None" only covers unsaved ones.
    compound_ids = cast(
        "dict[str, int]",
        dict(
            (
                await session.execute(
                    sa.select(col(Organisation.name), col(Organisation.id)).where(
                        col(Organisation.kind) == K.COMPOUND
                    )
                )
            ).all()
        ),
    )
    compounds = {
        "compound_a": compound_ids["繼光花苑"],
        "compound_b": compound_ids["上東小區"],
        "compound_d": compound_ids["濱湖新村"],
    }

    async def by_name(name: str) -> int:
        return int(
            (await session.execute(sa.select(col(Person.id)).where(col(Person.name) == name)))
            .scalars()
            .first()
            or 0
        )

    async def resident(compound_id: int, index: int) -> int:
        ids = (
            (
                await session.execute(
                    sa.select(col(Person.id))
                    .where(col(Person.residence_compound_id) == compound_id)
                    .order_by(col(Person.id))
                )
            )
            .scalars()
            .all()
        )
        return int(cast(int, ids[index]))

    people = {
        "admin": await by_name("平台管理員"),
        "supervisor": await by_name("街道組織委員 鄭明"),
        "property_firm": await by_name("安居物業經理 何平"),
        "secretary": await resident(compounds["compound_a"], 0),
        "committee_member": await resident(compounds["compound_a"], 3),
        "deputy_secretary": await resident(compounds["compound_a"], 6),
        "resident": await resident(compounds["compound_a"], 1),
        "secretary_b": await resident(compounds["compound_b"], 0),
        "committee_member_b": await resident(compounds["compound_b"], 3),
        "property_firm_b": await by_name("鄰安物業經理 羅成"),
        "resident_b": await resident(compounds["compound_b"], 1),
        "grid_worker": await by_name(GRID_WORKER_NAME),
        "joint_secretary": await resident(compounds["compound_d"], 0),
        "resident_d": await resident(compounds["compound_d"], 1),
    }
    return people, compounds
