"""A small progress bar on stderr, shown only for runs longer than a moment in a terminal."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

#: Seconds a run must last before its bar appears; ``CXSIM_PROGRESS_DELAY`` overrides it (0 shows
#: the bar at once, which is how the tests check it is drawn whatever the machine's speed).
DEFAULT_DELAY = 0.5


def _delay_from_environment() -> float:
    text = os.environ.get("CXSIM_PROGRESS_DELAY", "")
    try:
        return max(0.0, float(text)) if text else DEFAULT_DELAY
    except ValueError:
        return DEFAULT_DELAY


class ProgressBar:
    """Call with ``(done, total)``; draws after ``delay`` seconds, only on a terminal."""

    def __init__(
        self,
        label: str,
        enabled: bool = True,
        stream: TextIO | None = None,
        delay: float | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.label = label
        self.started = time.monotonic()
        self.delay = _delay_from_environment() if delay is None else delay
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if elapsed < self.delay and done < total:
            return
        if elapsed < self.delay and not self.drawn:
            return  # finished before it was worth showing
        width = 30
        filled = int(width * done / total) if total else width
        eta = elapsed / done * (total - done) if done else 0.0
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            f"  {elapsed:5.1f}s elapsed, ~{eta:4.0f}s left "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
