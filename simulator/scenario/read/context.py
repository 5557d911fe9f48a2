"""Reading a located tree: problem collection, key paths and the shape of mappings.

Every reader has the form ``reader(reading, node, path, ...) -> value``: ``node`` is the
:class:`~simulator.scenario.yamlsrc.Located` value to read and ``path`` its dotted key path
(``agents.chat_support.count``, ``routing[2].to``; list indexes count from 0). A reader that finds
a problem records it in the :class:`ReadContext` with the node's line and column and the path;
when it cannot build its value it raises :class:`Invalid` (after recording why), and its caller
skips that value. :func:`read_each` and :meth:`ReadContext.attempt` carry on after such a failure,
so independent problems elsewhere in the file are all reported in the same run.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, TypeVar

from simulator.scenario.errors import Problem, did_you_mean
from simulator.scenario.yamlsrc import Located

T = TypeVar("T")


class Invalid(Exception):
    """Raised by a reader after recording a problem: the value cannot be built."""


class ReadContext:
    """The reading of one file: its name, its whole document (for problems that belong to no
    block, such as a routing rule that is missing altogether) and the problems found so far."""

    def __init__(self, source: str, document: Located | None = None) -> None:
        self.source = source
        self.document = document
        self.problems: list[Problem] = []

    def add(self, node: Located | None, path: str, message: str, hint: str | None = None) -> None:
        """Record a problem at ``node`` (its line and column) and ``path``; reading goes on."""
        line = node.line if node is not None else None
        col = node.col if node is not None else None
        self.problems.append(Problem(self.source, line, col, path, message, hint))

    def fail(
        self, node: Located | None, path: str, message: str, hint: str | None = None
    ) -> NoReturn:
        """Record a problem and give up on the value being read (raises :class:`Invalid`)."""
        self.add(node, path, message, hint)
        raise Invalid

    def attempt(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``fn(*args, **kwargs)``, or None when it gave up (its problems are recorded)."""
        try:
            return fn(*args, **kwargs)
        except Invalid:
            return None


class Fields:
    """The entries of a mapping with fixed keys (see :func:`read_fields`), each with its path."""

    def __init__(
        self,
        reading: ReadContext,
        node: Located,
        path: str,
        values: dict[str, Located],
        allowed: Sequence[str],
    ) -> None:
        self.reading = reading
        self.node = node
        self.mapping_path = path
        self.values = values
        self.allowed = tuple(allowed)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def __getitem__(self, key: str) -> Located:
        return self.values[key]

    def get(self, key: str) -> Located | None:
        return self.values.get(key)

    def path(self, key: str) -> str:
        return child_path(self.mapping_path, key)

    def read(self, key: str, reader: Callable[..., T], default: Any = None, **kwargs: Any) -> T:
        """``reader(reading, node, path, **kwargs)`` for the key, or ``default`` if it is absent."""
        if key not in self.values:
            return default
        return reader(self.reading, self.values[key], self.path(key), **kwargs)


def child_path(path: str, key: object) -> str:
    """The path of entry ``key`` of the mapping at ``path``."""
    return f"{path}.{key}" if path else str(key)


def item_path(path: str, i: int) -> str:
    """The path of item ``i`` of the list at ``path``."""
    return f"{path}[{i}]"


#: Longest value quoted in a message (a 2 MB string is shown by its start).
SHOWN_CHARACTERS = 60


def describe(node: Located) -> str:
    """How a value is described in "expected ..., found ..." messages."""
    return _shortened(_described(node))


def _shortened(text: str) -> str:
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[: SHOWN_CHARACTERS - 3]}... ({len(text):,} characters)"


def _described(node: Located) -> str:
    if node.is_map:
        return "a mapping" if node.value else "an empty mapping"
    if node.is_list:
        return "a list" if node.value else "an empty list"
    value = node.value
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{node.raw or str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, _dt.date):
        return f"the date {node.raw or value}"
    if isinstance(value, int | float):
        return node.raw or repr(value)
    return repr(value)


def key_name(node: Located) -> str:
    """A key or name as written. YAML 1.1 turns an unquoted ``no`` into False and ``8:00`` into
    480, but a name is the text the author typed."""
    if isinstance(node.value, str):
        return node.value
    return node.raw if node.raw else str(node.value)


def default_of(cls: type, name: str) -> Any:
    """The default of field ``name`` of dataclass ``cls`` (defaults live in the schema)."""
    for field in dataclasses.fields(cls):
        if field.name == name:
            if field.default is not dataclasses.MISSING:
                return field.default
            if field.default_factory is not dataclasses.MISSING:
                return field.default_factory()
            break
    raise KeyError(f"{cls.__name__}.{name} has no default")


def read_fields(
    reading: ReadContext,
    node: Located,
    path: str,
    allowed: Sequence[str],
    required: Sequence[str] = (),
    *,
    noun: str = "key",
    bail: bool = True,
    hints: dict[str, str] | None = None,
    suggest: Callable[[str, Sequence[str]], str | None] | None = None,
) -> Fields:
    """A mapping with fixed keys. Every unknown key and every missing required key is recorded
    (an unknown key with ``suggest(name, allowed)`` as its hint, default the closest allowed
    key); then, if some required key is missing and ``bail``, :class:`Invalid` is raised. A null
    value (``key:`` with nothing after it) reads as an empty mapping."""
    values: dict[str, Located] = {}
    if not node.is_null:
        expect_mapping(reading, node, path, "with keys " + ", ".join(allowed))
        for key_node, value in node.items():
            name = key_name(key_node)
            if name in allowed:
                values[name] = value
            else:
                hint = (suggest or did_you_mean)(name, allowed)
                reading.add(key_node, child_path(path, name), f"unknown {noun} '{name}'", hint)
    missing = [k for k in required if k not in values]
    for k in missing:
        hint = (hints or {}).get(k)
        reading.add(node, child_path(path, k), f"missing required {noun} '{k}'", hint)
    if missing and bail:
        raise Invalid
    return Fields(reading, node, path, values, allowed)


def expect_mapping(reading: ReadContext, node: Located, path: str, what: str = "") -> Located:
    """``node`` if it is a mapping; ``what`` (e.g. "with keys start, end") completes the message."""
    if not node.is_map:
        shape = f"a mapping{' ' + what if what else ''}"
        reading.fail(node, path, f"expected {shape}, found {describe(node)}")
    return node


def named_entries(
    reading: ReadContext, node: Located, path: str, what: str, *, allow_empty: bool = False
) -> list[tuple[str, Located, Located]]:
    """``(name, key node, value node)`` of a mapping keyed by names the author chooses."""
    if node.is_null and allow_empty:
        return []
    if not node.is_map:
        reading.fail(node, path, f"expected a mapping of {what}, found {describe(node)}")
    if not node.value and not allow_empty:
        reading.fail(node, path, f"expected at least one of the {what}, found an empty mapping")
    out = []
    for key_node, value in node.items():
        name = key_name(key_node)
        if not name.strip():
            reading.fail(key_node, path, f"expected a name, found {describe(key_node)}")
        if key_node.is_null:  # `null:` or `~:`, which a list of names could not refer to
            hint = f"YAML reads an unquoted {name} as nothing; quote it ('{name}') or rename it"
            reading.fail(key_node, child_path(path, name), f"expected a name, found {name}", hint)
        out.append((name, key_node, value))
    return out


def read_each(items: Iterable[Any], read_item: Callable[..., T]) -> list[T]:
    """``read_item(item)`` for every item, carrying on after a failed one; Invalid at the end if
    any failed (so every independent problem in a list or mapping is reported)."""
    out: list[T] = []
    failed = False
    for item in items:
        try:
            out.append(read_item(item))
        except Invalid:
            failed = True
    if failed:
        raise Invalid
    return out


def reserved_names(
    reading: ReadContext, node: Located, path: str, what: str, reserved: Sequence[str], where: str
) -> None:
    """Names that would be ambiguous elsewhere in the language are refused."""
    if node.is_map:
        assert node.keys is not None  # a mapping node always has its key nodes
        for key in node.keys.values():
            if key_name(key) in reserved:
                message = f"'{key_name(key)}' cannot be the name of {what}"
                hint = f"it is a keyword in {where}; choose another name"
                reading.fail(key, child_path(path, key_name(key)), message, hint)


def exclusive_key(reading: ReadContext, given: Fields, keys: Sequence[str], hint: str) -> str:
    """The single key of ``keys`` present in ``given``; none or several is a problem."""
    present = [k for k in keys if k in given]
    if not present:
        reading.fail(given.node, given.mapping_path, f"give one of {' or '.join(keys)}", hint)
    if len(present) > 1:
        message = f"give only one of {' or '.join(keys)} (found {' and '.join(present)})"
        reading.fail(given[present[1]], given.path(present[1]), message, hint)
    return present[0]
