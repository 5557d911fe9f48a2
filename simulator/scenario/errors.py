"""Problems found in a scenario file, each with file:line:col, the key path and a hint.

A :class:`ScenarioError` carries every problem the loader found (it keeps reading after an
independent problem, so one run shows several unknown keys at once). ``str(error)`` is one
compiler-style line per problem::

    retail.yaml:14:7: channels.voice.paitence: unknown key 'paitence' (did you mean 'patience'?)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.errors import CxsimError


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: where it is (1-based line and column, when known), the dotted key path
    (``agents.chat_support.count``, ``routing[2].to``; empty for file-level problems), what is
    wrong, and optionally how to fix it."""

    file: str
    line: int | None
    col: int | None
    key_path: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = (
            f"{where}: {self.key_path}: {self.message}"
            if self.key_path
            else f"{where}: {self.message}"
        )
        return f"{text} ({self.hint})" if self.hint else text


class ScenarioError(CxsimError):
    """A scenario file that cannot be loaded; ``problems`` lists why, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def did_you_mean(word: object, choices: Iterable[str], *, what: str = "keys") -> str | None:
    """``"did you mean 'patience'?"`` for a close match, else the list of allowed choices."""
    options = [str(c) for c in choices]
    if not options:
        return None
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"allowed {what}: " + ", ".join(options)
