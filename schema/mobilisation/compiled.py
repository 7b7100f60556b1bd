"""The Mobilisation and MobilisationRecipient fields compiled reads build in SQL
(schema/compiled); the figures (targeted, acknowledged, reported, rates, response minutes),
the caller's own answer and a recipient's response minutes (a float Python rounds) are
answered by the resolvers. The recipients are the resolver's own rows
(resolvers/mobilisation/queries.py recipient_rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import col

from db.models import (
    Mobilisation,
    MobilisationGroup,
    MobilisationOutcome,
    MobilisationRecipient,
    MobilisationStatus,
    MobilisationUrgency,
)
from resolvers.context import RequestContext
from resolvers.mobilisation import queries as mobilisation
from schema.audit.compiled import audit_trail
from schema.compiled.nested import NestedConnection
from schema.compiled.objects import (
    ObjectSpec,
    enum,
    enum_json_list,
    global_id,
    plain,
    related,
    timestamp,
)
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person


def _readable_mobilisation(ctx: RequestContext) -> sa.Select[Any]:
    # As its loader reads it: a call the caller may read. Its own reading of the table,
    # below the call whose recipients these are.
    statement = sa.select(Mobilisation).where(
        col(Mobilisation.id) == col(MobilisationRecipient.mobilisation_id),
        ctx.auth.decide(mobilisation.RESOURCE, "read").where(),
    )
    return statement.correlate_except(Mobilisation)


def _recipients(ctx: RequestContext, given: Mapping[str, Any]) -> sa.Select[Any]:
    call = cast(sa.ColumnElement[int], col(Mobilisation.id))
    return mobilisation.recipient_rows(ctx, call, _recipient_filter(given))


def _recipient_filter(given: Mapping[str, Any]) -> mobilisation.RecipientFilter:
    """The `filter:` the document spells (schema/mobilisation/inputs.py RecipientFilter)."""
    spelled: Mapping[str, Any] = given.get("filter") or {}
    group = spelled.get("group")
    return mobilisation.RecipientFilter(
        group=None if group is None else MobilisationGroup[group],
        acknowledged=spelled.get("acknowledged"),
        reported=spelled.get("reported"),
    )


MOBILISATION_RECIPIENT = ObjectSpec(
    "MobilisationRecipient",
    {
        "id": global_id("MobilisationRecipient", col(MobilisationRecipient.id)),
        "group": enum(col(MobilisationRecipient.group), MobilisationGroup),
        "acknowledgedAt": timestamp(col(MobilisationRecipient.acknowledged_at)),
        "reportedAt": timestamp(col(MobilisationRecipient.reported_at)),
        "report": plain(col(MobilisationRecipient.report)),
        "outcome": enum(col(MobilisationRecipient.outcome), MobilisationOutcome),
        "version": plain(col(MobilisationRecipient.version)),
        "person": related(lambda: PERSON, readable_person(col(MobilisationRecipient.person_id))),
        "mobilisation": related(lambda: MOBILISATION, _readable_mobilisation),
        "auditTrail": audit_trail("mobilisation_recipient", col(MobilisationRecipient.id)),
    },
)

MOBILISATION: ObjectSpec = ObjectSpec(
    "Mobilisation",
    {
        "id": global_id("Mobilisation", col(Mobilisation.id)),
        "title": plain(col(Mobilisation.title)),
        "instructions": plain(col(Mobilisation.instructions)),
        "urgency": enum(col(Mobilisation.urgency), MobilisationUrgency),
        "groups": enum_json_list(col(Mobilisation.groups), MobilisationGroup),
        "respondBy": timestamp(col(Mobilisation.respond_by)),
        "status": enum(col(Mobilisation.status), MobilisationStatus),
        "sentAt": timestamp(col(Mobilisation.sent_at)),
        "closedAt": timestamp(col(Mobilisation.closed_at)),
        "version": plain(col(Mobilisation.version)),
        "sender": related(lambda: ORGANISATION, readable_organisation(col(Mobilisation.sender_id))),
        "target": related(lambda: ORGANISATION, readable_organisation(col(Mobilisation.target_id))),
        "sentBy": related(lambda: PERSON, readable_person(col(Mobilisation.sent_by_id))),
        "auditTrail": audit_trail("mobilisation", col(Mobilisation.id)),
        "recipients": NestedConnection(
            lambda: MOBILISATION_RECIPIENT,
            _recipients,
            [cast(sa.ColumnElement[Any], key) for key in mobilisation.RECIPIENT_KEYS],
            filters=frozenset({"filter"}),
        ),
    },
)
