"""How often one response key is asked for in one selection once its fragments are gathered.

graphql-core's OverlappingFieldsCanBeMerged compares, pair by pair, the fields that answer
under the same key at the same place, and then their sub-selections together: 31 fragments
each selecting `me { ...31 fragments }` make it compare ~450,000 pairs (a second or more).
This walk gathers the fields of each place the way that rule does (through inline fragments
and spreads, a spread once per selection set) and refuses the document as soon as one key is
asked for more than LIMIT times. Its work is at most the document's size with every fragment
inlined, which schema/document_limits.py caps before this runs; it uses no recursion.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from resolvers.i18n import tr
from schema.error_text import TextError


def _gather(
    group: list[SelectionSetNode], fragments: dict[str, FragmentDefinitionNode]
) -> tuple[dict[str, list[FieldNode]], int]:
    by_key: dict[str, list[FieldNode]] = {}
    visits = 0
    for selection_set in group:
        spread: set[str] = set()
        stack = [selection_set]
        while stack:
            for selection in stack.pop().selections:
                visits += 1
                if isinstance(selection, FieldNode):
                    by_key.setdefault((selection.alias or selection.name).value, []).append(
                        selection
                    )
                elif isinstance(selection, InlineFragmentNode):
                    stack.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in fragments and name not in spread:
                        spread.add(name)
                        stack.append(fragments[name].selection_set)
    return by_key, visits


def repeated_fields(document: DocumentNode, limit: int) -> tuple[GraphQLError | None, int]:
    """The first key asked for over LIMIT times in one place (or None), and the selections
    looked at. DOCUMENT must have no fragment cycle."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    groups = [
        [d.selection_set] for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    visits = 0
    while groups:
        by_key, seen = _gather(groups.pop(), fragments)
        visits += seen
        for key, fields in by_key.items():
            if len(fields) > limit:
                return TextError(
                    tr(
                        "'{key}' is asked for {count} times in one selection, its fragments "
                        "included; at most {limit}.",
                        key=key,
                        count=len(fields),
                        limit=limit,
                    ),
                    fields[0],
                ), visits
            nested = [field.selection_set for field in fields if field.selection_set is not None]
            if nested:
                groups.append(nested)
    return None, visits
