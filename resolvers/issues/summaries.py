"""Timeline entries said in a sentence, for entries whose meaning is in columns rather than in
words someone wrote (a TRIAGE's before and after)."""

from __future__ import annotations

from db.models import IssueEvent, IssueEventKind
from resolvers.i18n import Text, coded, tr
from resolvers.i18n.text import Value


def triage_summary(event: IssueEvent) -> Text | None:
    """What a TRIAGE entry changed, in the reader's language; None for any other entry."""
    if event.kind is not IssueEventKind.TRIAGE:
        return None
    if (
        event.from_priority is None
        or event.to_priority is None
        or event.from_category is None
        or event.to_category is None
        or event.from_due_at is None
        or event.to_due_at is None
    ):
        return None
    due: dict[str, Value] = {"from_due": event.from_due_at, "to_due": event.to_due_at}
    priority_changed = event.from_priority is not event.to_priority
    category_changed = event.from_category is not event.to_category
    if priority_changed and category_changed:
        return tr(
            "Priority {from_priority} → {to_priority}, category {from_category} → "
            "{to_category}; due {from_due} → {to_due}.",
            from_priority=coded(event.from_priority),
            to_priority=coded(event.to_priority),
            from_category=coded(event.from_category),
            to_category=coded(event.to_category),
            **due,
        )
    if priority_changed:
        return tr(
            "Priority {from_priority} → {to_priority}; due {from_due} → {to_due}.",
            from_priority=coded(event.from_priority),
            to_priority=coded(event.to_priority),
            **due,
        )
    return tr(
        "Category {from_category} → {to_category}; due {from_due} → {to_due}.",
        from_category=coded(event.from_category),
        to_category=coded(event.to_category),
        **due,
    )
