"""Fit the outcome model (the scenario's ``outcomes:`` block) to a survey: ``cxsim
calibrate-outcomes``.

Three fits, each on the customers who answered its question (:mod:`simulator.calibrate.survey`):

* **effort weights** by least squares: ``effort - 1 = sum of weight x fact + noise`` over the
  journey facts of the model (extra contacts, switches, transfers, repeats, bot failures,
  ``log(1 + wait beyond promise)``, unresolved, closed or blocked), standard errors from
  ``sigma^2 (X'X)^-1``. A fact that never occurs in the survey keeps its default weight. Survey
  answers are whole numbers clipped at 1 and 7, which biases the weights a little toward 0;
* **recommend** (0-10) as the model's ordered logit, by maximum likelihood: ten cutpoints and the
  shifts for no resolution and per effort point, ``eta = -unresolved x (1 - resolved) - effort x
  (E - 1)`` with ``E`` the modelled effort of each customer (the fitted weights when the survey
  has effort answers, else the defaults). The consistency rule (no promoter unresolved or above
  the maximum effort) is respected by treating those customers' answers of 8 to 10 as "8 or
  more". Standard errors from the inverse of the observed information (a finite-difference
  Hessian of the log-likelihood);
* **churn** as a logistic regression by maximum likelihood (Newton's method): an intercept (the
  churn of a resolved, effortless customer: the segment's ``churn_base`` in a scenario), the
  log-odds per effort point and when not resolved; standard errors from ``(X'WX)^-1``.

95 % intervals are estimate +/- 1.96 standard errors. The written block clips negative estimates
to 0 (the language requires more effort never to help) and says so in the report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from simulator.calibrate import CalibrationError
from simulator.calibrate.survey import Survey
from simulator.scenario.outcomes import EFFORT_MAX, EFFORT_MIN, LTR_ANSWERS, OutcomeParams

#: The effort weights in the order of :func:`design` (fields of EffortWeights).
EFFORT_FACTS = (
    "extra_contact",
    "switch",
    "transfer",
    "repeat",
    "bot_failure",
    "wait_beyond_promise",
    "unresolved",
    "closed_or_blocked",
)
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Coefficient:
    """One fitted coefficient with its standard error (NaN when it could not be fitted)."""

    name: str
    value: float
    se: float
    default: float

    @property
    def ci(self) -> tuple[float, float]:
        return self.value - Z95 * self.se, self.value + Z95 * self.se


@dataclass(frozen=True)
class OutcomeFit:
    """What a survey says about the outcome model, part by part (``None``: not asked)."""

    rows: int
    effort: list[Coefficient] | None
    effort_answers: int
    recommend: list[Coefficient] | None
    recommend_answers: int
    resolved_effortless: tuple[float, ...] | None
    recommend_observed: tuple[float, ...] | None
    recommend_fitted: tuple[float, ...] | None
    churn: list[Coefficient] | None
    churn_answers: int
    churn_base: Coefficient | None
    churn_observed: float
    churn_fitted: float


def design(survey: Survey) -> np.ndarray:
    """The journey facts as the effort model weighs them, one column per :data:`EFFORT_FACTS`."""
    return np.column_stack(
        [
            survey.contacts - 1.0,
            survey.switches,
            survey.transfers,
            survey.repeats,
            survey.bot_failures,
            np.log1p(survey.wait_beyond_promise),
            1.0 - survey.resolved,
            survey.closed_or_blocked,
        ]
    )


def modelled_effort(facts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``min(7, 1 + facts @ weights)``, as the engine computes effort."""
    return np.minimum(EFFORT_MAX, EFFORT_MIN + facts @ weights)


def fit_effort(facts: np.ndarray, effort: np.ndarray, defaults: np.ndarray) -> list[Coefficient]:
    """Least squares of ``effort - 1`` on the facts; facts that never occur keep the default."""
    present = np.any(facts != 0.0, axis=0)
    x = facts[:, present]
    y = effort - EFFORT_MIN
    if len(y) <= x.shape[1]:
        raise CalibrationError(f"effort: {len(y)} answers cannot fit {x.shape[1]} weights")
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ beta
    sigma2 = float(residual @ residual) / (len(y) - x.shape[1])
    try:
        covariance = sigma2 * np.linalg.inv(x.T @ x)
    except np.linalg.LinAlgError:
        raise CalibrationError(
            "effort: the journey facts move together in this survey (one is a multiple of "
            "another), so their weights cannot be told apart"
        ) from None
    out, column = [], 0
    for index, name in enumerate(EFFORT_FACTS):
        if present[index]:
            se = math.sqrt(max(covariance[column, column], 0.0))
            out.append(Coefficient(name, float(beta[column]), se, float(defaults[index])))
            column += 1
        else:
            out.append(Coefficient(name, float(defaults[index]), math.nan, float(defaults[index])))
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _cutpoints(theta: np.ndarray) -> np.ndarray:
    """Ten increasing cutpoints from the first and the logs of the nine gaps."""
    return theta[0] + np.concatenate([[0.0], np.cumsum(np.exp(theta[1:10]))])


def _recommend_nll(
    theta: np.ndarray,
    resolved: np.ndarray,
    effort: np.ndarray,
    answers: np.ndarray,
    censored: np.ndarray,
) -> float:
    """Minus the log-likelihood of the answers under the ordered logit ``theta``."""
    eta = -theta[10] * (1.0 - resolved) - theta[11] * (effort - EFFORT_MIN)
    cumulative = _sigmoid(_cutpoints(theta)[None, :] - eta[:, None])
    below = np.column_stack([np.zeros(len(eta)), cumulative])
    upto = np.column_stack([cumulative, np.ones(len(eta))])
    rows = np.arange(len(eta))
    p = upto[rows, answers] - below[rows, answers]
    p = np.where(censored, 1.0 - cumulative[:, 7], p)
    return float(-np.sum(np.log(np.maximum(p, 1e-300))))


def _hessian(function: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-3):
    """Central finite-difference Hessian of ``function`` at ``x``."""
    size = len(x)
    hessian = np.empty((size, size))
    for i in range(size):
        for j in range(i, size):
            shifts = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                point = x.copy()
                point[i] += si * step
                point[j] += sj * step
                shifts.append(function(point))
            value = (shifts[0] - shifts[1] - shifts[2] + shifts[3]) / (4.0 * step * step)
            hessian[i, j] = hessian[j, i] = value
    return hessian


def _standard_errors(hessian: np.ndarray, part: str) -> np.ndarray:
    try:
        covariance = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        raise CalibrationError(
            f"{part}: the survey does not identify the model (every customer alike?)"
        ) from None
    return np.sqrt(np.maximum(np.diag(covariance), 0.0))


def fit_recommend(
    resolved: np.ndarray, effort: np.ndarray, answers: np.ndarray, max_effort: float
) -> tuple[list[Coefficient], tuple[float, ...], tuple[float, ...]]:
    """The ordered logit by maximum likelihood: the shifts (with standard errors), the answers
    of a resolved effortless customer, and the fitted mean answer distribution."""
    answers = answers.astype(int)
    censored = ((resolved == 0.0) | (effort > max_effort)) & (answers >= 8)
    observed = np.bincount(answers, minlength=LTR_ANSWERS) / len(answers)
    shares = np.clip(np.cumsum(observed)[:-1], 0.01, 0.99)
    start_cuts = np.log(shares / (1.0 - shares))
    gaps = np.maximum(np.diff(start_cuts), 0.05)
    start = np.concatenate([[start_cuts[0]], np.log(gaps), [1.0, 0.3]])

    def nll(theta: np.ndarray) -> float:
        return _recommend_nll(theta, resolved, effort, answers, censored)

    result = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-6, "maxiter": 2000})
    theta = result.x
    se = _standard_errors(_hessian(nll, theta), "recommend")
    defaults = OutcomeParams().recommend
    shifts = [
        Coefficient("unresolved", float(theta[10]), float(se[10]), defaults.unresolved),
        Coefficient("effort", float(theta[11]), float(se[11]), defaults.effort),
    ]
    cumulative = _sigmoid(_cutpoints(theta))
    effortless = np.diff(np.concatenate([[0.0], cumulative, [1.0]]))
    eta = -theta[10] * (1.0 - resolved) - theta[11] * (effort - EFFORT_MIN)
    each = _sigmoid(_cutpoints(theta)[None, :] - eta[:, None])
    each = np.diff(np.column_stack([np.zeros(len(eta)), each, np.ones(len(eta))]), axis=1)
    restricted = (resolved == 0.0) | (effort > max_effort)
    each[restricted, 8] += each[restricted, 9] + each[restricted, 10]
    each[restricted, 9:] = 0.0
    return shifts, tuple(float(s) for s in effortless), tuple(float(s) for s in each.mean(axis=0))


def fit_churn(
    resolved: np.ndarray, effort: np.ndarray, churned: np.ndarray
) -> tuple[Coefficient, list[Coefficient], float]:
    """Logistic regression by Newton's method: the base churn (a resolved effortless customer),
    the log-odds per effort point and when unresolved, and the fitted churn rate."""
    x = np.column_stack([np.ones(len(effort)), effort - EFFORT_MIN, 1.0 - resolved])
    rate = min(max(float(churned.mean()), 1e-3), 1 - 1e-3)
    beta = np.array([math.log(rate / (1 - rate)), 0.0, 0.0])
    information = np.eye(3)
    for _ in range(100):
        p = _sigmoid(x @ beta)
        information = (x * (p * (1 - p))[:, None]).T @ x
        try:
            step = np.linalg.solve(information, x.T @ (churned - p))
        except np.linalg.LinAlgError:
            raise CalibrationError(
                "churn: the survey does not identify the model (nobody unresolved, or "
                "everyone with the same effort)"
            ) from None
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    if not np.all(np.isfinite(beta)) or np.max(np.abs(beta)) > 30:
        raise CalibrationError(
            "churn: the answers are separated (e.g. every unresolved customer churned), so the "
            "effects are not finite; more rows are needed"
        )
    se = _standard_errors(information, "churn")
    p_base = 1.0 / (1.0 + math.exp(-beta[0]))
    base = Coefficient("churn_base", p_base, float(se[0]) * p_base * (1 - p_base), math.nan)
    defaults = OutcomeParams().churn
    effects = [
        Coefficient("effort", float(beta[1]), float(se[1]), defaults.effort),
        Coefficient("unresolved", float(beta[2]), float(se[2]), defaults.unresolved),
    ]
    return base, effects, float(_sigmoid(x @ beta).mean())


def fit_outcomes(survey: Survey) -> OutcomeFit:
    """Every part of the outcome model the survey has answers for."""
    defaults = OutcomeParams()
    default_weights = np.array([getattr(defaults.effort, name) for name in EFFORT_FACTS])
    facts = design(survey)
    effort_fit = None
    weights = default_weights
    has_effort = survey.answered("effort")
    if has_effort.any():
        effort_fit = fit_effort(facts[has_effort], survey.effort[has_effort], default_weights)
        weights = np.maximum([c.value for c in effort_fit], 0.0)
    modelled = modelled_effort(facts, weights)
    recommend = effortless = observed = fitted = None
    asked = survey.answered("recommend")
    if asked.any():
        recommend, effortless, fitted = fit_recommend(
            survey.resolved[asked],
            modelled[asked],
            survey.recommend[asked],
            defaults.recommend.promoter_max_effort,
        )
        counts = np.bincount(survey.recommend[asked].astype(int), minlength=LTR_ANSWERS)
        observed = tuple(float(c) for c in counts / counts.sum())
    churn = base = None
    churn_observed = churn_fitted = math.nan
    asked = survey.answered("churned")
    if asked.any():
        base, churn, churn_fitted = fit_churn(
            survey.resolved[asked], modelled[asked], survey.churned[asked]
        )
        churn_observed = float(survey.churned[asked].mean())
    return OutcomeFit(
        rows=survey.rows,
        effort=effort_fit,
        effort_answers=int(has_effort.sum()),
        recommend=recommend,
        recommend_answers=int(survey.answered("recommend").sum()),
        resolved_effortless=effortless,
        recommend_observed=observed,
        recommend_fitted=fitted,
        churn=churn,
        churn_answers=int(asked.sum()),
        churn_base=base,
        churn_observed=churn_observed,
        churn_fitted=churn_fitted,
    )


def _clipped(value: float) -> float:
    return round(max(value, 0.0), 4)


def outcomes_block(fit: OutcomeFit) -> dict[str, object]:
    """The ``outcomes:`` block of a scenario with what the survey fitted (the rest default)."""
    block: dict[str, object] = {}
    if fit.effort is not None:
        block["effort"] = {c.name: _clipped(c.value) for c in fit.effort}
    if fit.recommend is not None and fit.resolved_effortless is not None:
        shares = [max(s, 1e-4) for s in fit.resolved_effortless]
        total = sum(shares)
        block["recommend"] = {
            **{c.name: _clipped(c.value) for c in fit.recommend},
            "resolved_effortless": [round(s / total, 5) for s in shares],
        }
    if fit.churn is not None:
        block["churn"] = {c.name: _clipped(c.value) for c in fit.churn}
    return block


def clipped_names(fit: OutcomeFit) -> list[str]:
    """Coefficients estimated below 0 (written as 0)."""
    parts = (("effort", fit.effort), ("recommend", fit.recommend), ("churn", fit.churn))
    return [f"{part}.{c.name}" for part, found in parts for c in found or [] if c.value < 0]


__all__ = [
    "EFFORT_FACTS",
    "Coefficient",
    "OutcomeFit",
    "clipped_names",
    "fit_outcomes",
    "outcomes_block",
]
