"""Per-request DataLoaders of evaluations, their criteria and scores, and the firms' standing."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Evaluation, EvaluationCriterion, FirmStanding, OrganisationKind
from resolvers.context import RequestContext
from resolvers.evaluations import queries as evaluations
from resolvers.evaluations import standing
from schema.common.dataloaders import by_id, cached


def evaluation(ctx: RequestContext) -> DataLoader[int, Evaluation | None]:
    return cached(ctx, "evaluation", lambda: DataLoader(by_id(ctx, evaluations.by_ids)))


def evaluation_criterion(ctx: RequestContext) -> DataLoader[int, EvaluationCriterion | None]:
    return cached(
        ctx, "evaluation_criterion", lambda: DataLoader(by_id(ctx, evaluations.criteria_by_ids))
    )


def evaluation_criteria(ctx: RequestContext) -> DataLoader[int, list[EvaluationCriterion]]:
    async def load(keys: Sequence[int]) -> list[list[EvaluationCriterion]]:
        found = await evaluations.criteria_of(ctx, keys)
        return [found.get(key, []) for key in keys]

    return cached(ctx, "evaluation:criteria", lambda: DataLoader(load))


def evaluation_scorer_count(ctx: RequestContext) -> DataLoader[int, int]:
    async def load(keys: Sequence[int]) -> list[int]:
        found = await evaluations.scorer_counts(ctx, keys)
        return [found.get(key, 0) for key in keys]

    return cached(ctx, "evaluation:scorer_count", lambda: DataLoader(load))


def my_evaluation_score(ctx: RequestContext) -> DataLoader[int, evaluations.MySubmission | None]:
    async def load(keys: Sequence[int]) -> list[evaluations.MySubmission | None]:
        found = await evaluations.my_submissions(ctx, keys)
        return [found.get(key) for key in keys]

    return cached(ctx, "evaluation:mine", lambda: DataLoader(load))


def organisation_label(ctx: RequestContext) -> DataLoader[int, tuple[str, OrganisationKind]]:
    """Name and kind of an evaluated firm or committee, shown with the record naming it even
    where the organisation itself is not visible (a list names the firm)."""

    async def load(keys: Sequence[int]) -> list[tuple[str, OrganisationKind]]:
        found = await evaluations.organisation_labels(ctx, keys)
        return [found.get(key, ("", OrganisationKind.PROPERTY_FIRM)) for key in keys]

    return cached(ctx, "organisation:label", lambda: DataLoader(load))


def firm_standing(ctx: RequestContext) -> DataLoader[int, FirmStanding | None]:
    return cached(ctx, "standing", lambda: DataLoader(by_id(ctx, standing.by_ids)))


def standing_in_force(ctx: RequestContext) -> DataLoader[int, FirmStanding | None]:
    """The entry in force today per firm id."""

    async def load(keys: Sequence[int]) -> list[FirmStanding | None]:
        found = await standing.in_force(ctx, keys, ctx.today)
        return [found.get(key) for key in keys]

    return cached(ctx, "standing:in_force", lambda: DataLoader(load))
