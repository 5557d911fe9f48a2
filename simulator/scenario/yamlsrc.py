"""Safe YAML reading into a *located* tree: every value remembers its line and column.

Only ``yaml.SafeLoader`` is used, and only its composer and scalar constructor: the document is
composed into nodes, then walked here into :class:`Located` values. The walk is where the limits
live:

* files over :data:`MAX_BYTES` are refused before parsing;
* aliases are expanded while walking, and the walk counts every node it produces (an alias to a
  list of 9 lists counts all of them). Over :data:`MAX_NODES` the file is refused: the "billion
  laughs" document is composed cheaply by PyYAML but would explode when expanded. Each anchored
  node is walked once and shared, so refusing takes milliseconds;
* recursive aliases and nesting deeper than Python's recursion limit are refused;
* duplicate keys are an error (PyYAML silently keeps the last one).

Scalars keep their source text in ``raw``: YAML 1.1 reads an unquoted ``8:00`` as the integer 480
(sexagesimal) and ``no`` as ``False``, and a reader that wants the text the author typed (clock
times, names) can have it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.scenario.errors import Problem, ScenarioError, did_you_mean

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000

_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class Located:
    """A YAML value with its 1-based ``line`` and ``col``.

    * mapping: ``value`` is a ``dict`` of plain key -> :class:`Located`, and ``keys`` maps each
      plain key to the :class:`Located` of the key itself (for "unknown key" messages);
    * sequence: ``value`` is a ``list`` of :class:`Located`;
    * scalar: ``value`` is the plain Python value (str, int, float, bool, None, date, ...), and
      ``raw`` the text as written (``""`` for an empty value), ``quoted`` whether it was quoted.
    """

    __slots__ = ("col", "keys", "kind", "line", "quoted", "raw", "value")

    MAP = "mapping"
    LIST = "list"
    SCALAR = "scalar"

    def __init__(
        self,
        kind: str,
        value: Any,
        line: int | None,
        col: int | None,
        *,
        keys: dict[Any, Located] | None = None,
        raw: str | None = None,
        quoted: bool = False,
    ) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.col = col
        self.keys = keys
        self.raw = raw
        self.quoted = quoted

    @property
    def is_map(self) -> bool:
        return self.kind == Located.MAP

    @property
    def is_list(self) -> bool:
        return self.kind == Located.LIST

    @property
    def is_scalar(self) -> bool:
        return self.kind == Located.SCALAR

    @property
    def is_null(self) -> bool:
        return self.kind == Located.SCALAR and self.value is None

    def items(self) -> Iterator[tuple[Located, Located]]:
        """``(key, value)`` pairs of a mapping, both located."""
        assert self.keys is not None
        for key, value in self.value.items():
            yield self.keys[key], value

    def plain(self) -> Any:
        """The plain Python value (dicts, lists and scalars), without locations."""
        if self.kind == Located.MAP:
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == Located.LIST:
            return [v.plain() for v in self.value]
        return self.value

    @classmethod
    def from_plain(cls, value: Any, line: int | None = None, col: int | None = None) -> Located:
        """A located tree from plain data, every node at ``line:col`` (for overlays and tests)."""
        if isinstance(value, dict):
            keys = {k: cls(cls.SCALAR, k, line, col, raw=str(k)) for k in value}
            items = {k: cls.from_plain(v, line, col) for k, v in value.items()}
            return cls(cls.MAP, items, line, col, keys=keys)
        if isinstance(value, list | tuple):
            return cls(cls.LIST, [cls.from_plain(v, line, col) for v in value], line, col)
        raw = "" if value is None else str(value)
        return cls(cls.SCALAR, value, line, col, raw=raw, quoted=isinstance(value, str))

    def __repr__(self) -> str:
        return f"Located({self.plain()!r} @ {self.line}:{self.col})"


def read_source(path: str | Path) -> str:
    """The text of a scenario file, refusing missing, unreadable and oversized files."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ScenarioError(
            [Problem(name, None, None, "", "no such file", _missing_hint(p))]
        ) from None
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, None, None, "", f"cannot read: {exc.strerror}", None)]
        ) from None
    if p.is_dir():
        raise ScenarioError(
            [Problem(name, None, None, "", "is a directory", "give the path of a .yaml file")]
        )
    if size > MAX_BYTES:
        raise ScenarioError([_too_large(name, size)])
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, None, None, "", f"cannot read: {exc.strerror}", None)]
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _raise(name, line, None, "", "the file is not valid UTF-8 text", "save it as UTF-8")


def parse(text: str, source: str) -> Located:
    """Parse YAML text into a located tree; :class:`ScenarioError` for anything unsafe or wrong."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_BYTES:
        raise ScenarioError([_too_large(source, size)])
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character, checked before parsing
        line: int | None = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"character #x{exc.character:04x} is not allowed in YAML"
        raise ScenarioError([Problem(source, line, col, "", message, None)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            _raise(
                source,
                None,
                None,
                "",
                "the file is empty (a scenario needs at least `scenario:`, `arrivals:`, "
                "`channels:` ...)",
                "start from a bundled scenario in scenarios/",
            )
        return _Walker(loader, source).walk(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        message = exc.problem or exc.context or "invalid YAML"
        hint = None
        if exc.context and exc.problem:
            hint = exc.context
            if exc.context_mark is not None and exc.context_mark is not mark:
                hint += f" at line {exc.context_mark.line + 1}"
        raise ScenarioError([Problem(source, line, col, "", message, hint)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(source, None, None, "", f"invalid YAML: {exc}", None)]
        ) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(source, None, None, "", "the YAML is nested too deeply", None)]
        ) from None
    finally:
        loader.dispose()


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, source: str) -> None:
        self.loader = loader
        self.source = source
        self.count = 0
        self.memo: dict[int, tuple[Located, int]] = {}
        self.active: set[int] = set()

    def walk(self, node: Node) -> Located:
        return self._visit(node, "")[0]

    def _grow(self, n: int, node: Node, path: str) -> None:
        self.count += n
        if self.count > MAX_NODES:
            line, col = _mark(node)
            _raise(
                self.source,
                line,
                col,
                path,
                f"the document expands to more than {MAX_NODES:,} values through aliases "
                "(an alias explosion, 'billion laughs'?); refusing it",
                "scenario files do not need deeply nested anchors and aliases",
            )

    def _visit(self, node: Node, path: str) -> tuple[Located, int]:
        key = id(node)
        hit = self.memo.get(key)
        if hit is not None:
            self._grow(hit[1], node, path)
            return hit
        if key in self.active:
            line, col = _mark(node)
            _raise(self.source, line, col, path, "recursive alias: a value contains itself", None)
        before = self.count
        self._grow(1, node, path)
        self.active.add(key)
        line, col = _mark(node)
        if not isinstance(node, ScalarNode) and node.tag not in (_MAP_TAG, _SEQ_TAG):
            message = f"unsupported YAML tag {node.tag!r}"
            _raise(self.source, line, col, path, message, "scenario files use plain YAML values")
        if isinstance(node, ScalarNode):
            located = self._scalar(node, path)
        elif isinstance(node, SequenceNode):
            items = [self._visit(child, f"{path}[{i}]")[0] for i, child in enumerate(node.value)]
            located = Located(Located.LIST, items, line, col)
        elif isinstance(node, MappingNode):
            located = self._mapping(node, path)
        else:  # pragma: no cover - the composer only makes these three
            _raise(self.source, line, col, path, f"unsupported YAML node {node!r}", None)
        self.active.discard(key)
        result = (located, self.count - before)
        self.memo[key] = result
        return result

    def _scalar(self, node: ScalarNode, path: str) -> Located:
        line, col = _mark(node)
        try:
            value = self.loader.construct_object(node)
        except (ValueError, OverflowError) as exc:  # e.g. the date 2026-13-01
            _raise(self.source, line, col, path, f"cannot read {node.value!r}: {exc}", None)
        return Located(
            Located.SCALAR, value, line, col, raw=node.value, quoted=node.style in ("'", '"')
        )

    def _mapping(self, node: MappingNode, path: str) -> Located:
        line, col = _mark(node)
        values: dict[Any, Located] = {}
        keys: dict[Any, Located] = {}
        merged: list[tuple[Located, Located]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                kline, kcol = _mark(key_node)
                _raise(self.source, kline, kcol, path, "a key must be a plain value", None)
            key_loc, _ = self._visit(key_node, path)
            k = key_loc.value
            kpath = _join(path, key_loc.raw if key_loc.raw else k)
            if k in values:
                first = keys[k]
                _raise(
                    self.source,
                    key_loc.line,
                    key_loc.col,
                    kpath,
                    f"duplicate key '{key_loc.raw or k}' (first given on line {first.line})",
                    "give each key once; YAML would otherwise silently keep the last one",
                )
            keys[k] = key_loc
            values[k] = self._visit(value_node, kpath)[0]
        for key_loc, value in merged:  # explicit keys win over merged ones (YAML merge rules)
            if key_loc.value not in values:
                keys[key_loc.value] = key_loc
                values[key_loc.value] = value
        return Located(Located.MAP, values, line, col, keys=keys)

    def _merge_sources(self, node: Node, path: str) -> list[tuple[Located, Located]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs: list[tuple[Located, Located]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                line, col = _mark(source)
                _raise(self.source, line, col, path, "'<<' merges only mappings", None)
            located, _ = self._visit(source, path)
            pairs.extend(located.items())
        return pairs


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _raise(
    file: str, line: int | None, col: int | None, path: str, message: str, hint: str | None
) -> NoReturn:
    raise ScenarioError([Problem(file, line, col, path, message, hint)])


def _too_large(name: str, size: int) -> Problem:
    return Problem(
        name,
        None,
        None,
        "",
        f"file too large ({size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)",
        "a scenario file is a few kilobytes; large data belongs in separate files",
    )


def _missing_hint(path: Path) -> str:
    parent = path.parent if str(path.parent) else Path(".")
    try:
        names = sorted(p.name for p in parent.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError:
        names = []
    close = did_you_mean(path.name, names, what="files") if names else None
    if close and close.startswith("did you mean"):
        return close
    return f"check the path (relative paths start from {Path.cwd()})"
