"""A kept statement's parameters, built as SQLAlchemy builds them, most of them once.

SQLAlchemy's `construct_params` walks every bound parameter of a statement at each run
and processes each value (a compiled page has about 75); only the values the caller gives
and those computed at each run (a `callable_`, the clock) can change between runs of one
statement object. The rest are taken, processed and named for the driver once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter

Processor = Callable[[Any], Any]


class Parameters:
    def __init__(self, compiled: SQLCompiler, extracted: Sequence[BindParameter[Any]] | None):
        self._compiled = compiled
        self._extracted = extracted
        processors: Mapping[str, Processor] = compiled._bind_processors  # type: ignore[assignment]
        escaped: Mapping[str, str] = compiled.escaped_bind_names or {}
        self._processors = dict(processors)
        self._escaped = dict(escaped)
        # What each bind takes its value from when the caller gives none (SQLAlchemy relates
        # the binds of the statement compiled first to this statement's own, by position).
        sources: dict[BindParameter[Any], BindParameter[Any]] = {}
        if extracted:
            assert compiled.cache_key is not None and compiled._cache_key_bind_match is not None
            by_key, _ = compiled._cache_key_bind_match
            for original, own in zip(compiled.cache_key[1], extracted, strict=False):
                for bind in by_key[original]:
                    sources[bind] = own
        self._fixed: dict[str, Any] = {}
        self._computed: list[tuple[str, str, BindParameter[Any]]] = []
        # A given value's key -> (bind key, name, driver name) of the binds it may be for.
        self._given: dict[str, list[tuple[str, str, str]]] = {}
        self._required: list[tuple[str, str]] = []
        for bind, name in compiled.bind_names.items():
            driver_name = self._escaped.get(name, name)
            source = sources.get(bind, bind)
            target = (bind.key, name, driver_name)
            self._given.setdefault(bind.key, []).append(target)
            if name != bind.key:
                self._given.setdefault(name, []).append(target)
            if bind.required:
                self._required.append((bind.key, name))
            elif bind.callable:
                self._computed.append((name, driver_name, source))
            else:
                self._fixed[driver_name] = self._processed(name, source.value)

    def _processed(self, name: str, value: Any) -> Any:
        process = self._processors.get(name)
        return value if process is None else process(value)

    def values(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """The driver's parameters for one run with GIVEN values (by key or name)."""
        given = given or {}
        if any(key not in given and name not in given for key, name in self._required):
            # SQLAlchemy says which value is missing.
            self._compiled.construct_params(dict(given), extracted_parameters=self._extracted)
        values = dict(self._fixed)
        for name, driver_name, source in self._computed:
            values[driver_name] = self._processed(name, source.effective_value)
        for given_key, value in given.items():
            for key, name, driver_name in self._given.get(given_key, ()):
                # A value under the bind's key wins over one under its name (construct_params).
                if given_key == key or key not in given:
                    values[driver_name] = self._processed(name, value)
        return values
