"""Scenario variants: named overlays on a base scenario, declared in the same file.

::

    variants:
      omnichannel:
        context.shared_record: true          # a scalar at a dotted key path
        routing: [{to: voice_general}]       # or a whole replacement block
      more_agents:
        agents.billing.shrinkage: 0.25

A variant is built from the base's located tree without its ``variants:`` block: each dotted key
path of the overlay is set, in file order (missing intermediate mappings are created, so
``context.shared_record`` works without a ``context:`` block), and the result goes through the
same readers as the base (:func:`~simulator.scenario.load.build_scenario`). So a variant is
validated exactly like the base; values that came from the overlay keep their own line and
column, and every problem is prefixed with ``variants.<name>:``::

    bank.yaml:88:31: variants.more_agents: agents.billing.shrinkage: expected ..., found 1.5

The variant keeps the base's ``scenario`` name and ``seed`` unless the overlay sets them.

A path cannot invent an entity by accident: where it passes *through* a named definition (an
agent group, channel, bot, segment or intent: :data:`ENTITIES`), that name must exist in the base,
so a typo such as ``agents.chat_tem.count`` is an error with a did-you-mean rather than a new,
idle team. A new entity is added only as a whole definition, whose last path segment is its
name (``agents.social_team: {skills: [social], count: 4}``), and is then validated like any.

Limits (v1): a path cannot go through a list (replace the whole list instead), and a path
segment cannot contain a dot (names with dots can only be changed by replacing their parent).
"""

from __future__ import annotations

from pathlib import Path

from simulator.limits import MAX_NODES
from simulator.scenario import yamlsrc
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.scenario.load import build_scenario
from simulator.scenario.read.context import ReadContext, describe, key_name
from simulator.scenario.read.variants import Overlays, read_variants
from simulator.scenario.schema import Scenario
from simulator.scenario.yamlsrc import Located

BLOCK = "variants"

#: Mappings of named definitions, as key paths: a variant path may go *through* a name in one of
#: these only if the base defines it (what a variant adds must be given whole).
ENTITIES: dict[tuple[str, ...], str] = {
    ("agents",): "agent groups",
    ("channels",): "channels",
    ("bots",): "bots",
    ("customers", "segments"): "segments",
    ("customers", "intents"): "intents",
}


def variant_names(path: str | Path) -> list[str]:
    """The names of the variants a scenario file declares, in file order."""
    return variant_names_text(yamlsrc.read_source(path), str(path))


def variant_names_text(text: str, source: str = "<string>") -> list[str]:
    """The names of the variants declared in scenario YAML text, in file order."""
    return list(_overlays(yamlsrc.parse(text, source), source))


def load_variant(path: str | Path, name: str) -> Scenario:
    """Variant ``name`` of a scenario file, validated like the base."""
    return load_variant_text(yamlsrc.read_source(path), name, str(path))


def load_variant_text(text: str, name: str, source: str = "<string>") -> Scenario:
    """Variant ``name`` of scenario YAML text, validated like the base."""
    tree = yamlsrc.parse(text, source)
    overlays = _overlays(tree, source)
    if name not in overlays:
        node = tree.value.get(BLOCK) if tree.is_map else None
        if overlays:
            message = f"unknown variant '{name}'"
            hint = did_you_mean(name, overlays, what="variants")
        else:
            message = f"no variant '{name}': the scenario declares no variants"
            hint = "add a variants: block, e.g. variants: {more_agents: {agents.voice.count: 20}}"
        line, col = (node.line, node.col) if node is not None else (None, None)
        raise ScenarioError([Problem(source, line, col, BLOCK, message, hint)])
    return build_variant(tree, name, overlays[name][1], source)


def load_variants(path: str | Path) -> dict[str, Scenario]:
    """Every variant of a scenario file, by name in file order. :class:`ScenarioError` lists the
    problems of all broken variants at once."""
    return load_variants_text(yamlsrc.read_source(path), str(path))


def load_variants_text(text: str, source: str = "<string>") -> dict[str, Scenario]:
    """Every variant of scenario YAML text (see :func:`load_variants`)."""
    tree = yamlsrc.parse(text, source)
    out: dict[str, Scenario] = {}
    problems: list[Problem] = []
    for name, (_, overlay) in _overlays(tree, source).items():
        try:
            out[name] = build_variant(tree, name, overlay, source)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return out


def build_variant(tree: Located, name: str, overlay: Located, source: str) -> Scenario:
    """The Scenario of the base ``tree`` with ``overlay`` applied; every problem is labelled
    ``variants.<name>``."""
    label = f"{BLOCK}.{name}"
    try:
        return build_scenario(apply_overlay(tree, overlay, source), source)
    except ScenarioError as exc:
        raise ScenarioError([_labelled(p, label) for p in exc.problems]) from None


def apply_overlay(tree: Located, overlay: Located, source: str) -> Located:
    """A new located tree: ``tree`` without ``variants:``, each dotted path of ``overlay`` set.
    Nodes are copied along the paths only; ``tree`` is not changed."""
    root = _copy_map(tree)
    _delete(root, BLOCK)
    if overlay.is_null:
        return root
    reading = ReadContext(source)
    for key_loc, value in overlay.items():
        dotted = key_name(key_loc)
        segments = dotted.split(".")
        if not all(s.strip() for s in segments):
            reading.add(
                key_loc,
                dotted,
                "expected a dotted key path such as agents.voice.count (empty segment)",
            )
            continue
        if segments[0] == BLOCK:
            reading.add(key_loc, dotted, "a variant cannot declare variants")
            continue
        problem = _set(root, segments, key_loc, value)
        if problem is not None:
            reading.add(key_loc, dotted, *problem)
    if reading.problems:
        raise ScenarioError(reading.problems)
    return root


def _set(
    root: Located, segments: list[str], key_loc: Located, value: Located
) -> tuple[str, str | None] | None:
    """Set ``root[segments...] = value``, copying mappings on the way; (message, hint) if the
    path cannot be followed."""
    node = root
    for depth, segment in enumerate(segments[:-1]):
        key = _find_key(node, segment)
        child = node.value.get(key) if key is not None else None
        invented = _invented_entity(node, segments, depth, key)
        if invented is not None:
            return invented
        if child is None or child.is_null:
            child = Located(Located.MAP, {}, key_loc.line, key_loc.col, keys={})
        elif child.is_map:
            child = _copy_map(child)
        else:
            where = ".".join(segments[: depth + 1])
            rest = ".".join(segments[depth + 1 :])
            if child.is_list:
                message = f"{where} is a list; a variant path cannot go into a list"
                hint = f"replace the whole list: give {where}: [...] in the variant"
            else:
                message = (
                    f"{where} is not a mapping (found {describe(child)}), so it has no '{rest}'"
                )
                hint = f"set {where} itself"
            return message, hint
        _put(node, key if key is not None else segment, segment, key_loc, child)
        node = child
    last = segments[-1]
    key = _find_key(node, last)
    _put(node, key if key is not None else last, last, key_loc, value)
    return None


def _invented_entity(
    node: Located, segments: list[str], depth: int, key: object | None
) -> tuple[str, str | None] | None:
    """(message, hint) when ``segments[depth]`` names an entity the base does not define and the
    path goes on past it; None otherwise."""
    collection = tuple(segments[:depth])
    what = ENTITIES.get(collection)
    if what is None or key is not None:
        return None
    name = segments[depth]
    where = ".".join(collection)
    known = [key_name(k) for k in (node.keys or {}).values()]
    message = f"the base scenario has no {what[:-1]} '{name}' in {where}"
    suggestion = did_you_mean(name, known, what=what)
    whole = f"a new one is added whole, as {where}.{name}: {{...}}"
    if suggestion is not None and suggestion.startswith("did you mean"):
        return message, f"{suggestion} Or, {whole}"
    return message, whole[0].upper() + whole[1:]


def _find_key(node: Located, segment: str) -> object | None:
    """The key of ``node`` written as ``segment`` (keys as the author typed them: YAML 1.1 reads
    an unquoted ``8:00`` as 480, but the path says 8:00)."""
    if segment in node.value:
        return segment
    assert node.keys is not None
    return next((k for k, loc in node.keys.items() if key_name(loc) == segment), None)


def _put(node: Located, key: object, segment: str, key_loc: Located, value: Located) -> None:
    """Set a key of a (copied) mapping; a new key is located where the overlay wrote it."""
    assert node.keys is not None
    if key not in node.keys:
        node.keys[key] = Located(
            Located.SCALAR, segment, key_loc.line, key_loc.col, raw=segment, quoted=True
        )
    node.value[key] = value


def _copy_map(node: Located) -> Located:
    assert node.is_map and node.keys is not None
    return Located(Located.MAP, dict(node.value), node.line, node.col, keys=dict(node.keys))


def _delete(node: Located, key: str) -> None:
    assert node.keys is not None
    node.value.pop(key, None)
    node.keys.pop(key, None)


def _labelled(p: Problem, label: str) -> Problem:
    path = f"{label}: {p.key_path}" if p.key_path else label
    return Problem(p.file, p.line, p.col, path, p.message, p.hint)


def _overlays(tree: Located, source: str) -> Overlays:
    """Variant name -> (name key, overlay) in file order; ScenarioError if the block is not a
    mapping of mappings (the rest of the base is not checked here)."""
    if not tree.is_map or BLOCK not in tree.value:
        return {}
    reading = ReadContext(source)
    overlays = reading.attempt(read_variants, reading, tree.value[BLOCK], BLOCK)
    if reading.problems or overlays is None:
        raise ScenarioError(reading.problems)
    _check_work(tree, len(overlays), source)
    return overlays


def _check_work(tree: Located, variants: int, source: str) -> None:
    """Each variant reads the whole base again: refuse a file whose variants would read more
    than twice the most values a scenario may hold (5,000 variants of a bundled scenario took
    a minute to validate)."""
    base = sum(_values(node) for key, node in tree.value.items() if key != BLOCK)
    most = 2 * int(MAX_NODES.value)
    if variants * base <= most:
        return
    block = tree.value[BLOCK]
    message = (
        f"{variants:,} variants of a scenario of {base:,} values: {variants * base:,} values to "
        f"read, more than the limit of {most:,} (twice CXSIM_MAX_NODES)"
    )
    hint = "declare fewer variants, or compare files; " + MAX_NODES.hint
    raise ScenarioError([Problem(source, block.line, block.col, BLOCK, message, hint)])


def _values(node: Located) -> int:
    """The values of a tree, counted as a reader visits them."""
    count, stack = 0, [node]
    while stack:
        item = stack.pop()
        count += 1
        if item.is_map:
            stack.extend(item.value.values())
        elif item.is_list:
            stack.extend(item.value)
    return count
