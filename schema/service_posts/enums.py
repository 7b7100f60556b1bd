"""GraphQL names and descriptions of the service-post enums.

Imported by every schema module that uses them, before any type refers to them.
"""

from __future__ import annotations

import strawberry

from db.models import ServicePostKind, Weekday

ServicePostKindEnum = strawberry.enum(
    ServicePostKind,
    name="ServicePostKind",
    description="The ten kinds of service post (服務崗位) in-service party members claim: "
    "PARTY_BUILDING_GUIDANCE (黨建工作指導崗), CIVILISATION_PROMOTION (文明創建宣傳崗), "
    "SANITATION (環境衛生保潔崗), SAFETY_PATROL (治安巡邏), ELDER_CARE (居家養老), CHILDCARE "
    "(托幼看護), DISPUTE_MEDIATION (矛盾調解), VOLUNTEER_SERVICE (志願服務), POLICY_PUBLICITY "
    "(政策宣講), NEIGHBOURHOOD_HELP (鄰裡互助).",
)
WeekdayEnum = strawberry.enum(
    Weekday, name="Weekday", description="A day of the week, Monday first."
)
