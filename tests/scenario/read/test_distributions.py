"""Distributions: known kinds only, positive means, ordered bounds, one gamma parameterisation."""

from __future__ import annotations

from tests.scenario_texts import ONE_CHANNEL, only


def test_unknown_distribution_kind():
    text = ONE_CHANNEL.replace("default: 4m", "default: {lognormale: {mean: 4m, sd: 1m}}")
    assert only(text) == (
        "s.yaml:9:13: handle_time.default.lognormale: unknown distribution 'lognormale' "
        "(did you mean 'lognormal'?)"
    )


def test_distribution_mean_must_be_positive():
    text = ONE_CHANNEL.replace("default: 4m", "default: {exponential: {mean: 0s}}")
    assert only(text) == (
        "s.yaml:9:33: handle_time.default.exponential.mean: expected a duration greater than 0, "
        "found '0s'"
    )


def test_uniform_low_above_high():
    text = ONE_CHANNEL.replace("default: 4m", "default: {uniform: {low: 5m, high: 1m}}")
    assert (
        only(text) == "s.yaml:9:38: handle_time.default.uniform.high: high (1m) is below low (5m)"
    )


def test_gamma_needs_one_parameterisation():
    text = ONE_CHANNEL.replace("default: 4m", "default: {gamma: {mean: 5m, shape: 2}}")
    assert only(text).startswith(
        "s.yaml:9:20: handle_time.default.gamma: a gamma takes either mean and sd, or shape and "
        "scale"
    )
