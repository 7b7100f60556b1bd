"""The registry of resources: one entry per resource a policy row can name.

Each entry declares the table its scope filters, how the conditions read that table
(policies/scopes.py), the actions code may ask `Authorizer.decide` about, and the kinds of
rows read under it with the compound each row belongs to. The scope lookup, the node and
audit registries (schema/common/nodes.py) and the isolation tests' compound map are all
derived from it; tests/policies/test_policy_coverage.py holds it to policy.csv and to the
code's `decide` calls. The entries are in policies/resource_entries.py (the records) and
policies/resource_entries_mechanisms.py (the article's later mechanisms). A new table: its
domain's packages, an entry there, a migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from policies.resource_entries import ENTRIES as _ENTRIES
from policies.resource_types import Resource, RowKind, UnknownAction

T = TypeVar("T")


def _by_name(items: tuple[T, ...], name: str, what: str) -> Mapping[str, T]:
    found: dict[str, T] = {}
    for item in items:
        key = getattr(item, name)
        if key in found:
            raise ValueError(f"{what} {key!r} is declared twice")
        found[key] = item
    return MappingProxyType(found)


RESOURCES: Mapping[str, Resource] = _by_name(_ENTRIES, "name", "resource")
ROW_KINDS: Mapping[str, RowKind] = _by_name(
    tuple(kind for entry in _ENTRIES for kind in entry.rows), "name", "row kind"
)
# The resource whose `read` decides who sees a row kind.
RESOURCE_OF_KIND: Mapping[str, str] = MappingProxyType(
    {kind.name: entry.name for entry in _ENTRIES for kind in entry.rows}
)


def resource(name: str) -> Resource:
    """The entry for NAME; an unknown name is a programming error."""
    entry = RESOURCES.get(name)
    if entry is None:
        raise UnknownAction(f"no resource {name!r} in policies/resources.py")
    return entry


def check_action(name: str, action: str) -> None:
    """Refuse a (resource, action) the registry does not declare: a typo or an action added
    in code without its policy rows would otherwise be denied to everyone, silently."""
    if action not in resource(name).actions:
        raise UnknownAction(f"resource {name!r} declares no action {action!r}")


def declared_actions() -> frozenset[tuple[str, str]]:
    return frozenset((entry.name, action) for entry in _ENTRIES for action in entry.actions)
