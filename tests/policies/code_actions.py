"""Every (resource, action) the code asks `Authorizer.decide` about, read from the source.

A call's resource and action are string literals, module constants (`RESOURCE = "issue"`,
also imported ones) or parameters of the function it is in; a function that passes a
parameter on to `decide` (`scoped(ctx, model, resource)` asks for "read") is followed in
turn, to a fixed point, so its callers' arguments count. A call with `resource=` and
`action=` keywords declares a permission (resolvers/mutations.py's declarations), and
`reads=` a read; the declaration's methods that pass `self.resource` on are then covered by
it. A call where either cannot be read this way is reported as unresolved, not guessed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "demo", "schema", "resolvers", "policies")


@dataclass(frozen=True)
class Param:
    """A parameter of the function a call sits in: its position (None for keyword-only)."""

    function: str
    name: str
    index: int | None


# A value is a known string, a parameter to follow, or None when it cannot be read.
Value = str | Param | None


@dataclass(frozen=True)
class Asks:
    """Calling a function (by its bare name) asks about RESOURCE and ACTION, each fixed or
    taken from one of its arguments."""

    resource: str | Param
    action: str | Param


@dataclass
class Scan:
    uses: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    # The audit log's resource types: written (`resource_type=` of a mutation or denial) and
    # read (`audit_trail_field`), each with where.
    written: dict[str, list[str]] = field(default_factory=dict)
    trails: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Module:
    name: str
    path: Path
    tree: ast.Module
    constants: dict[str, str] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)


def _modules() -> dict[str, _Module]:
    found: dict[str, _Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            module = _Module(name, path, ast.parse(path.read_text(), str(path)))
            for node in module.tree.body:
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    module.constants[node.targets[0].id] = node.value.value
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    for alias in node.names:
                        module.imports[alias.asname or alias.name] = (node.module, alias.name)
            found[name] = module
    return found


def _constant(modules: dict[str, _Module], module: _Module, name: str) -> str | None:
    for _ in range(5):  # re-exports, a few deep at most
        if name in module.constants:
            return module.constants[name]
        source = module.imports.get(name)
        if source is None or source[0] not in modules:
            return None
        module, name = modules[source[0]], source[1]
    return None


class _Walker(ast.NodeVisitor):
    """One pass over a module: record uses and new forwarding functions."""

    def __init__(
        self, modules: dict[str, _Module], module: _Module, asks: dict[str, Asks], scan: Scan
    ) -> None:
        self.modules = modules
        self.module = module
        self.asks = asks
        self.scan = scan
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.learned: dict[str, Asks] = {}

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    def _param(self, name: str) -> Param | None:
        for function in reversed(self.functions):
            positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
            if positional and positional[0] in ("self", "cls"):
                positional = positional[1:]
            if name in positional:
                return Param(function.name, name, positional.index(name))
            if name in (a.arg for a in function.args.kwonlyargs):
                return Param(function.name, name, None)
        return None

    def _value(self, node: ast.expr | None) -> Value:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self._param(node.id) or _constant(self.modules, self.module, node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            source = self.module.imports.get(node.value.id)
            dotted = f"{source[0]}.{source[1]}" if source else node.value.id
            if dotted in self.modules:
                return _constant(self.modules, self.modules[dotted], node.attr)
        return None

    def _argument(self, call: ast.Call, wanted: Param) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg == wanted.name:
                return keyword.value
        if wanted.index is not None and wanted.index < len(call.args):
            return call.args[wanted.index]
        return None

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        self._resource_types(node, name)
        if self.functions and self.functions[-1].name == name:
            return
        for asks in self._asks(node, name or ""):
            self._ask(node, name, asks)

    def _asks(self, node: ast.Call, name: str) -> Iterator[Asks]:
        if name in self.asks:
            yield self.asks[name]
        # A declaration (`RowMutation(resource=..., action=..., reads=...)`) names what the
        # code it drives asks about, through its own attributes (see _from_declaration).
        keywords = {keyword.arg for keyword in node.keywords}
        if {"resource", "action"} <= keywords:
            yield Asks(Param(name, "resource", None), Param(name, "action", None))
        if "reads" in keywords:
            yield Asks(Param(name, "reads", None), "read")

    def _ask(self, node: ast.Call, name: str | None, asks: Asks) -> None:
        arguments = [
            value if isinstance(value, str) else self._argument(node, value)
            for value in (asks.resource, asks.action)
        ]
        if all(_from_declaration(a) for a in arguments if not isinstance(a, str)):
            return  # the declaration's own fields: its construction is read instead
        resource, action = (a if isinstance(a, str) else self._value(a) for a in arguments)
        where = f"{self.module.path.relative_to(ROOT)}:{node.lineno}"
        if isinstance(resource, str) and isinstance(action, str):
            self.scan.uses.setdefault((resource, action), []).append(where)
        elif resource is not None and action is not None and self.functions:
            # Forwarded from the enclosing function's parameters: its callers decide.
            self.learned.setdefault(self._owner(resource, action), Asks(resource, action))
        else:
            self.scan.unresolved.append(f"{where}: {name}({ast.unparse(node)[:80]})")

    def _resource_types(self, node: ast.Call, name: str | None) -> None:
        where = f"{self.module.path.relative_to(ROOT)}:{node.lineno}"
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        written = self._value(keywords.get("resource_type"))
        if "action" in keywords:
            # A declaration is audited as its resource unless it says otherwise.
            written = self._value(keywords.get("audited_as") or keywords.get("resource"))
        if isinstance(written, str):
            self.scan.written.setdefault(written, []).append(where)
        trail = self._value(node.args[0]) if name == "audit_trail_field" and node.args else None
        if isinstance(trail, str):
            self.scan.trails.setdefault(trail, []).append(where)

    def _owner(self, resource: str | Param, action: str | Param) -> str:
        owners = {v.function for v in (resource, action) if isinstance(v, Param)}
        assert len(owners) == 1, f"{self.module.name}: a call forwards two functions' parameters"
        return owners.pop()


def _from_declaration(node: ast.expr | None) -> bool:
    """`self.resource`, `self.reads or self.resource`: a declaration's fields."""
    if isinstance(node, ast.BoolOp):
        return all(_from_declaration(value) for value in node.values)
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _walk(modules: dict[str, _Module], asks: dict[str, Asks]) -> tuple[Scan, dict[str, Asks]]:
    scan, learned = Scan(), {}
    for module in modules.values():
        walker = _Walker(modules, module, asks, scan)
        walker.visit(module.tree)
        learned.update(walker.learned)
    return scan, learned


def scan_code() -> Scan:
    """The (resource, action) pairs the code asks about, each with where it is asked."""
    modules = _modules()
    # `decide` itself is the one forwarding function known up front.
    asks = {"decide": Asks(Param("decide", "resource", 0), Param("decide", "action", 1))}
    while True:
        scan, learned = _walk(modules, asks)
        if learned.keys() <= asks.keys():
            return scan
        asks = {**learned, **asks}


def pairs(scan: Scan) -> Iterator[tuple[str, str]]:
    yield from scan.uses
