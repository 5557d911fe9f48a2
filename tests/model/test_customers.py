"""Customers drawn in blocks (simulator/model/customers.py): a block hands each journey its
first uniforms as the numpy values of slot zero, converted to floats once."""

from __future__ import annotations

import math

import numpy as np

from simulator.model import rng
from simulator.model.customers import CustomerBlock


def test_first_uniforms_are_the_numpy_slot_zero_values():
    u = [np.random.default_rng(3).random(5 * rng.JOURNEY_SLOTS) for _ in range(2)]
    block = CustomerBlock(0, [0.0] * 5, [0] * 5, [0] * 5, [0] * 5, [0] * 5, [], [], [], u)
    for purpose in range(2):
        first = block.first_uniforms(purpose)
        assert first == [float(u[purpose][k * rng.JOURNEY_SLOTS]) for k in range(5)]
        assert all(type(x) is float for x in first)
        assert block.first_uniforms(purpose) is first  # converted once
    assert not math.isnan(first[0])
