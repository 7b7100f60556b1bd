"""The audit log's filter."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import AuditOutcome
from resolvers.audit import queries as audit
from resolvers.audit.vocabulary import RESOURCE_TYPES
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from schema.common.nodes import audited_resource_type
from schema.ids import decode_optional, parse_global_id


@strawberry.input(description="Narrow the audit log; all given conditions apply.")
class AuditLogFilter:
    subtree: strawberry.ID | None = strawberry.field(
        default=None, description="Changes in this organisation or anywhere below it."
    )
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="Changes in exactly this organisation."
    )
    actor: strawberry.ID | None = strawberry.field(default=None, description="Made by this person.")
    token: strawberry.ID | None = strawberry.field(
        default=None, description="Made through this token (its global id, as entries show it)."
    )
    partner: strawberry.ID | None = strawberry.field(
        default=None, description="Made by this partner organisation through a scoped token."
    )
    operation: str | None = strawberry.field(
        default=None,
        description="This mutation, e.g. appointPosition (case-sensitive); an unknown name is "
        "BAD_USER_INPUT, listing the known ones.",
    )
    resource_type: str | None = strawberry.field(
        default=None,
        description="This kind of record, as entries name it (organisation, person, position, "
        "link, issue, meeting, token, ...) or by its GraphQL type (Issue); an unknown one is "
        "BAD_USER_INPUT, listing the known ones.",
    )
    resource: strawberry.ID | None = strawberry.field(
        default=None, description="About this record (any global id)."
    )
    outcome: AuditOutcome | None = strawberry.field(default=None, description="With this outcome.")
    occurred_from: datetime | None = strawberry.field(default=None, description="At or after.")
    occurred_to: datetime | None = strawberry.field(default=None, description="Before.")

    def to_domain(self) -> audit.AuditFilter:
        resource_type, resource_id = self.resource_type, None
        if resource_type is not None and resource_type not in RESOURCE_TYPES:
            resource_type = audited_resource_type(resource_type) or resource_type
        if self.resource is not None:
            type_name, node_id = parse_global_id(self.resource)
            kind = audited_resource_type(type_name)
            if kind is None:
                raise BadUserInput(
                    tr("The audit log does not record {type_name} changes.", type_name=type_name)
                )
            resource_type, resource_id = kind, str(node_id)
        return audit.AuditFilter(
            subtree_of=decode_optional(self.subtree, "Organisation"),
            organisation_id=decode_optional(self.organisation, "Organisation"),
            actor_id=decode_optional(self.actor, "Person"),
            token_id=decode_optional(self.token, "ApiToken"),
            partner_id=decode_optional(self.partner, "Organisation"),
            operation=self.operation,
            resource_type=resource_type,
            resource_id=resource_id,
            outcome=self.outcome,
            occurred_from=self.occurred_from,
            occurred_to=self.occurred_to,
        )
