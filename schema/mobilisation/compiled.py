"""The Mobilisation fields compiled reads build in SQL (schema/compiled); the figures
(targeted, acknowledged, reported, rates, response minutes), the caller's own answer and
the recipients are answered by the resolvers."""

from __future__ import annotations

from sqlmodel import col

from db.models import Mobilisation, MobilisationGroup, MobilisationStatus, MobilisationUrgency
from schema.audit.compiled import audit_trail
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

MOBILISATION = ObjectSpec(
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
    },
)
