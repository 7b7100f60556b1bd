"""GraphQL names and descriptions of the disclosure enums."""

from __future__ import annotations

import strawberry

from db.models import NoticeKind

NoticeKindEnum = strawberry.enum(
    NoticeKind,
    name="NoticeKind",
    description="What a notice discloses (兩公開): AFFAIRS (事務公開: the body's work and plans), "
    "FINANCES (財務公開: accounts, public revenue and its use), DECISIONS (決議公開: "
    "resolutions of the owners' assembly, the committee or the branch), EVALUATION_RESULTS "
    "(評議結果: the yearly ratings of the firm and the owners' committee).",
)
