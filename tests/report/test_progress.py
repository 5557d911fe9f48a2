"""The progress bar of long runs (simulator/report/progress.py): drawn on a terminal only, after
its delay, silent otherwise. The bar of a real ``cxsim run`` is tested in tests/test_cli.py."""

from __future__ import annotations

import io

from simulator.report.progress import ProgressBar


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_stream() -> None:
    stream = FakeTerminal()
    bar = ProgressBar("day", stream=stream, delay=0)
    for done in range(5):
        bar(done, 4)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\rday [")
    assert "[" + "#" * 30 + "] 4/4" in text
    assert text.count("\r") == 5
    assert text.endswith("\n")


def test_progress_bar_is_silent_off_a_terminal_or_when_disabled() -> None:
    plain = io.StringIO()
    bar = ProgressBar("day", stream=plain, delay=0)
    bar(1, 2)
    bar.close()
    disabled = FakeTerminal()
    off = ProgressBar("day", enabled=False, stream=disabled, delay=0)
    off(1, 2)
    off.close()
    assert plain.getvalue() == "" and disabled.getvalue() == ""


def test_progress_bar_waits_for_its_delay() -> None:
    stream = FakeTerminal()
    bar = ProgressBar("day", stream=stream, delay=60)
    bar(1, 4)
    bar(4, 4)  # finished before the delay: never drawn
    bar.close()
    assert stream.getvalue() == ""


def test_progress_delay_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("CXSIM_PROGRESS_DELAY", "0")
    assert ProgressBar("day").delay == 0.0
    monkeypatch.setenv("CXSIM_PROGRESS_DELAY", "not a number")
    assert ProgressBar("day").delay == 0.5  # a typo in a tuning knob never stops a run
    monkeypatch.delenv("CXSIM_PROGRESS_DELAY")
    assert ProgressBar("day").delay == 0.5
