"""One family for bad input: every error a user can fix derives from :class:`CxsimError`.

Its message is meant for the user, not for a developer: it says what is wrong, where (a file
and line, an option, a row of a data file) and how to fix it. The command line catches the
family once (:func:`simulator.cli_common.reports_bad_input`), prints the message on stderr and
exits with status 2, never with a traceback. Anything else that escapes is a bug.

Errors that callers also treat as ``ValueError`` (units, targets, traces) keep it as a second
base, so library code that catches ``ValueError`` goes on working.

>>> from simulator.units import UnitError, parse_duration
>>> try:
...     parse_duration("4 minutes please")
... except CxsimError as error:
...     print(type(error).__name__, "is bad input")
UnitError is bad input
"""

from __future__ import annotations

__all__ = ["CxsimError"]


class CxsimError(Exception):
    """Bad input, with a message meant for the user.

    ``context`` holds what a caller added on the way out (a file name, a command, an option),
    outermost first; ``str(error)`` puts it before the message: ``bank.yaml: no customer ...``.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.context: list[str] = []

    def within(self, where: str) -> CxsimError:
        """Say where the problem is (``error.within(str(path))``); returns the error."""
        self.context.insert(0, where)
        return self

    def __str__(self) -> str:
        message = super().__str__()
        return ": ".join([*self.context, message]) if self.context else message
