"""An audit entry as a person reads it: names for ids, labels for fields, China time.

The raw entry stays the record (and what the hash covers); this only adds text beside it.
Names come from one batch lookup (resolvers.audit_names) for a page or an export batch:
``wanted`` lists what an entry needs, ``readable`` reads it with the names found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from db.models import AuditEntry
from db.paths import ids_on_path
from resolvers.audit.field_labels import REFERENCES, VALUE_LABELS, field_label
from resolvers.audit_names import Names

CHINA = ZoneInfo("Asia/Shanghai")
# Changes made at the `jinlin` command line have no person: whoever operates the server.
OPERATOR_NAME = "服务器操作员 (operator)"
# Changes the server made by itself (resolvers.audited.run_system_change).
SYSTEM_NAME = "系统 (system)"
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ENUM = re.compile(r"^[A-Z][A-Z_]+$")


@dataclass(frozen=True)
class ReadableChange:
    field: str
    label: str
    label_en: str
    before: Any
    after: Any
    before_text: str | None
    after_text: str | None


@dataclass(frozen=True)
class ReadableEntry:
    """The names an entry shows beside its ids (None: nothing to name, or it is gone)."""

    actor_name: str | None
    acting_organisation_name: str | None
    partner_name: str | None
    token_name: str | None
    organisation_name: str | None
    resource_label: str | None
    changes: tuple[ReadableChange, ...]


def china_time(moment: datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def acting_organisation_id(entry: AuditEntry) -> int | None:
    """The partner unit for a partner token; otherwise the organisation whose subtree the
    allowing grant covered (the firm, for its staff)."""
    if entry.actor_organisation_id is not None:
        return entry.actor_organisation_id
    ids = ids_on_path(entry.domain) if entry.domain else []
    return ids[-1] if ids else None


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, str) and value.isdigit():
        return [int(value)]
    if isinstance(value, list):
        return [i for item in value for i in _ids(item)]
    return []


def wanted(entry: AuditEntry) -> set[tuple[str, int]]:
    """The (kind, id) pairs whose names ENTRY shows."""
    keys: set[tuple[str, int]] = set()
    if entry.actor_person_id is not None:
        keys.add(("person", entry.actor_person_id))
    if entry.actor_token_id is not None:
        keys.add(("token", entry.actor_token_id))
    for organisation in (acting_organisation_id(entry), entry.organisation_id):
        if organisation is not None:
            keys.add(("organisation", organisation))
    if entry.resource_label is None and entry.resource_id and entry.resource_id.isdigit():
        keys.add((entry.resource_type, int(entry.resource_id)))
    for change in entry.changes or []:
        kind = REFERENCES.get(str(change.get("field")))
        if kind is not None:
            for value in (change.get("before"), change.get("after")):
                keys.update((kind, i) for i in _ids(value))
    return keys


def wanted_all(entries: Iterable[AuditEntry]) -> set[tuple[str, int]]:
    return {key for entry in entries for key in wanted(entry)}


def value_text(field: str, value: Any, names: Names) -> str | None:
    """VALUE of FIELD as a person reads it (None stays None: nothing there)."""
    if value is None:
        return None
    kind = REFERENCES.get(field)
    if kind is not None and _ids(value):
        shown = [f"{names.get((kind, i), '?')} (#{i})" for i in _ids(value)]
        return "、".join(shown)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if _MOMENT.match(value):
            try:
                return china_time(datetime.fromisoformat(value))
            except ValueError:
                return value
        if _ENUM.match(value):
            return f"{VALUE_LABELS[value]} ({value})" if value in VALUE_LABELS else value
        return value
    if isinstance(value, list):
        return "、".join(value_text(field, item, names) or "" for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def readable_change(change: dict[str, Any], names: Names) -> ReadableChange:
    field = str(change.get("field"))
    label, label_en = field_label(field)
    before, after = change.get("before"), change.get("after")
    return ReadableChange(
        field,
        label,
        label_en,
        before,
        after,
        value_text(field, before, names),
        value_text(field, after, names),
    )


def readable(entry: AuditEntry, names: Names) -> ReadableEntry:
    def name(kind: str, key: int | None) -> str | None:
        return None if key is None else names.get((kind, key))

    actor = name("person", entry.actor_person_id)
    # No person behind it: the command line ("operator"), or the operator acting through
    # the API's own operations as an admin over the whole tree (the demo's load).
    if actor is None and entry.actor_person_id is None and entry.role in ("operator", "admin"):
        actor = OPERATOR_NAME
    if actor is None and entry.actor_person_id is None and entry.role == "system":
        actor = SYSTEM_NAME
    label = entry.resource_label
    if label is None and entry.resource_id and entry.resource_id.isdigit():
        label = names.get((entry.resource_type, int(entry.resource_id)))
    return ReadableEntry(
        actor_name=actor,
        acting_organisation_name=name("organisation", acting_organisation_id(entry)),
        partner_name=name("organisation", entry.actor_organisation_id),
        token_name=name("token", entry.actor_token_id),
        organisation_name=name("organisation", entry.organisation_id),
        resource_label=label,
        changes=tuple(readable_change(change, names) for change in entry.changes or []),
    )
