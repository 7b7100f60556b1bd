"""Links: a firm's service contract with a compound, a partner unit's co-building pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import LinkKind, Organisation, OrganisationLink
from db.periods import in_force
from policies.grants import link_active_on
from resolvers.audited import AuditRecord
from resolvers.common import locked, organisation_path, scoped
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import coded, tr
from resolvers.mutations import CreateMutation, Place, RowMutation, bump, organisation_place, place
from resolvers.organisations.rules import LINK_ENDS
from resolvers.pagination import Page, Window, keyset_page

RESOURCE = "link"


@dataclass(frozen=True)
class LinkFilter:
    organisation_id: int | None = None
    kind: LinkKind | None = None
    active_on: date | None = None


@dataclass(frozen=True)
class LinkOrganisations:
    kind: LinkKind
    source_id: int
    target_id: int
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class EndLink:
    id: int
    end_date: date | None = None
    expected_version: int | None = None


def link_active(link: OrganisationLink, day: date) -> bool:
    return in_force(link.start_date, link.end_date, day)


async def list_links(
    ctx: RequestContext, filter: LinkFilter, window: Window
) -> Page[OrganisationLink]:
    statement = scoped(ctx, OrganisationLink, RESOURCE)
    if filter.organisation_id is not None:
        statement = statement.where(
            sa.or_(
                col(OrganisationLink.source_id) == filter.organisation_id,
                col(OrganisationLink.target_id) == filter.organisation_id,
            )
        )
    if filter.kind is not None:
        statement = statement.where(col(OrganisationLink.kind) == filter.kind)
    if filter.active_on is not None:
        statement = statement.where(link_active_on(filter.active_on))
    return await keyset_page(
        ctx,
        statement,
        keys=[col(OrganisationLink.id)],
        key_of=lambda link: (link.id,),
        window=window,
    )


async def _link_place(ctx: RequestContext, session: AsyncSession, link: OrganisationLink) -> Place:
    """A link lies at the organisation it links to (a compound)."""
    return place(link.target_id, await organisation_path(session, link.target_id))


LINK_ORGANISATIONS = CreateMutation(
    operation="linkOrganisations",
    resource=RESOURCE,
    action="create",
    what=tr("link organisations to this compound"),
    needs=" over the compound",
    model=Organisation,
    reads="organisation",
    noun=tr("organisation"),
    locate=organisation_place,
)
END_LINK = RowMutation(
    operation="endLink",
    resource=RESOURCE,
    action="end",
    what=tr("end this link"),
    needs=" over the compound",
    model=OrganisationLink,
    noun=tr("link"),
    locate=_link_place,
    checks_version=True,
)


async def link_organisations(ctx: RequestContext, data: LinkOrganisations) -> OrganisationLink:
    async def apply(
        session: AsyncSession, target: Organisation, record: AuditRecord
    ) -> OrganisationLink:
        source = await session.get(Organisation, data.source_id)
        if source is None:
            raise BadUserInput(tr("No organisation exists with the source id."))
        sources, targets = LINK_ENDS[data.kind]
        if source.kind not in sources or target.kind not in targets:
            raise BadUserInput(
                tr(
                    "{link} links a {sources} to a {targets}.",
                    link=coded(data.kind),
                    sources=coded(*sorted(sources), joiner=" or "),
                    targets=coded(*sorted(targets), joiner=" or "),
                )
            )
        start = data.start_date or ctx.today
        if data.end_date is not None and data.end_date < start:
            raise BadUserInput(tr("The end date must not be before the start date."))
        await locked(session, Organisation, target.id or 0, tr("organisation"))
        overlap = sa.select(col(OrganisationLink.id)).where(
            col(OrganisationLink.kind) == data.kind,
            col(OrganisationLink.source_id) == source.id,
            col(OrganisationLink.target_id) == target.id,
            sa.or_(
                col(OrganisationLink.end_date).is_(None), col(OrganisationLink.end_date) > start
            ),
            *([col(OrganisationLink.start_date) < data.end_date] if data.end_date else []),
        )
        if (await session.execute(overlap)).first() is not None:
            raise Conflict(tr("These organisations are already linked for part of that term."))
        link = OrganisationLink(
            kind=data.kind,
            source_id=source.id or 0,
            target_id=target.id or 0,
            start_date=start,
            end_date=data.end_date,
        )
        session.add(link)
        await session.flush()
        record.target(link.id, target.id, target.path)
        for field in ("kind", "source_id", "target_id", "start_date", "end_date"):
            record.change(field, None, getattr(link, field))
        return link

    return await LINK_ORGANISATIONS.under(ctx, data.target_id, apply, data=data)


async def end_link(ctx: RequestContext, data: EndLink) -> OrganisationLink:
    async def apply(
        session: AsyncSession, link: OrganisationLink, record: AuditRecord
    ) -> OrganisationLink:
        end = data.end_date or ctx.today
        if link.end_date is not None and link.end_date <= ctx.today:
            raise Conflict(tr("This link already ended on {end_date}.", end_date=link.end_date))
        if end < link.start_date:
            raise BadUserInput(
                tr(
                    "The end date must not be before the start date ({start_date}).",
                    start_date=link.start_date,
                )
            )
        record.change("end_date", link.end_date, end)
        link.end_date = end
        bump(link)
        await session.flush()
        return link

    return await END_LINK.on(ctx, data.id, apply, data=data, expected_version=data.expected_version)
