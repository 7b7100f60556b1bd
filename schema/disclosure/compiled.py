"""The Notice fields compiled reads build in SQL (schema/compiled); the read counts,
whether the caller read it, and the questions are answered by the resolvers."""

from __future__ import annotations

from sqlmodel import col

from db.models import Notice, NoticeKind
from policies.scopes import notice_in_force
from schema.audit.compiled import audit_trail
from schema.compiled.objects import (
    ObjectSpec,
    day,
    enum,
    global_id,
    on_request_day,
    plain,
    related,
    timestamp,
)
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person

NOTICE = ObjectSpec(
    "Notice",
    {
        "id": global_id("Notice", col(Notice.id)),
        "kind": enum(col(Notice.kind), NoticeKind),
        "title": plain(col(Notice.title)),
        "body": plain(col(Notice.body)),
        "publishedFrom": day(col(Notice.published_from)),
        "publishedUntil": day(col(Notice.published_until)),
        "withdrawnAt": timestamp(col(Notice.withdrawn_at)),
        "withdrawReason": plain(col(Notice.withdraw_reason)),
        "version": plain(col(Notice.version)),
        "createdAt": timestamp(col(Notice.created_at)),
        "updatedAt": timestamp(col(Notice.updated_at)),
        # Shown on the request's day, as shown_on reads it.
        "shownToday": on_request_day(notice_in_force),
        "compound": related(lambda: ORGANISATION, readable_organisation(col(Notice.compound_id))),
        "publisher": related(lambda: ORGANISATION, readable_organisation(col(Notice.publisher_id))),
        "publishedBy": related(lambda: PERSON, readable_person(col(Notice.published_by_id))),
        "auditTrail": audit_trail("notice", col(Notice.id)),
    },
)
