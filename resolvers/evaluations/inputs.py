"""What a caller sends to open, score and close an evaluation, and the checks of its
criteria that need no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from db.models import (
    OrganisationKind,
)
from resolvers.audited import REDACTED
from resolvers.errors import BadUserInput
from resolvers.evaluations.queries import WEIGHT_TOTAL
from resolvers.i18n import tr

MAX_CRITERIA = 10
MAX_WINDOW = timedelta(days=366)
SUBJECT_KINDS = frozenset({OrganisationKind.PROPERTY_FIRM, OrganisationKind.OWNERS_COMMITTEE})


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: int


@dataclass(frozen=True)
class OpenEvaluation:
    compound_id: int
    subject_id: int
    year: int
    criteria: list[CriterionSpec]
    closes_at: datetime
    opens_at: datetime | None = None


@dataclass(frozen=True)
class StarScore:
    criterion_id: int
    stars: int


@dataclass(frozen=True)
class SubmitScore:
    evaluation_id: int
    scores: list[StarScore] = field(default_factory=list)
    comment: str | None = None

    def audit_input(self) -> dict[str, object]:
        """What the audit log keeps of a submission: never the stars or the comment."""
        return {
            "evaluation_id": self.evaluation_id,
            "scores": REDACTED,
            "comment": None if self.comment is None else REDACTED,
        }


@dataclass(frozen=True)
class CloseEvaluation:
    evaluation_id: int


def clean_criteria(specs: list[CriterionSpec]) -> list[CriterionSpec]:
    if not 1 <= len(specs) <= MAX_CRITERIA:
        raise BadUserInput(
            tr("Give between 1 and {MAX_CRITERIA} criteria.", MAX_CRITERIA=MAX_CRITERIA)
        )
    cleaned: list[CriterionSpec] = []
    seen: set[str] = set()
    for spec in specs:
        name = " ".join(spec.name.split())
        if not name:
            raise BadUserInput(tr("A criterion's name must not be empty."))
        if len(name) > 100:
            raise BadUserInput(tr("A criterion's name must be at most 100 characters."))
        if name.casefold() in seen:
            raise BadUserInput(
                tr("The criterion '{name}' is named twice; names must be unique.", name=name)
            )
        if not 1 <= spec.weight <= WEIGHT_TOTAL:
            raise BadUserInput(
                tr(
                    "The weight of '{name}' must be a whole number from 1 to {WEIGHT_TOTAL}.",
                    name=name,
                    WEIGHT_TOTAL=WEIGHT_TOTAL,
                )
            )
        seen.add(name.casefold())
        cleaned.append(CriterionSpec(name, spec.weight))
    total = sum(spec.weight for spec in cleaned)
    if total != WEIGHT_TOTAL:
        raise BadUserInput(
            tr(
                "The weights are percentages and must sum to {WEIGHT_TOTAL}; they sum to {total}.",
                WEIGHT_TOTAL=WEIGHT_TOTAL,
                total=total,
            )
        )
    return cleaned
