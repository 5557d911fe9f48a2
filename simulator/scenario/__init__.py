"""Scenario files: the YAML language, its loader, JSON Schema and effective-scenario dump.

>>> from simulator.scenario import load_scenario_text
>>> s = load_scenario_text('''
... scenario: tiny
... horizon: {duration: 8h}
... arrivals: {rate: 60/h}
... channels: {voice: {}}
... agents: {voice: {count: 2}}
... handle_time: {default: 4m}
... ''')
>>> s.horizon.duration, s.arrivals.rates[0] * 3600, s.route("voice", "general", "all").to
(28800.0, 60.0, 'voice')
"""

from simulator.scenario.effective import effective_dict
from simulator.scenario.errors import Problem, ScenarioError
from simulator.scenario.jsonschema import json_schema
from simulator.scenario.load import load_scenario, load_scenario_text
from simulator.scenario.variants import (
    load_variant,
    load_variant_text,
    load_variants,
    load_variants_text,
    variant_names,
    variant_names_text,
)

__all__ = [
    "Problem",
    "ScenarioError",
    "effective_dict",
    "json_schema",
    "load_scenario",
    "load_scenario_text",
    "load_variant",
    "load_variant_text",
    "load_variants",
    "load_variants_text",
    "variant_names",
    "variant_names_text",
]
