"""A document's fragments in dependency order, so that checks can measure each fragment once.

A check that inlines fragment spreads as it meets them does 2**n work on fragments that each
spread the next one twice. Measured in this order instead, every spread finds the fragment it
names already measured and adds its figures: work linear in the document. The walk uses no
recursion, so a long chain of fragments cannot exhaust the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    SelectionSetNode,
)


@dataclass(frozen=True)
class Fragments:
    definitions: dict[str, FragmentDefinitionNode]
    # Each name after every fragment it spreads, except a spread that closes a cycle
    # (graphql's NoFragmentCycles rule refuses those documents).
    order: list[str]
    # Selections looked at to find the order: the work done, for tests.
    visits: int


def _spreads_in(selection_set: SelectionSetNode) -> tuple[list[str], int]:
    names: list[str] = []
    visits = 0
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            visits += 1
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            else:
                nested = getattr(selection, "selection_set", None)
                if nested is not None:
                    stack.append(nested)
    return names, visits


def fragments_of(document: DocumentNode) -> Fragments:
    definitions = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    spreads: dict[str, list[str]] = {}
    visits = 0
    for name, definition in definitions.items():
        spreads[name], seen = _spreads_in(definition.selection_set)
        visits += seen
    order: list[str] = []
    done: set[str] = set()
    for root in definitions:
        if root in done:
            continue
        path = [(root, iter(spreads[root]))]
        on_path = {root}
        while path:
            name, pending = path[-1]
            for spread in pending:
                if spread in definitions and spread not in done and spread not in on_path:
                    path.append((spread, iter(spreads[spread])))
                    on_path.add(spread)
                    break
            else:
                path.pop()
                on_path.discard(name)
                done.add(name)
                order.append(name)
    return Fragments(definitions, order, visits)
