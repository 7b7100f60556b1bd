"""Every field that can be withheld names, in its schema description, the permission it needs,
and the code withholds no field this list does not know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schema.schema import schema

# Field -> the permission whose lack makes it null (noted once in extensions.maskedFields).
SENSITIVE = {
    "Person.phone": "person:read_phone",
    "Person.idNumber": "person:read_id_number",
    "Person.party": "person:read_party",
    "Person.pointsBalance": "points:read",
    "Issue.reporter": "issue:read_reporter",
    "IssueEvent.actor": "issue:read_reporter",
    "AuditEntry.actor": "person:read",
    "StationDuty.role": "person:read_party",
    "DutyShift.role": "person:read_party",
    "NoticeQuestion.asker": "notice_question:read_asker",
}
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


@pytest.mark.parametrize(("field", "permission"), SENSITIVE.items())
def test_the_description_names_the_permission(field: str, permission: str) -> None:
    type_name, name = field.split(".")
    description = schema._schema.type_map[type_name].fields[name].description  # type: ignore[union-attr]
    assert description and permission in description, (field, description)
    assert "maskedFields" in description


def test_every_withheld_field_is_listed() -> None:
    # Fields are withheld by naming them as the note's entry: "Type.field" string literals.
    named = set()
    for path in SCHEMA_DIR.rglob("*.py"):
        named |= set(re.findall(r'"([A-Z][A-Za-z]+\.[a-z][A-Za-z]+)"', path.read_text("utf-8")))
    withheld = {name for name in named if name.split(".")[0] in schema._schema.type_map}
    assert withheld <= set(SENSITIVE), withheld - set(SENSITIVE)
