"""Scores of probability forecasts of yes/no events, and paired comparisons of
two forecasters on the same cases (the Python twin of sim/scoring for the
cross-validated backtest, docs/backtest.md).

Brier: mean (p - y)^2. Log loss: mean -ln(probability given to what happened),
forecasts first clamped to [floor, 1 - floor] as the C++ backtest does. AUC:
P(an event case got a higher forecast than a non-event case), ties one half.
Reliability: equal-width bins of the forecast, each bin's mean forecast against
the share that happened.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

FLOOR = 0.01  # as sim::kDefaultLogFloor
Z95 = 1.959963984540054


def brier_terms(p: Sequence[float], y: Sequence[bool]) -> np.ndarray:
    p, y = np.asarray(p, float), np.asarray(y, float)
    return (p - y) ** 2


def log_loss_terms(p: Sequence[float], y: Sequence[bool], floor: float = FLOOR) -> np.ndarray:
    q, y = np.clip(np.asarray(p, float), floor, 1 - floor), np.asarray(y, float)
    return -(y * np.log(q) + (1 - y) * np.log(1 - q))


def auc(p: Sequence[float], y: Sequence[bool]) -> float | None:
    """Mann-Whitney AUC; None without both kinds of case."""
    p, y = np.asarray(p, float), np.asarray(y, bool)
    pos, neg = p[y], p[~y]
    if len(pos) == 0 or len(neg) == 0:
        return None
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def reliability_bins(p: Sequence[float], y: Sequence[bool], bins: int = 5) -> list[dict]:
    """One row per non-empty bin [k/bins, (k+1)/bins) (the last closed): n, mean forecast, share observed."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    index = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    for k in range(bins):
        inside = index == k
        if inside.any():
            rows.append({"low": k / bins, "high": (k + 1) / bins, "n": int(inside.sum()),
                         "mean_forecast": float(p[inside].mean()), "observed": float(y[inside].mean())})
    return rows


def score_set(p: Sequence[float], y: Sequence[bool], floor: float = FLOOR) -> dict:
    if len(p) == 0:
        return {"n": 0, "brier": None, "log_loss": None, "auc": None, "reliability": []}
    return {"n": len(p), "brier": float(brier_terms(p, y).mean()), "log_loss": float(log_loss_terms(p, y, floor).mean()),
            "auc": auc(p, y), "reliability": reliability_bins(p, y)}


def paired_difference(model: Sequence[float], other: Sequence[float], y: Sequence[bool], *, floor: float = FLOOR,
                      resamples: int = 2000, seed: int = 1) -> dict:
    """Model minus other on the same cases, for Brier, log loss and AUC: the
    difference, the paired SE of the per-case Brier and log-loss differences,
    and a 95% percentile interval from a bootstrap over cases (fixed seed; AUC
    resamples without both kinds of case are skipped). Negative Brier and log
    loss differences favour the model; positive AUC differences do."""
    model, other, y = np.asarray(model, float), np.asarray(other, float), np.asarray(y, bool)
    n = len(y)
    out = {"n": n}
    terms = {"brier": (brier_terms(model, y), brier_terms(other, y)),
             "log_loss": (log_loss_terms(model, y, floor), log_loss_terms(other, y, floor))}
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(resamples, n)) if n else np.empty((0, 0), int)
    for name, (a, b) in terms.items():
        d = a - b
        se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else None
        boot = d[picks].mean(axis=1) if n else np.empty(0)
        out[name] = {"difference": float(d.mean()) if n else None, "std_error": se,
                     "bootstrap_95": _interval(boot)}
    a_model, a_other = auc(model, y), auc(other, y)
    boot = []
    for idx in picks:
        am, ao = auc(model[idx], y[idx]), auc(other[idx], y[idx])
        if am is not None and ao is not None:
            boot.append(am - ao)
    out["auc"] = {"difference": None if a_model is None or a_other is None else a_model - a_other,
                  "bootstrap_95": _interval(np.array(boot)), "resamples_used": len(boot)}
    return out


def _interval(x: np.ndarray) -> list[float] | None:
    return [float(np.quantile(x, 0.025)), float(np.quantile(x, 0.975))] if len(x) else None
