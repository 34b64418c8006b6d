"""Naive forecasters the model must beat in the cross-validated backtest
(docs/backtest.md), each fitted on training cases only and asked about cases
it has not seen.

Case features, read from the case file's one option (its commitments) and its
actors, at each field's central value (the constant, or a distribution's mean):
  formal_treaty  a commitment with instrument membership or defense_treaty
  troops         a commitment with troops > 0
  nuclear        a committed guarantor with `nuclear: true`
  power_ratio    ln(challenger strength / (protégé strength + the committed
                 guarantors' capability)): the local balance, guarantors counted
                 at full power
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
from scipy import optimize

from .doc_tables import _central

FORMAL = ("membership", "defense_treaty")
FEATURES = ("formal_treaty", "troops", "nuclear", "power_ratio")
RIDGE = 1.0  # penalty on the squared standardised coefficients, fixed before any fit


def _number(value, default: float = 0.0) -> float:
    x = _central(value)
    return default if x is None else float(x)


def _flag(value) -> bool:
    if isinstance(value, Mapping):
        value = value.get("value", False)
    return bool(value)


def features(data: Mapping) -> dict:
    """The four features of one case (its scenario dict, one option)."""
    commitments = data["options"][0].get("commitments") or []
    guarantors = data.get("guarantors") or {}
    committed = {c["guarantor"] for c in commitments}
    capability = sum(_number(guarantors[g].get("capability")) for g in committed)
    protege = _number(data["protege"].get("strength"), 1.0)
    challenger = _number(data["challenger"].get("strength"), 1.0)
    return {
        "formal_treaty": any(c["instrument"] in FORMAL for c in commitments),
        "troops": any(_number(c.get("troops")) > 0 for c in commitments),
        "nuclear": any(_flag(guarantors[g].get("nuclear", False)) for g in committed),
        "power_ratio": math.log(challenger / (protege + capability)),
    }


# --- attack within the window ---------------------------------------------------

def base_rate(train_y: Sequence[bool], n_test: int) -> np.ndarray:
    """The training cases' attacked share, for every test case."""
    return np.full(n_test, float(np.mean(train_y)))


def treaty_and_troops(train_x: Sequence[Mapping], train_y: Sequence[bool], test_x: Sequence[Mapping]) -> np.ndarray:
    """'Formal treaty and troops present -> no attack', as the C++ backtest:
    each group's attacked share among the training cases, Laplace-smoothed (k+1)/(n+2)."""
    def group(x):
        return bool(x["formal_treaty"] and x["troops"])
    n, k = {True: 0, False: 0}, {True: 0, False: 0}
    for x, y in zip(train_x, train_y):
        n[group(x)] += 1
        k[group(x)] += bool(y)
    return np.array([(k[group(x)] + 1) / (n[group(x)] + 2) for x in test_x])


def _matrix(xs: Sequence[Mapping]) -> np.ndarray:
    return np.array([[float(x[f]) for f in FEATURES] for x in xs])


def logistic_fit(train_x: Sequence[Mapping], train_y: Sequence[bool], ridge: float = RIDGE) -> dict:
    """Ridge logistic regression on the standardised features (the training
    cases' mean and sd; a constant feature is left at 0). The intercept is not
    penalised."""
    x = _matrix(train_x)
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.column_stack([np.ones(len(x)), (x - mean) / sd])
    y = np.asarray(train_y, float)

    def loss(beta):
        eta = z @ beta
        nll = np.sum(np.logaddexp(0.0, eta) - y * eta)
        return nll + 0.5 * ridge * np.sum(beta[1:] ** 2)

    def grad(beta):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        g = z.T @ (p - y)
        g[1:] += ridge * beta[1:]
        return g

    fit = optimize.minimize(loss, np.zeros(z.shape[1]), jac=grad, method="L-BFGS-B")
    return {"coef": fit.x, "mean": mean, "sd": sd}


def logistic_predict(model: Mapping, test_x: Sequence[Mapping]) -> np.ndarray:
    z = np.column_stack([np.ones(len(test_x)), (_matrix(test_x) - model["mean"]) / model["sd"]])
    return 1.0 / (1.0 + np.exp(-(z @ model["coef"])))


ATTACK_BASELINES = {
    "base_rate": "the training cases' attacked share, for every case",
    "treaty_and_troops": "formal treaty and troops present -> no attack: each group's attacked share among the "
                         "training cases, Laplace-smoothed (k+1)/(n+2)",
    "logistic": f"ridge logistic regression (penalty {RIDGE:g} on standardised coefficients) on formal treaty, "
                "troops, nuclear guarantor and ln power ratio, fitted on the training cases",
}


def attack_baselines(train_x, train_y, test_x) -> dict[str, np.ndarray]:
    return {"base_rate": base_rate(train_y, len(test_x)),
            "treaty_and_troops": treaty_and_troops(train_x, train_y, test_x),
            "logistic": logistic_predict(logistic_fit(train_x, train_y), test_x)}


# --- timing ---------------------------------------------------------------------

def constant_hazard(train_months: Sequence[int], train_y: Sequence[bool]) -> float:
    """Attacks per month at risk among the training cases (Laplace: (k+1)/(months+2))."""
    return (sum(bool(y) for y in train_y) + 1) / (sum(train_months) + 2)


def timing_log_score(hazard: float, month: int, attacked: bool) -> float:
    """ln P(attack in `month`) = ln(h (1-h)^(month-1)), or ln P(no attack through `month`) = month ln(1-h)."""
    if attacked:
        return math.log(hazard) + (month - 1) * math.log1p(-hazard)
    return month * math.log1p(-hazard)
