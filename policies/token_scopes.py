"""Scopes of partner tokens: a closed set, each naming the (resource, action) pairs it opens.

A partner token acts with its issuer's grants, narrowed at every use to the
token's organisations and to the actions of its scopes. No scope opens the
sensitive person fields (phone, ID number, party membership), issue reporters'
identities, or any change to people, organisations, positions or tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TokenScope(StrEnum):
    ORGANISATIONS_READ = "organisations:read"
    PEOPLE_READ_DIRECTORY = "people:read-directory"
    ISSUES_READ = "issues:read"
    ISSUES_CLAIM = "issues:claim"
    ISSUES_COMMENT = "issues:comment"
    MEETINGS_READ = "meetings:read"
    AUDIT_READ = "audit:read"
    CO_BUILDING_READ = "co-building:read"
    CO_BUILDING_WRITE = "co-building:write"
    INDICATORS_READ = "indicators:read"
    WEBHOOKS_MANAGE = "webhooks:manage"


@dataclass(frozen=True)
class ScopeRule:
    description: str
    actions: frozenset[tuple[str, str]]


SCOPE_RULES: dict[TokenScope, ScopeRule] = {
    TokenScope.ORGANISATIONS_READ: ScopeRule(
        "Read the organisations and their links (firms, partners) under the token's organisations.",
        frozenset({("organisation", "read"), ("link", "read")}),
    ),
    TokenScope.PEOPLE_READ_DIRECTORY: ScopeRule(
        "Read names, residence and positions of people under the token's organisations; "
        "never phone, ID number or party membership.",
        frozenset({("person", "read"), ("position", "read")}),
    ),
    TokenScope.ISSUES_READ: ScopeRule(
        "Read problem-list issues and their timelines; reporters stay hidden.",
        frozenset({("issue", "read")}),
    ),
    TokenScope.ISSUES_CLAIM: ScopeRule(
        "Claim a REPORTED issue for the token's partner organisation (only for it).",
        frozenset({("issue", "claim")}),
    ),
    TokenScope.ISSUES_COMMENT: ScopeRule(
        "Add comments to issues' timelines.",
        frozenset({("issue", "comment")}),
    ),
    TokenScope.MEETINGS_READ: ScopeRule(
        "Read joint meetings, their participants and decisions.",
        frozenset({("meeting", "read")}),
    ),
    TokenScope.AUDIT_READ: ScopeRule(
        "Read the audit entries the partner organisation itself made through its tokens in "
        "the token's organisations (never others' entries, which carry their inputs).",
        frozenset({("audit", "read")}),
    ),
    TokenScope.CO_BUILDING_READ: ScopeRule(
        "Read the compounds' needs lists and co-building projects.",
        frozenset({("need", "read"), ("project", "read")}),
    ),
    TokenScope.CO_BUILDING_WRITE: ScopeRule(
        "Commit and complete the partner organisation's own projects (with "
        "organisations:read and co-building:read to name them).",
        frozenset({("project", "commit"), ("project", "complete")}),
    ),
    TokenScope.INDICATORS_READ: ScopeRule(
        "Read the compounds' indicators (aggregates; figures with their own permission stay null).",
        frozenset({("indicators", "read")}),
    ),
    TokenScope.WEBHOOKS_MANAGE: ScopeRule(
        "Register, list, disable, enable and delete the token's own webhook endpoints, list "
        "their deliveries and redeliver one (never another token's endpoints).",
        frozenset(
            {
                ("webhook", "read"),
                ("webhook", "manage"),
                ("webhook_delivery", "read"),
                ("webhook_delivery", "redeliver"),
            }
        ),
    ),
}


def actions_of(scopes: list[str]) -> frozenset[tuple[str, str]]:
    """The (resource, action) pairs SCOPES open; names no longer known open nothing."""
    known = {scope.value: rule for scope, rule in SCOPE_RULES.items()}
    return frozenset(pair for name in scopes if name in known for pair in known[name].actions)


def scopes_table() -> str:
    """The README's table of scopes, generated from SCOPE_RULES."""
    lines = [
        "| Scope | GraphQL value | Opens (resource:action) | What it allows |",
        "|---|---|---|---|",
    ]
    for scope, rule in SCOPE_RULES.items():
        opens = ", ".join(f"{r}:{a}" for r, a in sorted(rule.actions))
        lines.append(f"| `{scope.value}` | `{scope.name}` | {opens} | {rule.description} |")
    return "\n".join(lines) + "\n"
