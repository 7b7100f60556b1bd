"""enumLabels: what people call enum values, in the request's language."""

from __future__ import annotations

import pytest
from graphql import GraphQLEnumType

from resolvers.i18n.enum_labels import ENUM_LABELS
from schema.schema import schema
from tests.helpers import Api

LABELS = "query ($enums: [String!]) { enumLabels(enums: $enums) { enum values { value label } } }"
# Enums only programs read: their names are their meaning.
UNLABELLED = {
    "IssueOrder",
    "PersonOrder",
    "OrganisationOrder",
    "PositionOrder",
    "TokenScope",
    "EventKind",
    "WebhookStatus",
    "WebhookDeliveryStatus",
    "WebhookDisabledReason",
}


def _schema_enums() -> dict[str, list[str]]:
    found = schema._schema.type_map.items()
    return {
        name: list(type_.values)
        for name, type_ in found
        if isinstance(type_, GraphQLEnumType) and not name.startswith("__")
    }


def test_every_enum_people_see_has_a_label_for_each_value_in_order() -> None:
    enums = _schema_enums()
    assert set(ENUM_LABELS) == set(enums) - UNLABELLED
    for name, labels in ENUM_LABELS.items():
        assert list(labels) == enums[name], name


@pytest.mark.parametrize(
    ("locale", "issue_closed", "evaluation_closed", "urgent"),
    [
        ("zh_Hans", "已关闭", "已结束", "紧急"),
        ("zh_Hant", "已關閉", "已結束", "緊急"),
        ("en", "Closed", "Closed", "Urgent"),
    ],
)
async def test_labels_are_in_the_request_language(
    api: Api, locale: str, issue_closed: str, evaluation_closed: str, urgent: str
) -> None:
    api.locale = locale
    answer = await api.run(
        LABELS, {"enums": ["IssueStatus", "EvaluationStatus", "IssuePriority"]}, as_=None
    )
    labels = {
        e["enum"]: {v["value"]: v["label"] for v in e["values"]} for e in answer.ok()["enumLabels"]
    }
    assert [e["enum"] for e in answer.data["enumLabels"]] == [
        "IssueStatus",
        "EvaluationStatus",
        "IssuePriority",
    ]
    # One English word, two meanings: each enum's label is translated in its own context.
    assert labels["IssueStatus"]["CLOSED"] == issue_closed
    assert labels["EvaluationStatus"]["CLOSED"] == evaluation_closed
    assert labels["IssuePriority"]["URGENT"] == urgent


async def test_all_labelled_enums_without_a_list(api: Api) -> None:
    answer = await api.run(LABELS, as_="resident")
    assert [e["enum"] for e in answer.ok()["enumLabels"]] == list(ENUM_LABELS)


@pytest.mark.parametrize("enums", [["IssueOrder"], ["IssueStatus", "NoSuchEnum"]])
async def test_an_enum_without_labels_is_bad_user_input(api: Api, enums: list[str]) -> None:
    answer = await api.run(LABELS, {"enums": enums}, as_="secretary")
    assert answer.codes == ["BAD_USER_INPUT"]
    assert answer.errors[0]["message"].startswith(f"No labels for {enums[-1]}; enums with")
