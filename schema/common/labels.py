"""What people call enum values, in the request's language: a frontend fetches the labels
once and shows them beside (or instead of) the values the API spells in capitals."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.errors import BadUserInput
from resolvers.i18n import tr, translate
from resolvers.i18n.enum_labels import ENUM_LABELS
from schema.context import Info


@strawberry.type(description="One value of an enum and what people call it.")
class EnumValueLabel:
    value: str = strawberry.field(description="The value as the API spells it (CLOSED).")
    label: str = strawberry.field(
        description="What people call it, in the language Accept-Language chose (已关闭)."
    )


@strawberry.type(description="What people call the values of one enum.")
class EnumLabels:
    enum: str = strawberry.field(description="The enum's name in this schema (IssueStatus).")
    values: list[EnumValueLabel] = strawberry.field(
        description="Every value of the enum, in the schema's order."
    )


def enum_labels(names: list[str] | None, locale: str) -> list[EnumLabels]:
    """The labels of the enums NAMES (every labelled enum when None), in LOCALE."""
    wanted = list(ENUM_LABELS) if names is None else list(dict.fromkeys(names))
    unknown = [name for name in wanted if name not in ENUM_LABELS]
    if unknown:
        raise BadUserInput(
            tr(
                "No labels for {unknown}; enums with labels: {known}.",
                unknown=", ".join(unknown[:5]),
                known=", ".join(ENUM_LABELS),
            )
        )
    return [
        EnumLabels(
            enum=name,
            values=[
                EnumValueLabel(value=value, label=translate(label, locale))
                for value, label in ENUM_LABELS[name].items()
            ],
        )
        for name in wanted
    ]


@strawberry.type
class LabelQuery:
    @strawberry.field(
        description="What people call the values of the enums they see (issue status, "
        "priority, category and channel, organisation kinds, position titles, meeting, "
        "evaluation and project states, ...), in the language Accept-Language chose: "
        "Simplified Chinese by default, Traditional Chinese (zh-TW, zh-HK, zh-Hant) or English. "
        "The same for every caller, signed in or not: fetch once and keep. Enums only programs "
        "read (issue orders, token scopes, webhook event kinds and states) have no labels; "
        "naming one, or an unknown name, is BAD_USER_INPUT."
    )
    def enum_labels(
        self,
        info: Info,
        enums: Annotated[
            list[str] | None,
            strawberry.argument(description="The enums wanted by name; all when left out."),
        ] = None,
    ) -> list[EnumLabels]:
        return enum_labels(enums, info.context.locale)
