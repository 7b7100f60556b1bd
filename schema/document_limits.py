"""Limits on a document's shape, checked before graphql-core validates it.

Depth, aliases and size are measured as if every fragment spread were written out in full
(strawberry's QueryDepthLimiter and MaxAliasesLimiter did so by inlining, 2**n work for
fragments that each spread the next one twice), but each fragment is measured once and its
figures are reused at every spread: work linear in the document. The size once inlined is
capped, so no later step meets a document that is small to send and huge to expand. A
document over a limit is refused with these errors alone; graphql-core's rules never run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
)

from resolvers.i18n import tr
from schema.error_text import TextError
from schema.fragments import fragments_of
from schema.merged_fields import repeated_fields

DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_ALIASES = 30
DEFAULT_MAX_DUPLICATES = 10
# graphql-cop "directive overloading": validation reports a repeated or unknown directive
# once per occurrence after walking them all; this refuses the document with one error.
DEFAULT_MAX_DIRECTIVES = 20
# Digits of an integer literal. An Int has at most 10; Python will not even convert one of
# over 4,300 (graphql-core then fails with a ValueError instead of a validation error).
MAX_INT_DIGITS = 100
# What graphql-core's OverlappingFieldsCanBeMerged compares pairwise in one selection set:
# the fields gathered into it through inline fragments and fragment spreads (each fragment
# once), and those fragments, pair by pair. 124 one-field fragments spread side by side cost
# it 0.35-1.1 s on a 2-core machine; 32 cost ~50 ms. The widest type has 41 fields.
DEFAULT_MAX_MERGED_SELECTIONS = 200
DEFAULT_MAX_MERGED_FRAGMENTS = 32
# Fields once every spread is inlined. Without fragments a document has fewer fields than
# tokens (5,000), so only fragments spread over and over come near this.
DEFAULT_MAX_EXPANDED_FIELDS = 10_000


@dataclass(frozen=True)
class DocumentLimits:
    max_depth: int = DEFAULT_MAX_DEPTH
    max_aliases: int = DEFAULT_MAX_ALIASES
    max_directives: int = DEFAULT_MAX_DIRECTIVES
    max_duplicate_fields: int = DEFAULT_MAX_DUPLICATES
    max_expanded_fields: int = DEFAULT_MAX_EXPANDED_FIELDS
    max_merged_selections: int = DEFAULT_MAX_MERGED_SELECTIONS
    max_merged_fragments: int = DEFAULT_MAX_MERGED_FRAGMENTS


@dataclass(frozen=True)
class Shape:
    """A selection set's figures with its fragments inlined."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0
    # Fields and spreads gathered at its own level (a fragment spread twice there, once),
    # and of those the fragment spreads.
    width: int = 0
    spreads: int = 0


EMPTY = Shape()


@dataclass(frozen=True)
class CheckedDocument:
    errors: list[GraphQLError]
    # Nodes and selections looked at: the work done, which tests hold linear in the document.
    visits: int


class _Measure:
    def __init__(self, limits: DocumentLimits) -> None:
        self.limits = limits
        self.fragments: dict[str, Shape] = {}
        self.errors: list[GraphQLError] = []
        self.visits = 0
        self.too_wide = False  # reported once: every selection holding it is as wide

    def selection_set(self, node: SelectionSetNode) -> Shape:
        # Recursion follows the nesting written in one definition, which the parser bounds;
        # spreads are looked up, never followed.
        self._check_repeats(node)
        depth = aliases = fields = width = spreads = 0
        spread: set[str] = set()
        for selection in node.selections:
            self.visits += 1
            if isinstance(selection, FieldNode):
                fields += 1
                width += 1
                aliases += selection.alias is not None
                if selection.selection_set is None:
                    continue
                inner = self.selection_set(selection.selection_set)
                # Introspection is bounded by graphql-core's MaxIntrospectionDepthRule.
                if not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selection_set(selection.selection_set)
                depth = max(depth, inner.depth)
                width += inner.width
                spreads += inner.spreads
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                # Unknown, or closing a cycle: refused by graphql-core's rules.
                inner = self.fragments.get(name, EMPTY)
                depth = max(depth, inner.depth)
                if name not in spread:
                    spread.add(name)
                    width += 1 + inner.width
                    spreads += 1 + inner.spreads
            else:  # pragma: no cover - graphql-core has no other selection
                continue
            aliases += inner.aliases
            fields += inner.fields
        limits = self.limits
        # Only its own fields: the repeats check covers those.
        gathered = width > sum(isinstance(selection, FieldNode) for selection in node.selections)
        if (
            gathered
            and not self.too_wide
            and (width > limits.max_merged_selections or spreads > limits.max_merged_fragments)
        ):
            self.too_wide = True
            self.errors.append(
                TextError(
                    tr(
                        "This selection gathers {width} fields and fragment spreads, {spreads} "
                        "of them spreads, through its fragments; the limits are {most} and "
                        "{most_spreads}.",
                        width=width,
                        spreads=spreads,
                        most=limits.max_merged_selections,
                        most_spreads=limits.max_merged_fragments,
                    ),
                    node,
                )
            )
        return Shape(depth, aliases, fields, width, spreads)

    def _check_repeats(self, node: SelectionSetNode) -> None:
        keys = Counter(
            (field.alias or field.name).value
            for field in node.selections
            if isinstance(field, FieldNode)
        )
        if not keys:
            return
        key, count = keys.most_common(1)[0]
        limit = self.limits.max_duplicate_fields
        if count > limit:
            self.errors.append(
                TextError(
                    tr(
                        "'{key}' is asked for {count} times in one selection; at most {limit}.",
                        key=key,
                        count=count,
                        limit=limit,
                    ),
                    node,
                )
            )


_KEYS: dict[type[Node], tuple[str, ...]] = {}


def _scan(document: DocumentNode) -> tuple[int, list[IntValueNode], int]:
    """The directives written anywhere in DOCUMENT (fragments are not inlined), and its
    integer literals too long to be numbers here, and the nodes looked at. Iterative: nesting
    cannot exhaust the stack."""
    directives = visits = 0
    long_numbers: list[IntValueNode] = []
    stack: list[Node] = [document]
    while stack:
        current = stack.pop()
        visits += 1
        if isinstance(current, DirectiveNode):
            directives += 1
        elif isinstance(current, IntValueNode) and len(current.value) > MAX_INT_DIGITS:
            long_numbers.append(current)
        kind = type(current)
        keys = _KEYS.get(kind)
        if keys is None:
            keys = _KEYS[kind] = current.keys  # computed from the dataclass on every access
        for key in keys:
            value = getattr(current, key, None)
            if isinstance(value, Node):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(item for item in value if isinstance(item, Node))
    return directives, long_numbers, visits


def check_document(document: DocumentNode, limits: DocumentLimits) -> CheckedDocument:
    """The errors of DOCUMENT against LIMITS (none when within them)."""
    errors: list[GraphQLError] = []
    directives, long_numbers, scanned = _scan(document)
    for number in long_numbers:
        errors.append(
            TextError(
                tr("A number of {digits} digits is not a value here.", digits=len(number.value)),
                number,
            )
        )
    if directives > limits.max_directives:
        errors.append(
            TextError(
                tr(
                    "This document uses {directives} directives; the limit is {limit}.",
                    directives=directives,
                    limit=limits.max_directives,
                )
            )
        )
    fragments = fragments_of(document)
    if fragments.cycle is not None:
        # Also graphql-core's NoFragmentCycles; refused here, nothing below meets a cycle.
        errors.append(
            TextError(tr("Cannot spread fragment '{name}' within itself.", name=fragments.cycle))
        )
        return CheckedDocument(errors, scanned + fragments.visits)
    for name in fragments.unused(document):
        # Also graphql-core's NoUnusedFragments; refused here, every fragment counts below.
        errors.append(TextError(tr("Fragment '{name}' is never used.", name=name)))
    measure = _Measure(limits)
    for name in fragments.order:
        measure.fragments[name] = measure.selection_set(fragments.definitions[name].selection_set)
    aliases = fields = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        shape = measure.selection_set(definition.selection_set)
        aliases += shape.aliases
        fields += shape.fields
        if shape.depth > limits.max_depth:
            name = definition.name.value if definition.name else "anonymous"
            errors.append(
                TextError(
                    tr(
                        "'{name}' exceeds maximum operation depth of {limit}",
                        name=name,
                        limit=limits.max_depth,
                    ),
                    definition,
                )
            )
    if aliases > limits.max_aliases:
        errors.append(
            TextError(
                tr(
                    "This document uses {aliases} aliases (a fragment's count at each of its "
                    "spreads); the limit is {limit}.",
                    aliases=aliases,
                    limit=limits.max_aliases,
                )
            )
        )
    if fields > limits.max_expanded_fields:
        errors.append(
            TextError(
                tr(
                    "This document selects {fields} fields once its fragments are inlined; the "
                    "limit is {limit}. Spread each fragment fewer times.",
                    fields=fields,
                    limit=limits.max_expanded_fields,
                )
            )
        )
    errors.extend(measure.errors)
    visits = scanned + fragments.visits + measure.visits
    if not errors:
        # Within the size cap, so this walk of the inlined document is bounded by it.
        repeated, gathered = repeated_fields(document, limits.max_duplicate_fields)
        visits += gathered
        if repeated is not None:
            errors.append(repeated)
    return CheckedDocument(errors, visits)
