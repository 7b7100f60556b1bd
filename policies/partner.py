"""A partner token's actor: its issuer's access, narrowed at the moment of use.

The token never holds access of its own. At every request the issuer's grants
are derived afresh (an ended position is gone), cut down to the token's
organisations, and capped by its scopes; the partner organisation is who acts.
"""

from __future__ import annotations

from dataclasses import replace

from db.paths import in_subtree
from policies.actor import Actor
from policies.grants import RESIDENT, SELF, Grant
from policies.token_scopes import actions_of

PERSONAL_ROLES = frozenset({SELF, RESIDENT})


def narrow_grants(grants: tuple[Grant, ...], paths: tuple[str, ...]) -> tuple[Grant, ...]:
    """The part of each grant that lies under one of PATHS.

    A grant over a wider domain becomes a grant over the token's organisation; a
    grant inside a token organisation stays as it is. Only access held by office
    is lent: never the issuer's own records ("self") nor what they may do as a
    resident, so a token loses everything when its issuer leaves office.
    """
    narrowed: set[Grant] = set()
    for grant in grants:
        if grant.role in PERSONAL_ROLES:
            continue
        for path in paths:
            if in_subtree(path, grant.domain):
                narrowed.add(Grant(grant.role, path, f"{grant.source}; partner token"))
            elif in_subtree(grant.domain, path):
                narrowed.add(Grant(grant.role, grant.domain, f"{grant.source}; partner token"))
    return tuple(sorted(narrowed, key=lambda g: (g.role, g.domain, g.source)))


def partner_actor(
    issuer: Actor,
    *,
    partner_organisation_id: int,
    partner_path: str,
    organisation_paths: tuple[str, ...],
    scopes: list[str],
) -> Actor:
    return replace(
        issuer,
        grants=narrow_grants(issuer.grants, organisation_paths),
        # The partner works for itself: "assigned" rows are the partner's, not the issuer's.
        member_of=(partner_path,) if partner_path else (),
        partner_organisation_id=partner_organisation_id,
        allowed_actions=actions_of(scopes),
    )
