"""How many agents do I need? A simulation-based staffing search (``cxsim staff``).

* :mod:`~simulator.staffing.targets` parses targets such as ``service_level>=0.80@20s``;
* :mod:`~simulator.staffing.seeds` gives Erlang C and Erlang A starting points from each group's
  offered load;
* :mod:`~simulator.staffing.groups` decides which groups are searched and seeds them;
* :mod:`~simulator.staffing.search` corrects the seeds with whole-day simulations, interval by
  interval in time order, reading each run through :mod:`~simulator.staffing.verdicts`;
* :mod:`~simulator.staffing.plan` turns agents into heads, the staffed scenario and the rows;
* :mod:`~simulator.staffing.output` writes the tables, the plot and the variant overlay.
"""

from simulator.staffing.plan import StaffingResult, heads_for
from simulator.staffing.search import search_staffing
from simulator.staffing.targets import Target, TargetError, parse_target, parse_targets

__all__ = [
    "StaffingResult",
    "Target",
    "TargetError",
    "heads_for",
    "parse_target",
    "parse_targets",
    "search_staffing",
]
