"""The readers of the scenario language: one module per block (or pair of related blocks).

The machinery every reader uses:

- :mod:`~simulator.scenario.read.context`: the :class:`ReadContext` that collects problems,
  key paths, and the shape of mappings (:func:`read_fields`, :func:`named_entries`,
  :func:`read_each`).
- :mod:`~simulator.scenario.read.values`: names, numbers, shares, durations, rates, clock times.
- :mod:`~simulator.scenario.read.distributions`: distributions of durations.
- :mod:`~simulator.scenario.read.block`: the :class:`Block` each block module ends with.
- :mod:`~simulator.scenario.read.jsonparts`: pieces of the JSON Schema the block modules share.

The blocks: ``header`` (scenario, description, seed), ``horizon``, ``customers``, ``channels``,
``agents``, ``demand`` (arrivals, handle_time), ``bots``, ``journeys`` (context, retrial),
``frustration``, ``costs``, ``routing`` (with ``coverage``, its whole-routing checks) and
``variants`` (only the shape; :mod:`simulator.scenario.variants` applies them). Each block module
declares the keys it accepts as constants that its reader and its JSON Schema fragment both use.
:mod:`simulator.scenario.load` lists the blocks and builds the scenario; see its docstring for
how to add a block.

This package knows nothing of the model: it turns located YAML into the frozen values of
:mod:`simulator.scenario.schema`.
"""
