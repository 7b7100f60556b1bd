"""A compound's governing bodies, its party branch and owners' committee: the ones that
publish notices and fund statements and keep the compound's public revenue."""

from __future__ import annotations

from collections.abc import Callable

from db.models import Organisation, OrganisationKind
from policies.conditions import RowFacts
from resolvers.errors import BadUserInput
from resolvers.i18n import Text
from resolvers.mutations import Place

BODIES = frozenset({OrganisationKind.PARTY_BRANCH, OrganisationKind.OWNERS_COMMITTEE})


def compound_body(
    organisation: Organisation, refusal: Callable[[Organisation], Text]
) -> Organisation:
    """ORGANISATION if it is one of a compound's bodies (a joint branch lies in no compound),
    else refused with REFUSAL's message about it (each feature says what it needs)."""
    if organisation.kind not in BODIES or organisation.compound_id is None:
        raise BadUserInput(refusal(organisation))
    return organisation


def body_place(body: Organisation, compound_id: int | None = None) -> Place:
    """Where a body's own records lie: at the body, checked as the body (`body_path`)."""
    facts = RowFacts(paths=(body.path,), body_path=body.path)
    return Place(body.id, body.path, facts, compound_id)
