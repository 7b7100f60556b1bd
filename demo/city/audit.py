"""Three years of audit log for the city, chained exactly as the audit store chains entries.

Entries are spread over the compounds by size, made by the roles that really make each
operation, and hashed in order through db.audit_store, so `jinlin audit verify` accepts
the result and the last entry becomes the chain head.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from db.audit_store import GENESIS_HASH, keyed_hash, keyed_values
from db.models import AuditOutcome
from demo.city.issues import HISTORY
from demo.city.plan import CityPlan, Compound

CHUNK = 20_000


@dataclass(frozen=True)
class Operation:
    name: str
    role: str
    weight: int
    change: tuple[str, str, str] | None


OPERATIONS = (
    Operation("reportIssue", "resident", 30, ("status", "", "REPORTED")),
    Operation("claimIssue", "secretary", 15, ("status", "REPORTED", "CLAIMED")),
    Operation("startIssue", "property_firm", 12, ("status", "CLAIMED", "IN_PROGRESS")),
    Operation("resolveIssue", "property_firm", 12, ("status", "IN_PROGRESS", "RESOLVED")),
    Operation("confirmIssue", "resident", 10, ("status", "RESOLVED", "CLOSED")),
    Operation("commentOnIssue", "committee_member", 18, None),
    Operation("escalateIssue", "secretary", 1, ("status", "IN_PROGRESS", "ESCALATED")),
)
WEIGHTS = [operation.weight for operation in OPERATIONS]


@dataclass
class ChainState:
    seq: int = 0
    head: str = GENESIS_HASH


def _actor(operation: Operation, compound: Compound, rng: random.Random) -> int:
    match operation.role:
        case "secretary":
            return compound.secretary
        case "committee_member":
            return compound.committee_member
        case "property_firm":
            return compound.firm_manager
        case _:
            return rng.choice(compound.residents)


def audit_chunks(
    plan: CityPlan,
    count: int,
    issues: int,
    now: datetime,
    seed: int,
    chain: ChainState,
    key: bytes,
) -> Iterator[list[dict[str, Any]]]:
    """COUNT entries about the city's issues, oldest first, chained after CHAIN under the
    chain KEY exactly as the writer chains them."""
    rng = random.Random(seed)
    cum = plan.cumulative_weights()
    start = now - HISTORY
    step = (HISTORY - timedelta(hours=2)) / max(count, 1)
    made = 0
    while made < count:
        size = min(CHUNK, count - made)
        compounds = rng.choices(plan.compounds, cum_weights=cum, k=size)
        operations = rng.choices(OPERATIONS, weights=WEIGHTS, k=size)
        rows: list[dict[str, Any]] = []
        for compound, operation in zip(compounds, operations, strict=True):
            made += 1
            # A denied attempt now and then: a resident trying the secretary's work.
            denied = rng.random() < 0.01
            issue_id = rng.randint(1, max(issues, 1))
            changes = []
            if operation.change and not denied:
                name, before, after = operation.change
                changes = [{"field": name, "before": before or None, "after": after}]
            row: dict[str, Any] = {
                "seq": chain.seq + 1,
                "occurred_at": start + step * made,
                "request_id": f"city-{chain.seq + 1}",
                "client_address": "10.0.0.1",
                "actor_person_id": _actor(operation, compound, rng),
                "actor_token_id": None,
                "actor_organisation_id": None,
                "role": None if denied else operation.role,
                "domain": None if denied else compound.org.path,
                "operation": operation.name,
                "resource_type": "issue",
                "resource_id": str(issue_id),
                "organisation_id": compound.org.id,
                "organisation_path": compound.org.path,
                "compound_id": compound.org.id,
                "input": {"issue_id": issue_id},
                "changes": changes,
                "outcome": AuditOutcome.DENIED if denied else AuditOutcome.SUCCESS,
                "error_code": "FORBIDDEN" if denied else None,
                "error_message": "You may not do this." if denied else None,
                "prev_hash": chain.head,
            }
            row["hash"] = keyed_hash(keyed_values(row), key)
            chain.seq, chain.head = row["seq"], row["hash"]
            rows.append(row)
        yield rows
