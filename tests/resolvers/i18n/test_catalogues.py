"""The catalogues translate every message the code marks, and a message reads well in each."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from enum import StrEnum

import pytest
from babel.messages.pofile import read_po

from db.models import (
    IssueStatus,
    LinkKind,
    MeetingStatus,
    OrganisationKind,
    PositionTitle,
    ProjectStatus,
    StandingList,
)
from resolvers.i18n import LOCALES, Text, coded, tr, translate
from resolvers.i18n.catalogues import po_path
from resolvers.i18n.enum_labels import ENUM_LABELS
from resolvers.i18n.extraction import extract_catalog

_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
# (context, message id): an enum label has its enum as context ("Closed" twice).
MARKED = {(m.context, m.id) for m in extract_catalog() if m.id and isinstance(m.id, str)}


def _catalogue(locale: str) -> dict[tuple[str | None, str], str]:
    with po_path(locale).open("rb") as po:
        catalog = read_po(po, locale=locale)
    return {(m.context, m.id): m.string for m in catalog if m.id and isinstance(m.id, str)}


def test_the_code_marks_messages() -> None:
    assert len(MARKED) > 500
    assert (None, "No {label} with that id exists or you may not see it.") in MARKED
    assert {("IssueStatus", "Closed"), ("EvaluationStatus", "Closed")} <= MARKED


@pytest.mark.parametrize("locale", LOCALES)
def test_every_marked_message_is_translated(locale: str) -> None:
    catalogue = _catalogue(locale)
    untranslated = sorted(m for m in MARKED if not catalogue.get(m))
    assert not untranslated, f"{locale} lacks translations (run pybabel update, README)"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_catalogue_keeps_messages_the_code_no_longer_has(locale: str) -> None:
    assert sorted(set(_catalogue(locale)) - MARKED) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_translation_has_the_placeholders_of_its_source(locale: str) -> None:
    for (_, source), translated in _catalogue(locale).items():
        expected = set(_PLACEHOLDER.findall(source))
        assert set(_PLACEHOLDER.findall(translated)) == expected, (source, translated)


def test_english_reads_as_the_source() -> None:
    assert all(source == text for (_, source), text in _catalogue("en").items())


def test_the_chinese_catalogues_are_chinese() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    for locale in ("zh_Hans", "zh_Hant"):
        # Every message with words in it (not "{path} {problem}") has Chinese words.
        worded = {
            k: v for (_, k), v in _catalogue(locale).items() if _PLACEHOLDER.sub("", k).strip()
        }
        assert all(han.search(text) for text in worded.values()), locale
    # Traditional text quotes with corner brackets, as Taiwan and Hong Kong print it.
    assert not any("“" in text for text in _catalogue("zh_Hant").values())
    # The same sentence in its two scripts.
    refused = tr("This token has expired.")
    assert translate(refused, "zh_Hans") == "此令牌已过期。"
    assert translate(refused, "zh_Hant") == "此令牌已過期。"


def test_a_nested_label_is_translated_with_its_sentence() -> None:
    missing = tr("No {label} with that id exists or you may not see it.", label=tr("issue"))
    assert translate(missing, "zh_Hans") == "该 id 的问题不存在，或你无权查看。"
    assert translate(missing, "zh_Hant") == "該 id 的問題不存在，或你無權查看。"
    assert translate(missing, "en") == str(missing)
    assert str(missing) == "No issue with that id exists or you may not see it."


def test_times_in_messages_are_china_time() -> None:
    opens = tr(
        "Scoring opens at {opens_at} (China time).",
        opens_at=datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
    )
    assert translate(opens, "en") == "Scoring opens at 2027-01-01 00:30 (China time)."
    assert translate(opens, "zh_Hans") == "打分于北京时间 2027-01-01 00:30 开始。"
    # SQLite hands stored times back naive: they are UTC too.
    naive = Text(opens.msgid, {"opens_at": datetime(2026, 6, 1, 1, 0)})
    assert str(naive) == "Scoring opens at 2026-06-01 09:00 (China time)."
    day = tr("This post ended on {ends_on}.", ends_on=date(2026, 5, 4))
    assert translate(day, "zh_Hant") == "此崗位已於 2026-05-04 結束。"
    duty = tr(
        "{name} is already on duty here {when} {starts_at}–{ends_at}.",
        name="王芳",
        when=tr("every {weekday}", weekday=tr("Monday")),
        starts_at=time(9, 0),
        ends_at=time(11, 30),
    )
    assert translate(duty, "zh_Hans") == "王芳已在此值班：每星期一 09:00–11:30。"
    assert str(duty) == "王芳 is already on duty here every Monday 09:00–11:30."


def test_an_unknown_locale_reads_as_the_default() -> None:
    assert translate(tr("This token has expired."), "fr") == "此令牌已过期。"


def test_a_plain_string_is_left_as_it_is() -> None:
    assert translate("as it is", "zh_Hant") == "as it is"


def test_enum_values_in_a_message_read_as_labels_in_chinese_and_as_spelled_in_english() -> None:
    refused = tr(
        "A {title} belongs to a {fits}, not a {kind}.",
        title=coded(PositionTitle.SECRETARY),
        fits=coded(OrganisationKind.PARTY_BRANCH, OrganisationKind.COMPOUND, joiner=" or "),
        kind=coded(OrganisationKind.OWNERS_COMMITTEE),
    )
    assert (
        str(refused) == "A SECRETARY belongs to a PARTY_BRANCH or COMPOUND, not a OWNERS_COMMITTEE."
    )
    assert translate(refused, "en") == str(refused)
    assert translate(refused, "zh_Hans") == "“书记”职务属于党支部、小区，而非业主委员会。"
    assert translate(refused, "zh_Hant") == "「書記」職務屬於黨支部、小區，而非業主委員會。"


@pytest.mark.parametrize(
    "enum",
    [
        IssueStatus,
        MeetingStatus,
        OrganisationKind,
        PositionTitle,
        LinkKind,
        ProjectStatus,
        StandingList,
    ],
)
def test_an_enum_messages_name_has_a_label_for_every_value(enum: type[StrEnum]) -> None:
    labels = ENUM_LABELS[enum.__name__]
    assert [member.value for member in enum] == list(labels)
