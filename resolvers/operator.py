"""The operator working through the API's own operations (`jinlin seed demo`).

A change made this way is validated, authorized and audited exactly like an API call: the
operator acts as an administrator over the whole tree with no person signed in (entries carry
the admin role and no actor person), or plays a person's part with that person's own grants on
the day the clock shows, so a person's action is refused where theirs would be.
"""

from __future__ import annotations

from db import clock
from db.engine import Database
from db.paths import ROOT
from policies.actor import Actor
from policies.grants import ADMIN, Grant, load_actor
from resolvers.context import RequestContext

# The one actor allowed to change things without a person: run_mutation knows it by identity.
OPERATOR_ACTOR = Actor(person_id=None, grants=(Grant(ADMIN, ROOT, "command line"),))


def operator_context(db: Database, request_id: str) -> RequestContext:
    """A context for the operator's own changes; its day is the clock's, read now."""
    return RequestContext(db=db, actor=OPERATOR_ACTOR, request_id=request_id, client_address="cli")


async def person_context(db: Database, person_id: int, request_id: str) -> RequestContext:
    """A context acting as PERSON_ID with the grants their positions give them today."""
    today = clock.today()
    async with db.read_sessions() as session:
        actor = await load_actor(session, person_id, None, today)
    return RequestContext(
        db=db, actor=actor, request_id=request_id, client_address="cli", today=today
    )
