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
    OperationDefinitionNode,
    SelectionSetNode,
)


@dataclass(frozen=True)
class Fragments:
    definitions: dict[str, FragmentDefinitionNode]
    # The fragments each one spreads, anywhere inside it.
    spreads: dict[str, list[str]]
    # Each name after every fragment it spreads, except a spread that closes a cycle
    # (graphql's NoFragmentCycles rule refuses those documents).
    order: list[str]
    # A fragment spread inside itself (through others, maybe), if any.
    cycle: str | None
    # Selections looked at to find the order: the work done, for tests.
    visits: int

    def unused(self, document: DocumentNode) -> list[str]:
        """The fragments no operation of DOCUMENT spreads, directly or through others."""
        pending: list[str] = []
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                pending.extend(spreads_in(definition.selection_set)[0])
        used: set[str] = set()
        while pending:
            name = pending.pop()
            if name in self.definitions and name not in used:
                used.add(name)
                pending.extend(self.spreads[name])
        return [name for name in self.definitions if name not in used]


def spreads_in(selection_set: SelectionSetNode) -> tuple[list[str], int]:
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
        spreads[name], seen = spreads_in(definition.selection_set)
        visits += seen
    order: list[str] = []
    done: set[str] = set()
    cycle: str | None = None
    for root in definitions:
        if root in done:
            continue
        path = [(root, iter(spreads[root]))]
        on_path = {root}
        while path:
            name, pending = path[-1]
            for spread in pending:
                if spread in on_path:
                    cycle = cycle or spread
                elif spread in definitions and spread not in done:
                    path.append((spread, iter(spreads[spread])))
                    on_path.add(spread)
                    break
            else:
                path.pop()
                on_path.discard(name)
                done.add(name)
                order.append(name)
    return Fragments(definitions, spreads, order, cycle, visits)
