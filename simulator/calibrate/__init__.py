"""Calibrate a scenario from a call-by-call log (what an ACD exports): ``cxsim calibrate``.

The pipeline, one small module per step::

    CSV --columns.read_log--> CallLog --profile--> arrivals, KPIs and staffing by interval
                                      --fits----> lognormal handle times, censored patience
        --fragment--> a complete scenario (YAML) --check--> simulated vs observed KPIs
        --report----> calibration.md and PNG plots

Everything that can go wrong with the input (a missing column, an unreadable time, no
abandonments to fit patience on, an empty selection of days) raises :class:`CalibrationError`
with a message meant for the person who ran the command; the CLI prints it and exits with 2.
"""

from __future__ import annotations

from simulator.errors import CxsimError


class CalibrationError(CxsimError):
    """A call log that cannot be calibrated; the message says why and what to do."""
