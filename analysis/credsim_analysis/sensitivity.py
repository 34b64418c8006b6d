"""Global sensitivity: which uncertain inputs drive a result.

Figures read the columns of the future `credsim sensitivity` CSV:
Sobol' indices as factor, S1, S1_low, S1_high, ST, ST_low, ST_high; Morris
screening as factor, mu_star, sigma. Until that command exists, the PYTHON
FALLBACK below computes both: Sobol' indices from a Saltelli design (scrambled
Sobol' sequence; S1 by Saltelli 2010, ST by Jansen 1999, as the C++ engine)
with bootstrap intervals, and Morris elementary effects on trajectories. Every factor is varied uniformly over a
range you give, and each design point is one engine run, so keep designs small.
"""
from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.stats import qmc

from . import style
from ._common import place_labels, require_columns, require_single, with_note

Bounds = Mapping[str, tuple[float, float]]


# --- figures -----------------------------------------------------------------

def sobol_figure(indices: pd.DataFrame, *, output_label: str, title: str = "Sobol' sensitivity indices") -> Figure:
    """Bars of first-order S1 (the factor alone) and total ST (with its
    interactions) per factor, with intervals, sorted by ST (largest on top)."""
    require_columns(indices, ["factor", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"], "sobol_figure")
    require_single(indices, what="sobol_figure")
    rows = indices.sort_values("ST").reset_index(drop=True)
    fig, ax = style.figure(figsize=(10.0, 1.6 + 0.7 * len(rows)))
    y = np.arange(len(rows))
    height = 0.38
    for offset, name, color, label in ((height / 2, "ST", "#4c72b0", "total effect ST (with interactions)"),
                                       (-height / 2, "S1", "#dd8452", "first order S1 (alone)")):
        values = rows[name].to_numpy(dtype=float)
        errors = np.vstack([values - rows[f"{name}_low"], rows[f"{name}_high"] - values]).clip(min=0)
        ax.barh(y + offset, values, height=height, color=color, label=label, xerr=errors,
                error_kw={"elinewidth": 1.5, "capsize": 3, "ecolor": "0.2"})
    ax.set_yticks(y)
    ax.set_yticklabels([style.factor_name(f) for f in rows["factor"]])
    ax.axvline(0, color="0.3", linewidth=1)
    ax.set_xlabel("Sobol' index [share of the output's variance]")
    ax.set_ylabel("uncertain factor")
    ax.set_title(with_note(f"{title}: {output_label}", indices) + "; bars: 95% bootstrap intervals")
    ax.legend(loc="lower right")
    ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    return fig


def morris_figure(morris: pd.DataFrame, *, output_label: str, output_unit: str = "probability",
                  title: str = "Morris screening") -> Figure:
    """μ* (how much a factor moves the output) against σ (how much that effect
    depends on the other factors); above the dashed line σ = μ* effects are
    strongly nonlinear or interacting."""
    require_columns(morris, ["factor", "mu_star", "sigma"], "morris_figure")
    require_single(morris, what="morris_figure")
    fig, ax = style.figure(figsize=(10.0, 6.0))
    ax.scatter(morris["mu_star"], morris["sigma"], s=70, color="#4c72b0", zorder=3)
    top = 1.1 * max(morris["mu_star"].max(), morris["sigma"].max(), 1e-12)
    ax.plot([0, top], [0, top], color="0.5", linestyle="--", linewidth=1.2)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    place_labels(ax, morris["mu_star"], morris["sigma"], [style.factor_name(f) for f in morris["factor"]])
    ax.set_xlabel(f"μ*: mean |elementary effect| [{output_unit} per factor range]")
    ax.set_ylabel(f"σ: spread of elementary effects [{output_unit} per factor range]")
    ax.set_title(with_note(f"{title}: {output_label}", morris))
    ax.legend(handles=[Line2D([], [], marker="o", linestyle="", color="#4c72b0", label="uncertain factor"),
                       Line2D([], [], color="0.5", linestyle="--", label="σ = μ* (nonlinear or interacting above)")],
              loc="upper left")
    fig.tight_layout()
    return fig


# --- Python fallback: designs and estimators ---------------------------------

def scale(unit: np.ndarray, bounds: Bounds) -> np.ndarray:
    """Points in the unit cube -> factor values, column j uniform over bounds[j]."""
    low, high = np.array(list(bounds.values()), dtype=float).T
    return low + np.asarray(unit) * (high - low)


def saltelli_matrices(k: int, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """A and B (n x k each, unit cube) from one scrambled Sobol' sequence in 2k
    dimensions; n is rounded up to a power of two, as the sequence needs."""
    m = max(1, math.ceil(math.log2(n)))
    points = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random_base2(m)
    return points[:, :k], points[:, k:], 2 ** m


def ab_matrices(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """AB_i for every i (k x n x k): A with column i taken from B."""
    k = a.shape[1]
    out = np.repeat(a[None, :, :], k, axis=0)
    for i in range(k):
        out[i, :, i] = b[:, i]
    return out


def sobol_estimates(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total Sobol' indices (Saltelli et al. 2010, table 2), the
    pair the C++ engine uses (sim/sensitivity.hpp), so both paths estimate the
    same thing: S1_i = E[f(B)(f(AB_i) − f(A))]/V (Saltelli 2010) and
    ST_i = E[(f(A) − f(AB_i))²]/2V (Jansen 1999). f_ab has shape (k, n).
    f(B) is centred first (as SALib does): same expectation, but the S1
    estimate no longer scales with the output's mean, which for a
    probability near 0.1 with a small spread would swamp it."""
    variance = np.var(np.concatenate([f_a, f_b]), ddof=1)
    centred = f_b - np.concatenate([f_a, f_b]).mean()
    s1 = np.mean(centred[None, :] * (f_ab - f_a[None, :]), axis=1) / variance
    st = np.mean((f_a[None, :] - f_ab) ** 2, axis=1) / (2 * variance)
    return s1, st


def sobol_indices(
    func: Callable[[np.ndarray], np.ndarray],
    bounds: Bounds,
    n: int,
    *,
    seed: int = 0,
    bootstrap: int = 500,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Sobol' indices of `func` (rows of factor values -> outputs) over uniform
    `bounds`: n(k + 2) evaluations; percentile bootstrap intervals over the n
    base rows, and bootstrap standard errors S1_se, ST_se."""
    k = len(bounds)
    a, b, n = saltelli_matrices(k, n, seed)
    ab = ab_matrices(a, b)
    values = func(scale(np.concatenate([a, b, ab.reshape(k * n, k)]), bounds))
    values = np.asarray(values, dtype=float)
    f_a, f_b, f_ab = values[:n], values[n:2 * n], values[2 * n:].reshape(k, n)
    s1, st = sobol_estimates(f_a, f_b, f_ab)
    rng = np.random.default_rng(seed)
    draws = [sobol_estimates(f_a[idx], f_b[idx], f_ab[:, idx]) for idx in rng.integers(0, n, size=(bootstrap, n))]
    s1_boot = np.array([d[0] for d in draws])
    st_boot = np.array([d[1] for d in draws])
    tail = 100 * (1 - confidence) / 2
    table = pd.DataFrame({
        "factor": list(bounds),
        "S1": s1, "S1_low": np.percentile(s1_boot, tail, axis=0), "S1_high": np.percentile(s1_boot, 100 - tail, axis=0),
        "ST": st, "ST_low": np.percentile(st_boot, tail, axis=0), "ST_high": np.percentile(st_boot, 100 - tail, axis=0),
        "S1_se": s1_boot.std(axis=0, ddof=1), "ST_se": st_boot.std(axis=0, ddof=1),
    })
    table.attrs["provenance"] = {"source": "credsim_analysis.sensitivity.sobol_indices (Python fallback)",
                                 "evaluations": len(values), "base_rows": n, "seed": seed}
    return table


def morris_design(k: int, r: int, *, levels: int = 4, seed: int = 0) -> np.ndarray:
    """r Morris trajectories in the unit cube, shape (r, k + 1, k): each starts
    on the `levels`-grid and moves one factor at a time (random order and
    direction) by Δ = levels / (2 (levels − 1))."""
    rng = np.random.default_rng(seed)
    delta = levels / (2 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    lower = grid[grid <= 1 - delta + 1e-12]
    design = np.empty((r, k + 1, k))
    for t in range(r):
        direction = rng.choice([-1.0, 1.0], size=k)
        point = rng.choice(lower, size=k) + np.where(direction < 0, delta, 0.0)
        design[t, 0] = point
        for step, factor in enumerate(rng.permutation(k), start=1):
            point = point.copy()
            point[factor] += direction[factor] * delta
            design[t, step] = point
    return design


def morris_indices(design: np.ndarray, outputs: np.ndarray, factors: Sequence[str]) -> pd.DataFrame:
    """mu, mu_star (mean |EE|) and sigma (sd of EE) per factor, with elementary
    effects EE = Δy / Δx in units of the output per whole factor range."""
    r, steps, k = design.shape
    outputs = np.asarray(outputs, dtype=float).reshape(r, steps)
    effects: list[list[float]] = [[] for _ in range(k)]
    for t in range(r):
        moves = np.diff(design[t], axis=0)
        for step, move in enumerate(moves):
            factor = int(np.flatnonzero(move)[0])
            effects[factor].append((outputs[t, step + 1] - outputs[t, step]) / move[factor])
    ee = [np.array(e) for e in effects]
    table = pd.DataFrame({
        "factor": list(factors),
        "mu": [e.mean() for e in ee],
        "mu_star": [np.abs(e).mean() for e in ee],
        "sigma": [e.std(ddof=1) if len(e) > 1 else np.nan for e in ee],
    })
    table.attrs["provenance"] = {"source": "credsim_analysis.sensitivity.morris_indices (Python fallback)",
                                 "trajectories": r}
    return table


def scenario_function(scenario, factors: Sequence[str], *, metric: str, option: str, trials: int, seed: int = 1,
                      threads: int = 0) -> Callable[[np.ndarray], np.ndarray]:
    """A function of factor values (rows) -> `option`'s `metric` estimate, each
    row one engine run of `trials` trials with the factors set (Scenario.with_values),
    on the same seed (common random numbers). The other uncertain inputs keep
    their distributions, so Monte Carlo noise and their variation stay in the
    output as unexplained variance."""
    import credsim

    def evaluate(rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows))
        for i, values in enumerate(np.atleast_2d(rows)):
            varied = scenario.with_values(dict(zip(factors, map(float, values))))
            summary = credsim.run(varied, trials=trials, seed=seed, threads=threads, options=[option]).summary
            out[i] = summary.loc[(summary["option"] == option) & (summary["metric"] == metric), "estimate"].iloc[0]
        return out

    return evaluate
