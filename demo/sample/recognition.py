"""The demo city's mentoring (導師幫帶) and commendations (兩優一先), and a triaged issue in
each compound.

The street's organisation officer pairs each compound's experienced secretary with a newer
member of its branch (繼光花苑's pairing runs; 上東小區's has ended, its mentee now stands on
their own) and records last year's honours: 繼光花苑's secretary as an outstanding party worker
of the district, 上東小區's branch as an advanced grassroots party organisation (it led the
owners' committee's re-election, as the article tells) and one of its members as an outstanding
party member of the street. Each compound's secretary corrects the priority of one open issue
its reporter under-rated. All through the actions of resolvers/ by their people, with the
clock at their moment.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.models import CommendationKind, Issue, IssuePriority, IssueStatus
from demo.sample.build import DemoCity
from demo.sample.moments import utc_hour as _at
from resolvers.issues.commands import TriageIssue
from resolvers.issues.lifecycle import OPEN_STATES
from resolvers.issues.triage import triage_issue
from resolvers.recognition.commendations import Commend, commend
from resolvers.recognition.mentoring import EndMentoring, PairMentor, end_mentoring, pair_mentor

K = CommendationKind
OFFICER = "officer"
# (compound, mentor, mentee, started days ago, ended days ago or None, note)
PAIRINGS = (
    ("a", "a0", "a6", 200, None, "帶教副書記熟悉“兩議兩評兩公開”議事流程"),
    ("b", "b0", "b3", 330, 60, "帶教支委組織樓棟黨小組活動"),
)
# (kind, recipient person key or None, branch key or None, awarded by, title, citation)
HONOURS = (
    (
        K.EXCELLENT_PARTY_WORKER,
        "a0",
        None,
        "district",
        "{year}年度蕉城區優秀黨務工作者",
        "推行導師幫帶，引導業委會換屆，小區黨員比例提高到60%。",
    ),
    (
        K.ADVANCED_PARTY_ORGANISATION,
        None,
        "branch_b",
        "district",
        "{year}年度蕉城區先進基層黨組織",
        "引領業主委員會改選並推動更換物業，實現公共收益首次分紅。",
    ),
    (
        K.EXCELLENT_PARTY_MEMBER,
        "b9",
        None,
        "street",
        "{year}年度蕉北街道優秀共產黨員",
        "帶頭認領停車難問題，協調增設停車位40個。",
    ),
)
TRIAGE_REASONS = {
    "a": "涉及消防通道，提高優先級",
    "b": "多戶反映，影響出行，提高優先級",
}


async def _pairings(city: DemoCity, today: date) -> None:
    for key, mentor, mentee, started, ended, note in PAIRINGS:
        start = today - timedelta(days=started)
        with clock.frozen(_at(start, 2)):
            pair = await pair_mentor(
                await city.as_person(OFFICER),
                PairMentor(
                    branch_id=city.organisations[f"branch_{key}"].id or 0,
                    mentor_id=city.people[mentor].id or 0,
                    mentee_id=city.people[mentee].id or 0,
                    start_date=start,
                    note=note,
                ),
            )
        if ended is not None:
            end = today - timedelta(days=ended)
            with clock.frozen(_at(end, 2)):
                await end_mentoring(
                    await city.as_person(OFFICER),
                    EndMentoring(id=pair.id or 0, note="結對期滿，已能獨立履職"),
                )


async def _honours(city: DemoCity, today: date) -> None:
    year = today.year - 1
    with clock.frozen(_at(today - timedelta(days=90), 3)):
        for kind, person, branch, awarder, title, citation in HONOURS:
            await commend(
                await city.as_person(OFFICER),
                Commend(
                    kind=kind,
                    year=year,
                    title=title.format(year=year),
                    citation=citation,
                    awarded_by_id=city.organisations[awarder].id or 0,
                    person_id=city.people[person].id if person else None,
                    organisation_id=city.organisations[branch].id if branch else None,
                ),
            )


async def _triage(city: DemoCity) -> None:
    """The newest open issue of NORMAL priority in each compound is raised to HIGH."""
    for key, reason in TRIAGE_REASONS.items():
        async with city.db.read_sessions() as session:
            issue = (
                await session.execute(
                    sa.select(Issue)
                    .where(
                        col(Issue.compound_id) == city.organisations[f"compound_{key}"].id,
                        col(Issue.priority) == IssuePriority.NORMAL,
                        col(Issue.status).in_(OPEN_STATES - {IssueStatus.ESCALATED}),
                    )
                    .order_by(col(Issue.id).desc())
                    .limit(1)
                )
            ).scalar_one()
        await triage_issue(
            await city.as_person(f"{key}0"),
            TriageIssue(id=issue.id or 0, priority=IssuePriority.HIGH, reason=reason),
        )


async def load_demo_recognition(city: DemoCity) -> None:
    today = clock.today()
    await _pairings(city, today)
    await _honours(city, today)
    await _triage(city)
