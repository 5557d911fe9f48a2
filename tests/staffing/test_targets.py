"""Targets such as ``service_level>=0.80@20s``: what they parse to, and the errors that say
what was expected."""

from __future__ import annotations

import pytest

from simulator.staffing import TargetError, parse_target, parse_targets


@pytest.mark.parametrize(
    ("text", "kpi", "op", "value", "threshold", "group"),
    [
        ("service_level>=0.80@20s", "service_level", ">=", 0.8, 20.0, None),
        (" service_level >= 80% @ 30s ", "service_level", ">=", 0.8, 30.0, None),
        ("abandon_rate<=0.05", "abandon_rate", "<=", 0.05, None, None),
        ("asa_s<=30s", "asa_s", "<=", 30.0, None, None),
        ("mean_wait_s<=2m", "mean_wait_s", "<=", 120.0, None, None),
        ("occupancy<=0.85", "occupancy", "<=", 0.85, None, None),
        ("billing:service_level=>0.9", "service_level", ">=", 0.9, None, "billing"),
        (
            "journey.share_angry_or_worse<=0.1",
            "journey.frustration.share_angry_or_worse",
            "<=",
            0.1,
            None,
            None,
        ),
        (
            "journey.frustration.share_angry_or_worse<=0.1",
            "journey.frustration.share_angry_or_worse",
            "<=",
            0.1,
            None,
            None,
        ),
        ("journey.nps>=20", "journey.nps", ">=", 20.0, None, None),
    ],
)
def test_targets_parse(text, kpi, op, value, threshold, group):
    target = parse_target(text, ["billing", "voice"])
    assert (target.kpi, target.op, target.value, target.threshold_s, target.group) == (
        kpi,
        op,
        pytest.approx(value),
        threshold,
        group,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "expected KPI OP VALUE"),
        ("service_level", "expected an operator >= or <="),
        ("service_level>0.8", "use >= or <="),
        ("service_level>=", "expected a value"),
        ("service_level>=high", "expected a share such as 0.8 or 80%"),
        ("service_level>=1.5", "a share between 0 and 1"),
        ("servce_level>=0.8", "unknown KPI 'servce_level'"),
        ("asa_s<=soon", "expected a duration such as 30s"),
        ("abandon_rate<=0.05@20s", "only service_level takes one"),
        ("service_level>=0.8@20 parsecs", "threshold"),
        ("occupancy>=0.8", "use occupancy<="),
        ("service_level<=0.8", "use service_level>="),
        ("journey.share_angry<=0.1", "did you mean 'journey.share_angry_or_worse'?"),
        ("journey.nps<=20", "use journey.nps>="),
        ("billing:journey.nps>=20", "cannot be limited to group 'billing'"),
        ("nobody:service_level>=0.8", "no agent group 'nobody'"),
    ],
)
def test_target_errors_name_the_target_and_what_was_expected(text, expected):
    with pytest.raises(TargetError) as error:
        parse_target(text, ["billing", "voice"])
    assert expected in str(error.value)
    if text:
        assert repr(text) in str(error.value)


def test_targets_need_one_and_one_threshold_per_group():
    with pytest.raises(TargetError, match="no target given"):
        parse_targets([])
    with pytest.raises(TargetError, match="two service-level thresholds"):
        parse_targets(["service_level>=0.8@20s", "service_level>=0.9@30s"])
