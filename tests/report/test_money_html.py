"""Money on the report's first screen (simulator.report.money_html)."""

from __future__ import annotations

from simulator.report.money_html import money_figures, render_money


def est(mean: float, low: float | None = None, high: float | None = None) -> dict:
    out: dict = {"mean": mean}
    if low is not None:
        out.update(ci_low=low, ci_high=high)
    return out


ZERO = est(0.0, 0.0, 0.0)


def test_operating_cost_and_value_at_risk_with_their_intervals():
    costs = {
        "agents": est(19104.0, 19104.0, 19104.0),
        "bots": ZERO,
        "platform": est(900.0, 900.0, 900.0),
        "operating": est(20004.0, 20004.0, 20004.0),
        "churn": est(74173.1, 71737.8, 76608.4),
        "word_of_mouth": ZERO,
        "total": est(94177.1, 91741.8, 96612.4),
    }
    figures = money_figures({"costs": costs})
    assert [(key, value["mean"]) for key, _label, value in figures] == [
        ("operating", 20004.0),
        ("value_at_risk", 74173.1),
    ]
    page = render_money({"costs": costs})
    assert "20,004" in page and "74,173" in page
    assert "95 % CI [71,738, 76,608]" in page


def test_an_explicit_value_at_risk_wins_and_a_sum_has_no_interval():
    costs = {
        "agents": est(100.0, 90.0, 110.0),
        "platform": est(50.0, 50.0, 50.0),
        "churn": est(10.0, 8.0, 12.0),
        "word_of_mouth": est(5.0, 4.0, 6.0),
    }
    figures = dict((key, value) for key, _label, value in money_figures({"costs": costs}))
    assert figures["operating"] == {"mean": 150.0}  # two lines: no interval of their sum
    assert figures["value_at_risk"] == {"mean": 15.0}
    assert "no interval" in render_money({"costs": costs})
    costs["value_at_risk"] = {"total": est(16.0, 12.0, 20.0)}
    figures = dict((key, value) for key, _label, value in money_figures({"costs": costs}))
    assert figures["value_at_risk"] == est(16.0, 12.0, 20.0)


def test_no_costs_no_money():
    assert render_money({}) == "" and render_money({"costs": {}}) == ""
    zero = {"costs": {"agents": ZERO, "churn": ZERO, "operating": ZERO}}
    assert money_figures(zero) == [] and render_money(zero) == ""
    assert money_figures({"costs": {"operating": "n/a", "churn": None}}) == []
