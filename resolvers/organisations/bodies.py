"""A compound's governing bodies, its party branch and owners' committee: the ones that
publish notices and fund statements and keep the compound's public revenue. A joint branch
(聯合黨支部) lies in no compound: what it publishes or holds is for one compound it serves,
named by the caller (`compound_for`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organisation, OrganisationKind
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.errors import BadUserInput
from resolvers.i18n import Text, tr
from resolvers.mutations import Place
from resolvers.organisations.branches import compounds_served, is_joint
from resolvers.organisations.paths import path_of

BODIES = frozenset({OrganisationKind.PARTY_BRANCH, OrganisationKind.OWNERS_COMMITTEE})


def compound_body(
    organisation: Organisation, refusal: Callable[[Organisation], Text]
) -> Organisation:
    """ORGANISATION if it is one of a compound's bodies (a joint branch lies in no compound),
    else refused with REFUSAL's message about it (each feature says what it needs)."""
    if organisation.kind not in BODIES or organisation.compound_id is None:
        raise BadUserInput(refusal(organisation))
    return organisation


def serving_body(
    organisation: Organisation, refusal: Callable[[Organisation], Text]
) -> Organisation:
    """ORGANISATION if it is one of a compound's bodies or a joint branch, else refused."""
    if is_joint(organisation):
        return organisation
    return compound_body(organisation, refusal)


async def compound_for(
    session: AsyncSession,
    body: Organisation,
    compound_id: int | None,
    record: AuditRecord,
) -> int:
    """The compound a row of BODY lies in: a compound body's own (COMPOUND_ID, if given, must
    be it); for a joint branch, COMPOUND_ID, which must be one it serves today, where RECORD
    (checked at the branch, above the compound) is then retargeted: the entry and its event
    lie in the compound, as a compound body's do, so its residents hear of the row."""
    if body.compound_id is not None:
        if compound_id not in (None, body.compound_id):
            raise BadUserInput(tr("{name} acts for its own compound only.", name=body.name))
        return body.compound_id
    if compound_id is None:
        raise BadUserInput(
            tr(
                "{name} is a joint branch: name the compound it serves (compound).",
                name=body.name,
            )
        )
    if compound_id not in await compounds_served(session, body):
        raise BadUserInput(tr("{name} does not serve that compound.", name=body.name))
    record.target(None, compound_id, await path_of(session, compound_id), compound_id=compound_id)
    return compound_id


def body_place(body: Organisation, compound_id: int | None = None) -> Place:
    """Where a body's own records lie: at the body, checked as the body (`body_path`)."""
    facts = RowFacts(paths=(body.path,), body_path=body.path)
    return Place(body.id, body.path, facts, compound_id)
