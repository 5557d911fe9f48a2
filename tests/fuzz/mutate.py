"""A seeded scenario mutator: what a careless or hostile user does to a scenario file.

A mutant is a seed text with one to four mutations, each picked by a ``random.Random`` seeded
with the campaign seed and the mutant's number, so mutant 4711 of seed 1 is the same text on
every machine and can be shown again (``python -m tests.fuzz.run --show 4711``).

Mutations work on the parsed document (delete a key, swap two values, put a huge, tiny,
negative or non-numeric number or a value of the wrong type somewhere, nest a value deeply,
rename a key, use unicode or reserved names, copy a subtree elsewhere, repeat a list) or on
the text (truncate it, duplicate a line, which duplicates a key, insert odd characters, escapes,
tags, anchors and aliases).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import yaml

Path_ = tuple[Any, ...]

HUGE_AND_ODD_NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    -0.5,
    1,
    3.0,
    0.5,
    1e-300,
    1e-9,
    1e15,
    1e15 + 1,
    2**53 + 1,
    2**63,
    10**30,
    10**400,
    1.7976931348623157e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    -1e308,
    123456789,
)
ODD_TEXTS: tuple[str, ...] = (
    "",
    " ",
    "abc",
    "1h30",
    "1e400",
    "1.8e308",
    "600/s",
    "1000000000/h",
    "-5m",
    "0.000000001m",
    "1ms",
    "0s",
    "365d",
    "100000d",
    "08:00",
    "24:00",
    "47:59",
    "48:01",
    "25:61",
    "none",
    "null",
    "~",
    "true",
    "NaN",
    "default",
    "all",
    "é",
    "日本語",
    "🙂",
    "\u202e",
    "a\u0000b",
    "x" * 5000,
    "1/3",
    "2026-13-01",
    "2026-02-30",
    "9999-12-31",
    "0x1F",
    "1_000",
    "0o17",
    "+.inf",
)
WRONG_TYPES: tuple[Any, ...] = (None, True, False, [], {}, [1, 2], {"a": 1}, [[]], {"": None})
TEXT_INSERTS: tuple[str, ...] = (
    "\t",
    "\x01",
    "\ufeff",
    '"',
    "'",
    ":",
    ": ",
    "- ",
    "{",
    "[",
    "]",
    "}",
    "#",
    "&a ",
    "*a",
    "*nowhere ",
    "!!python/object/apply:os.system ['true'] ",
    "!!binary ",
    "!!set ",
    "<<: *a\n",
    '"\\U00110000"',
    '"\\x"',
    "\n---\n",
    "\n...\n",
    "%YAML 1.1\n",
    "? ",
    "|\n",
    ">\n",
    "\r",
    "\u2028",
)


#: What a tree mutation may raise on its own account: a number too large to scale, two paths
#: through one shared node, a subtree too deep to copy. Such a draw is skipped; the mutant keeps
#: its other mutations (and the same draws follow, so campaigns stay reproducible).
MUTATOR_LIMITS = (ArithmeticError, TypeError, KeyError, IndexError, RecursionError)


def mutant(text: str, rng: random.Random) -> str:
    """``text`` with one to four mutations drawn from ``rng``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    structured = isinstance(data, dict | list)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        if structured and rng.random() < 0.75:
            try:
                data = rng.choice(TREE_MUTATIONS)(data, rng)
            except MUTATOR_LIMITS:
                continue  # the mutator's own arithmetic or paths gave out, not cxsim
            text = _dump(data)
        else:
            text = rng.choice(TEXT_MUTATIONS)(text, rng)
            structured = False
    return text


def _dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    except (ValueError, RecursionError):  # an int of 5,000 digits, a list nested 1,000 deep
        return yaml.safe_dump({"scenario": "unwritable"}, sort_keys=False)


# --------------------------------------------------------------------------------------------
# Positions in a document: a path of keys and indexes from the root.


def _positions(data: Any, path: Path_ = ()) -> list[Path_]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _positions(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _positions(value, (*path, i))
    return found


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def _set(data: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _pick(data: Any, rng: random.Random, *, leaves: bool = False) -> Path_:
    positions = _positions(data)
    if leaves:
        positions = [
            p for p in positions if not isinstance(_get(data, p), dict | list)
        ] or positions
    inner = [p for p in positions if p] or positions
    return rng.choice(inner)


# --------------------------------------------------------------------------------------------
# Mutations of the document


def delete_key(data: Any, rng: random.Random) -> Any:
    path = _pick(data, rng)
    if not path:
        return data
    parent = _get(data, path[:-1])
    del parent[path[-1]]
    return data


def swap_values(data: Any, rng: random.Random) -> Any:
    a, b = _pick(data, rng), _pick(data, rng)
    if not a or not b or a[: len(b)] == b or b[: len(a)] == a:
        return data
    value_a, value_b = _get(data, a), _get(data, b)
    _set(data, a, value_b)
    _set(data, b, value_a)  # MUTATOR_LIMITS: b may go through a node the first write moved
    return data


def odd_number(data: Any, rng: random.Random) -> Any:
    return _set(data, _pick(data, rng, leaves=True), rng.choice(HUGE_AND_ODD_NUMBERS))


def scaled_number(data: Any, rng: random.Random) -> Any:
    """A number times a power of ten: the 1ms-for-1m and /s-for-/h slips."""
    numbers = [p for p in _positions(data) if isinstance(_get(data, p), int | float) and p]
    strings = [p for p in _positions(data) if isinstance(_get(data, p), str) and p]
    factor = 10.0 ** rng.randint(-12, 12)
    if numbers and (not strings or rng.random() < 0.5):
        path = rng.choice(numbers)
        value = _get(data, path)
        if isinstance(value, bool):
            return data
        return _set(data, path, value * factor)
    if not strings:
        return data
    path = rng.choice(strings)
    text = _get(data, path)
    digits = "".join(c for c in text if c.isdigit() or c == ".")
    if not digits or digits.count(".") > 1 or digits == ".":
        return data
    return _set(data, path, text.replace(digits, repr(float(digits) * factor), 1))


def nudged_number(data: Any, rng: random.Random) -> Any:
    """A number a little off (often still a valid scenario, so the engine runs on it)."""
    numbers = [
        p
        for p in _positions(data)
        if p and isinstance(_get(data, p), int | float) and not isinstance(_get(data, p), bool)
    ]
    if not numbers:
        return data
    path = rng.choice(numbers)
    value = _get(data, path)
    if isinstance(value, int):
        return _set(data, path, max(0, value + rng.randint(-3, 3)))
    return _set(data, path, value * rng.uniform(0.0, 2.0))


def toggled_bool(data: Any, rng: random.Random) -> Any:
    flags = [p for p in _positions(data) if p and isinstance(_get(data, p), bool)]
    if not flags:
        return data
    path = rng.choice(flags)
    return _set(data, path, not _get(data, path))


def odd_text(data: Any, rng: random.Random) -> Any:
    return _set(data, _pick(data, rng, leaves=True), rng.choice(ODD_TEXTS))


def wrong_type(data: Any, rng: random.Random) -> Any:
    return _set(data, _pick(data, rng), _copy(rng.choice(WRONG_TYPES)))


def deep_nesting(data: Any, rng: random.Random) -> Any:
    path = _pick(data, rng)
    value = _get(data, path)
    for _ in range(rng.choice((5, 20, 63, 64, 65, 200, 900))):
        value = [value] if rng.random() < 0.5 else {"k": value}
    return _set(data, path, value)


def rename_key(data: Any, rng: random.Random) -> Any:
    maps = [p for p in _positions(data) if isinstance(_get(data, p), dict) and _get(data, p)]
    if not maps:
        return data
    mapping = _get(data, rng.choice(maps))
    key = rng.choice(list(mapping))
    text = str(key)
    options: list[Any] = [
        text[:-1],
        text + "s",
        text.upper(),
        None,
        True,
        123,
        "default",
        "null",
        "all",
        "日本",
        " ",
        text + "\u0301",
    ]
    new = rng.choice(options)
    if new in mapping:
        return data
    items = [(new if k == key else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)
    return data


def copy_subtree(data: Any, rng: random.Random) -> Any:
    source = _get(data, _pick(data, rng))
    maps = [p for p in _positions(data) if isinstance(_get(data, p), dict)]
    if not maps:
        return data
    target = _get(data, rng.choice(maps))
    try:
        copied = _copy(source)
    except RecursionError:
        # A subtree made hundreds of levels deep by deep_nesting: Python's own stack stops the
        # copy. Such a mutant tests nothing the deep one before it has not.
        return data
    target[f"copy{rng.randint(0, 99)}"] = copied
    return data


def repeat_list(data: Any, rng: random.Random) -> Any:
    lists = [p for p in _positions(data) if isinstance(_get(data, p), list) and _get(data, p)]
    if not lists:
        return data
    path = rng.choice(lists)
    items = _get(data, path)
    times = rng.choice((2, 10, 100, 10_000))
    times = max(1, min(times, 60_000 // len(items)))  # past the loader's limit, but not far
    return _set(data, path, items * times)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


TREE_MUTATIONS: tuple[Callable[[Any, random.Random], Any], ...] = (
    nudged_number,
    nudged_number,
    nudged_number,
    toggled_bool,
    delete_key,
    delete_key,
    swap_values,
    odd_number,
    odd_number,
    scaled_number,
    scaled_number,
    odd_text,
    odd_text,
    wrong_type,
    deep_nesting,
    rename_key,
    copy_subtree,
    repeat_list,
)


# --------------------------------------------------------------------------------------------
# Mutations of the text


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randint(0, len(text))]


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = rng.randrange(len(lines))
    return "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def insert(text: str, rng: random.Random) -> str:
    at = rng.randint(0, len(text))
    return text[:at] + rng.choice(TEXT_INSERTS) + text[at:]


def delete_span(text: str, rng: random.Random) -> str:
    at = rng.randint(0, len(text))
    return text[:at] + text[at + rng.randint(1, 40) :]


def aliases(text: str, rng: random.Random) -> str:
    levels = rng.choice((3, 6, 9))
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]")
    return text + "\n" + "\n".join(lines) + "\n"


TEXT_MUTATIONS: tuple[Callable[[str, random.Random], str], ...] = (
    truncate,
    duplicate_line,
    duplicate_line,
    insert,
    insert,
    delete_span,
    aliases,
)
