"""The FundEntry fields compiled reads build in SQL (schema/compiled); the amount in yuan
(a decimal Python formats), the lines, the reversal links and the issue or call a
spending was for are answered by the resolvers."""

from __future__ import annotations

from sqlmodel import col

from db.models import FundCategory, FundEntry, FundEntryKind
from schema.audit.compiled import audit_trail
from schema.compiled.objects import ObjectSpec, day, enum, global_id, plain, related, timestamp
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person

FUND_ENTRY = ObjectSpec(
    "FundEntry",
    {
        "id": global_id("FundEntry", col(FundEntry.id)),
        "kind": enum(col(FundEntry.kind), FundEntryKind),
        "category": enum(col(FundEntry.category), FundCategory),
        "amount": plain(col(FundEntry.amount)),
        "year": plain(col(FundEntry.year)),
        "occurredOn": day(col(FundEntry.occurred_on)),
        "memo": plain(col(FundEntry.memo)),
        "createdAt": timestamp(col(FundEntry.created_at)),
        "compound": related(
            lambda: ORGANISATION, readable_organisation(col(FundEntry.compound_id))
        ),
        "ledger": related(lambda: ORGANISATION, readable_organisation(col(FundEntry.ledger_id))),
        "body": related(lambda: ORGANISATION, readable_organisation(col(FundEntry.body_id))),
        "recordedBy": related(lambda: PERSON, readable_person(col(FundEntry.created_by_id))),
        "auditTrail": audit_trail("fund_entry", col(FundEntry.id)),
    },
)
