"""Calibrate a scenario from a call-by-call log (what an ACD exports): ``cxsim calibrate``.

The pipeline, one small module per step::

    CSV --columns.read_log--> CallLog --profile--> arrivals, KPIs and staffing by interval
                                      --fits----> lognormal handle times, censored patience
        --fragment--> a complete scenario (YAML) --check--> simulated vs observed KPIs
        --report----> calibration.md and PNG plots

Everything that can go wrong with the input (a missing column, an unreadable time, no
abandonments to fit patience on, an empty selection of days) raises :class:`CalibrationError`
with a message meant for the person who ran the command; the CLI prints it and exits with 2.

Two more pipelines share the package: ``cxsim calibrate-arrivals`` (daily and interval counts ->
:mod:`~simulator.calibrate.history` -> :mod:`~simulator.calibrate.history_fit` ->
:mod:`~simulator.calibrate.history_output`, the ``arrivals.uncertainty`` block) and
``cxsim calibrate-outcomes`` (a post-contact survey -> :mod:`~simulator.calibrate.survey` ->
:mod:`~simulator.calibrate.outcome_fit` -> :mod:`~simulator.calibrate.outcome_report`, the
``outcomes:`` block).

The names in ``__all__`` are the package's entry points; they load on first use (PEP 562) so the
command line does not import scipy and matplotlib before it needs them.
"""

from __future__ import annotations

from simulator.errors import CxsimError
from simulator.lazy import lazy_entry_points

#: Entry point -> the module that defines it.
_ENTRY_POINTS = {
    "calibrate": "simulator.calibrate.fragment",
    "fit_history": "simulator.calibrate.history_fit",
    "fit_outcomes": "simulator.calibrate.outcome_fit",
    "load_history": "simulator.calibrate.history",
    "read_log": "simulator.calibrate.columns",
    "read_survey": "simulator.calibrate.survey",
    "run_check": "simulator.calibrate.check",
    "write_report": "simulator.calibrate.report",
}

_lazy_names, __getattr__, __dir__ = lazy_entry_points(__name__, _ENTRY_POINTS)
__all__ = sorted(["CalibrationError", *_lazy_names])


class CalibrationError(CxsimError):
    """A call log that cannot be calibrated; the message says why and what to do."""
