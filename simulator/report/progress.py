"""A small progress bar on stderr, shown only for runs longer than a moment in a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with ``(done, total)``; draws after ``delay`` seconds, only on a terminal."""

    def __init__(
        self, label: str, enabled: bool = True, stream: TextIO | None = None, delay: float = 0.5
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.label = label
        self.started = time.monotonic()
        self.delay = delay
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
