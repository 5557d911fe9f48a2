"""Safe YAML reading into a *located* tree: every value remembers its line and column.

PyYAML's parser turns the text into events (libyaml's C parser when PyYAML has it, which is
twenty times faster than the pure-Python one, else the pure-Python parser); the composer here
builds :class:`Located` values straight from those events, resolving scalars with
``yaml.SafeLoader``'s resolver and constructors only. Building the tree in one pass is where the
limits of :mod:`simulator.limits` live, each refused with a line and a column as soon as it is
crossed, so that a hostile file costs milliseconds, not minutes:

* a file is read with a cap, whatever it is (``/dev/zero`` and pipes report no size), and text
  over :data:`~simulator.limits.MAX_FILE` is refused before parsing;
* nesting deeper than :data:`~simulator.limits.MAX_DEPTH` is refused at the first value too deep;
* every value counts, and aliases count every value they repeat (an alias to a list of 9 lists
  counts all of them): over :data:`~simulator.limits.MAX_NODES` the file is refused. The "billion
  laughs" document is small as text but would explode when expanded; each anchored value is
  built once and shared, so refusing it takes milliseconds;
* recursive aliases, tags other than the plain YAML ones and duplicate keys are errors (PyYAML
  silently keeps the last of two equal keys).

Scalars keep their source text in ``raw``: YAML 1.1 reads an unquoted ``8:00`` as the integer 480
(sexagesimal) and ``no`` as ``False``, and a reader that wants the text the author typed (clock
times, names) can have it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from simulator.limits import MAX_DEPTH, MAX_FILE, MAX_NODES
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean

#: libyaml's parser when PyYAML was built with it (the wheels are), else the Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MERGE_TAG = "tag:yaml.org,2002:merge"
#: The scalars a scenario is written with (YAML 1.1's plain types, as SafeLoader resolves them).
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("null", "bool", "int", "float", "str", "timestamp", "merge", "value")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# What YAML refuses in a stream (PyYAML's Reader.NON_PRINTABLE), checked before parsing so the
# message has a line and column whichever parser runs.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


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
    """The text of a scenario file, refusing missing, unreadable, oversized and non-UTF-8 files.

    The size is checked on what is read, not on what the file system reports: devices and pipes
    report no size, and ``cxsim validate /dev/zero`` must stop, not fill the memory."""
    name = str(path)
    p = Path(path)
    if p.is_dir():
        raise ScenarioError(
            [Problem(name, None, None, "", "is a directory", "give the path of a .yaml file")]
        )
    cap = int(MAX_FILE.value)
    try:
        size = p.stat().st_size
        if size > cap:  # a regular file says how large it is: refuse before reading
            raise ScenarioError([_too_large(name, size)])
        with p.open("rb") as handle:
            data = handle.read(cap + 1)
    except FileNotFoundError:
        raise ScenarioError(
            [Problem(name, None, None, "", "no such file", _missing_hint(p))]
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScenarioError(
            [Problem(name, None, None, "", f"cannot read: {reason}", None)]
        ) from None
    if len(data) > cap:
        raise ScenarioError([_too_large(name, None)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _raise(name, line, None, "", "the file is not valid UTF-8 text", "save it as UTF-8")


def parse(text: str, source: str) -> Located:
    """Parse YAML text into a located tree; :class:`ScenarioError` for anything unsafe or wrong."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE.value:
        raise ScenarioError([_too_large(source, size)])
    _check_printable(text, source)
    max_nodes, max_depth = int(MAX_NODES.value), int(MAX_DEPTH.value)
    loader = _LOADER(text)
    try:
        return _Composer(loader, source, max_nodes, max_depth).single_document()
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([_syntax_problem(exc, source)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(source, None, None, "", f"invalid YAML: {exc}", None)]
        ) from None
    except RecursionError:  # only when CXSIM_MAX_DEPTH is raised past Python's stack
        raise ScenarioError(
            [Problem(source, None, None, "", "the YAML is nested too deeply", MAX_DEPTH.hint)]
        ) from None
    except (ValueError, OverflowError, UnicodeError) as exc:
        # The pure-Python scanner lets a few of these through (a \U escape beyond U+10FFFF).
        line, col = _parser_position(loader)
        message = f"invalid YAML: {exc}"
        raise ScenarioError([Problem(source, line, col, "", message, None)]) from None
    finally:
        loader.dispose()


def _check_printable(text: str, source: str) -> None:
    """Refuse control characters with their position (YAML does not allow them)."""
    found = _NON_PRINTABLE.search(text)
    if found is None:
        return
    position = found.start()
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    message = f"character #x{ord(found.group()):04x} is not allowed in YAML"
    raise ScenarioError([Problem(source, line, col, "", message, None)])


def _syntax_problem(exc: yaml.MarkedYAMLError, source: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    message = exc.problem or exc.context or "invalid YAML"
    hint = None
    if exc.context and exc.problem:
        hint = exc.context
        if exc.context_mark is not None and exc.context_mark is not mark:
            hint += f" at line {exc.context_mark.line + 1}"
    return Problem(source, line, col, "", message, hint)


def _parser_position(loader: yaml.SafeLoader) -> tuple[int | None, int | None]:
    """Where the pure-Python parser stopped (the C parser raises only YAML errors)."""
    get_mark = getattr(loader, "get_mark", None)
    if get_mark is None:
        return None, None
    mark = get_mark()
    return mark.line + 1, mark.column + 1


class _Composer:
    """Builds the located tree from parser events, counting values and nesting as it goes."""

    def __init__(
        self, loader: yaml.SafeLoader, source: str, max_nodes: int, max_depth: int
    ) -> None:
        self.loader = loader
        self.source = source
        self.count = 0
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        # anchor -> (value, how many values it counts); open: where the anchors of collections
        # still being built are, for a recursive alias
        self.anchors: dict[str, tuple[Located, int]] = {}
        self.open: dict[str, tuple[int, int]] = {}

    def single_document(self) -> Located:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            _raise(
                self.source,
                None,
                None,
                "",
                "the file is empty (a scenario needs at least `scenario:`, `arrivals:`, "
                "`channels:` ...)",
                "start from a bundled scenario in scenarios/",
            )
        start = loader.get_event()  # document start
        root = self._node("", 1)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                start.start_mark,
                "but found another document",
                event.start_mark,
            )
        return root

    def _grow(self, n: int, event: Event, path: str, through_alias: bool) -> None:
        self.count += n
        if self.count <= self.max_nodes:
            return
        line, col = _event_mark(event)
        limit = f"{self.max_nodes:,}"
        if through_alias:
            message = (
                f"the document expands to more than {limit} values through aliases "
                "(an alias explosion, 'billion laughs'?); refusing it"
            )
            hint = "scenario files do not need deeply nested anchors and aliases; " + MAX_NODES.hint
        else:
            message = f"the document holds more than {limit} values (the limit for a scenario)"
            hint = MAX_NODES.hint
        _raise(self.source, line, col, path, message, hint)

    def _node(self, path: str, depth: int) -> Located:
        """The next value in the stream (``depth``: 1 for the document's root)."""
        event = self.loader.get_event()
        if isinstance(event, AliasEvent):
            return self._alias(event, path)
        anchor = event.anchor
        if anchor is not None and (anchor in self.anchors or anchor in self.open):
            first_line = (
                self.open[anchor][0] if anchor in self.open else self.anchors[anchor][0].line
            )
            line, col = _event_mark(event)
            message = f"anchor &{anchor} is defined twice (first on line {first_line})"
            _raise(self.source, line, col, path, message, "give each anchor its own name")
        before = self.count
        self._grow(1, event, path, False)
        if isinstance(event, ScalarEvent):
            located = self._scalar(event, path)
        else:
            if depth > self.max_depth:
                line, col = _event_mark(event)
                message = f"mappings and lists nested more than {self.max_depth} deep"
                _raise(self.source, line, col, "", message, MAX_DEPTH.hint)
            line, col = _event_mark(event)
            if anchor is not None:
                self.open[anchor] = (line, col)
            if isinstance(event, SequenceStartEvent):
                located = self._sequence(event, path, depth)
            elif isinstance(event, MappingStartEvent):
                located = self._mapping(event, path, depth)
            else:  # pragma: no cover - the parser sends nothing else here
                _raise(self.source, line, col, path, f"unexpected YAML event {event!r}", None)
            if anchor is not None:
                del self.open[anchor]
        if anchor is not None:
            self.anchors[anchor] = (located, self.count - before)
        return located

    def _alias(self, event: AliasEvent, path: str) -> Located:
        anchor = event.anchor
        if anchor in self.open:
            # the alias is inside the anchored value itself: its position is the anchor's
            line, col = self.open[anchor]
            message = "recursive alias: a value contains itself"
            _raise(self.source, line, col, path, message, None)
        hit = self.anchors.get(anchor)
        if hit is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {anchor!r}", event.start_mark
            )
        self._grow(hit[1], event, path, True)
        return hit[0]

    def _tag(self, event: Event, kind: type, value: str | None) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, value, event.implicit)
        return tag

    def _scalar(self, event: ScalarEvent, path: str) -> Located:
        line, col = _event_mark(event)
        tag = self._tag(event, ScalarNode, event.value)
        if tag not in _SCALAR_TAGS:  # !!set, !!binary, !!python/...: not a plain value
            message = f"unsupported YAML tag {tag!r}"
            _raise(self.source, line, col, path, message, "scenario files use plain YAML values")
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        try:
            value = self.loader.construct_object(node)
        except (ValueError, OverflowError) as exc:  # e.g. the date 2026-13-01
            _raise(self.source, line, col, path, f"cannot read {event.value!r}: {exc}", None)
        self.loader.constructed_objects.clear()  # nothing refers to a scalar twice
        quoted = event.style in ("'", '"')
        return Located(Located.SCALAR, value, line, col, raw=event.value, quoted=quoted)

    def _check_collection_tag(self, event: Event, kind: type, expected: str, path: str) -> None:
        tag = self._tag(event, kind, None)
        if tag != expected:
            line, col = _event_mark(event)
            message = f"unsupported YAML tag {tag!r}"
            _raise(self.source, line, col, path, message, "scenario files use plain YAML values")

    def _sequence(self, start: SequenceStartEvent, path: str, depth: int) -> Located:
        self._check_collection_tag(start, SequenceNode, _SEQ_TAG, path)
        line, col = _event_mark(start)
        items: list[Located] = []
        while not self.loader.check_event(SequenceEndEvent):
            items.append(self._node(f"{path}[{len(items)}]", depth + 1))
        self.loader.get_event()
        return Located(Located.LIST, items, line, col)

    def _mapping(self, start: MappingStartEvent, path: str, depth: int) -> Located:
        self._check_collection_tag(start, MappingNode, _MAP_TAG, path)
        line, col = _event_mark(start)
        values: dict[Any, Located] = {}
        keys: dict[Any, Located] = {}
        merged: list[tuple[Located, Located]] = []
        while not self.loader.check_event(MappingEndEvent):
            key_event = self.loader.peek_event()
            if isinstance(key_event, MappingStartEvent | SequenceStartEvent):
                kline, kcol = _event_mark(key_event)
                _raise(self.source, kline, kcol, path, "a key must be a plain value", None)
            if isinstance(key_event, ScalarEvent) and self._is_merge(key_event):
                self.loader.get_event()
                merged.extend(self._merge_sources(self._node(path, depth + 1), path))
                continue
            key_loc = self._node(path, depth + 1)
            if not key_loc.is_scalar:  # an alias to a mapping or a list
                _raise(
                    self.source,
                    key_loc.line,
                    key_loc.col,
                    path,
                    "a key must be a plain value",
                    None,
                )
            k = key_loc.value
            kpath = _join(path, key_loc.raw if key_loc.raw else k)
            if k in values:
                first = keys[k]
                kline, kcol = _event_mark(key_event)
                _raise(
                    self.source,
                    kline,
                    kcol,
                    kpath,
                    f"duplicate key '{key_loc.raw or k}' (first given on line {first.line})",
                    "give each key once; YAML would otherwise silently keep the last one",
                )
            keys[k] = key_loc
            values[k] = self._node(kpath, depth + 1)
        self.loader.get_event()
        for key_loc, value in merged:  # explicit keys win over merged ones (YAML merge rules)
            if key_loc.value not in values:
                keys[key_loc.value] = key_loc
                values[key_loc.value] = value
        return Located(Located.MAP, values, line, col, keys=keys)

    def _is_merge(self, event: ScalarEvent) -> bool:
        """Whether a key is YAML's merge key ``<<``."""
        return self._tag(event, ScalarNode, event.value) == _MERGE_TAG

    def _merge_sources(self, value: Located, path: str) -> list[tuple[Located, Located]]:
        sources = value.value if value.is_list else [value]
        pairs: list[tuple[Located, Located]] = []
        for source in sources:
            if not source.is_map:
                _raise(
                    self.source, source.line, source.col, path, "'<<' merges only mappings", None
                )
            pairs.extend(source.items())
        return pairs


def _event_mark(event: Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _raise(
    file: str, line: int | None, col: int | None, path: str, message: str, hint: str | None
) -> NoReturn:
    raise ScenarioError([Problem(file, line, col, path, message, hint)])


def _too_large(name: str, size: int | None) -> Problem:
    limit = MAX_FILE.shown()
    found = f"more than {limit}" if size is None else f"{size / 1024 / 1024:.1f} MB"
    return Problem(
        name,
        None,
        None,
        "",
        f"file too large ({found}; the limit is {limit})",
        "a scenario file is a few kilobytes; " + MAX_FILE.hint,
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
