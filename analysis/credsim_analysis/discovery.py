"""Scenario discovery: which combinations of uncertain parameters make an
option fail (e.g. an attack within the horizon although a deal was struck)?

PRIM (Friedman & Fisher 1999, as in exploratory-modelling toolkits) peels
thin slices off a box around all cases, each time the slice whose removal
leaves the highest share of failures, and records the peeling trajectory.
Each box is judged by
  coverage = failures in the box / all failures   (how much of the problem it explains),
  density  = failures in the box / cases in the box (how reliably it predicts failure),
  mass     = cases in the box / all cases.
Peeling on many noisy inputs also restricts factors that do not matter, so
each restriction gets a quasi-p-value (would the box be as dense without
it?) and `simplify` drops the ones that fail that test; `paste_box` then
widens the box where that raises density. `prim_boxes` finds several boxes
(covering: each next box among the cases the earlier ones leave), and
`resampling_stability` says how often each factor is restricted when PRIM
runs on random halves of the cases. A shallow decision tree
(scikit-learn) is the alternative view: its leaves are boxes too, reported
with the same three numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from scipy.stats import binom
from sklearn.tree import DecisionTreeClassifier

from . import style

Limits = dict[str, tuple[float, float]]


def cases(trials: pd.DataFrame, parameters: pd.DataFrame, option: str, outcome: str = "p_no_armed_attack",
          fail_value: float = 0.0) -> tuple[pd.DataFrame, np.ndarray]:
    """X (each trial's uncertain parameters) and y (True = failure) for one option,
    from `run(..., trial_rows=True).trials` and `draw_parameters` (same seed).
    Only trials where `outcome` is defined count: for p_no_armed_attack, trials
    with a deal. Failure: outcome == fail_value (p_no_armed_attack 0 = attacked)."""
    rows = trials[(trials["option"] == option) & trials[outcome].notna()][["trial", outcome]]
    if rows.empty:
        raise ValueError(f"cases: no trial of option {option!r} with {outcome} defined")
    merged = rows.merge(parameters, on="trial", how="inner", validate="one_to_one")
    if len(merged) != len(rows):
        raise ValueError("cases: the parameters do not cover every trial; draw them with the run's seed and trial count")
    x = merged[[c for c in parameters.columns if c != "trial"]].reset_index(drop=True)
    return x, (merged[outcome] == fail_value).to_numpy()


def relevant_parameters(scenario, option: str) -> list[str]:
    """The uncertain parameters that can affect `option`: all but those of
    instruments and other options it does not involve. Every guarantor's
    parameters count: a guarantor without a commitment may still respond
    unprompted (and a follower moves with the option's leader). Leaving the
    others out stops PRIM and the tree from 'explaining' failures with noise
    in parameters the option never reads."""
    spec = next((o for o in scenario.to_dict()["options"] if o["name"] == option), None)
    if spec is None:
        raise ValueError(f"relevant_parameters: no option {option!r}; there are {scenario.options}")
    commitments = spec.get("commitments") or []
    used = {"instruments": {c["instrument"] for c in commitments},
            "options": {option}}
    return [p for p in scenario.uncertain_parameters
            if p.split(".")[0] not in used or p.split(".")[1].split("[")[0] in used[p.split(".")[0]]]


def inside(x: pd.DataFrame, limits: Mapping[str, tuple[float, float]]) -> np.ndarray:
    """Which rows lie in the box (limits inclusive)."""
    mask = np.ones(len(x), dtype=bool)
    for factor, (low, high) in limits.items():
        values = x[factor].to_numpy()
        mask &= (values >= low) & (values <= high)
    return mask


def box_stats(x: pd.DataFrame, y: np.ndarray, limits: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """coverage, density and mass of one box."""
    y = np.asarray(y, dtype=bool)
    mask = inside(x, limits)
    hits = (y & mask).sum()
    return {"coverage": hits / max(y.sum(), 1), "density": hits / max(mask.sum(), 1), "mass": mask.mean()}


def _full_limits(x: pd.DataFrame) -> Limits:
    return {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}


def _peel_candidates(values: np.ndarray, alpha: float) -> list[tuple[str, float, np.ndarray]]:
    """The lower and upper peels of one factor inside the box: (side, new limit,
    rows kept). A quantile that removes nothing (ties) peels the tied extreme."""
    out = []
    low_q, high_q = np.quantile(values, [alpha, 1 - alpha])
    for side, limit, keep in (("low", low_q, values >= low_q), ("high", high_q, values <= high_q)):
        if keep.all():
            extreme = values.min() if side == "low" else values.max()
            keep = values != extreme
            if not keep.any():
                continue
            limit = values[keep].min() if side == "low" else values[keep].max()
        out.append((side, float(limit), keep))
    return out


@dataclass
class PrimResult:
    """The peeling trajectory (one row per box, step 0 = everything) and each box's limits."""

    trajectory: pd.DataFrame
    boxes: list[Limits]
    full: Limits
    x: pd.DataFrame
    y: np.ndarray

    def choose(self, min_density: float) -> int:
        """The step with the highest coverage among boxes at least this dense
        (the usual way to pick a box off the trajectory); else the densest."""
        dense = self.trajectory[self.trajectory["density"] >= min_density]
        if dense.empty:
            return int(self.trajectory["density"].idxmax())
        return int(dense["coverage"].idxmax())

    def box(self, step: int) -> Limits:
        """The limits of the box at `step` of the trajectory."""
        return dict(self.boxes[step])

    def limits_table(self, limits: Limits) -> pd.DataFrame:
        """The restricted factors of a box: low, high and the sampled range."""
        rows = [{"factor": f, "low": lo, "high": hi, "sampled_low": self.full[f][0], "sampled_high": self.full[f][1]}
                for f, (lo, hi) in limits.items() if (lo, hi) != self.full[f]]
        return pd.DataFrame(rows, columns=["factor", "low", "high", "sampled_low", "sampled_high"])

    def stats(self, limits: Limits) -> dict[str, float]:
        return box_stats(self.x, self.y, limits)

    def describe(self, boxes: Mapping[str, Limits]) -> pd.DataFrame:
        """coverage, density, mass and the restricted factors of named boxes, one row each."""
        rows = []
        for name, limits in boxes.items():
            restricted = self.limits_table(limits)["factor"].tolist()
            rows.append({"box": name, **self.stats(limits), "n_restricted": len(restricted),
                         "restricted": ", ".join(restricted)})
        return pd.DataFrame(rows).set_index("box")

    def quasi_p_values(self, limits: Limits) -> pd.Series:
        """Per restricted factor: the chance of a density at least this high if
        that restriction were dropped (one-sided binomial test, as in the EMA
        workbench). A large value means the restriction is likely noise."""
        return quasi_p_values(self.x, self.y, {f: v for f, v in limits.items() if v != self.full[f]}, self.full)

    def simplify(self, limits: Limits, threshold: float = 0.05) -> Limits:
        """Drop, one at a time, the restriction with the largest quasi-p-value
        while it exceeds `threshold`: peeling on many noisy inputs restricts
        factors that do not matter, and a box should name only those that do."""
        limits = dict(limits)
        while True:
            p = self.quasi_p_values(limits)
            if p.empty or p.max() <= threshold:
                return limits
            limits[p.idxmax()] = self.full[p.idxmax()]


def quasi_p_values(x: pd.DataFrame, y: Sequence[bool], restricted: Limits, full: Limits) -> pd.Series:
    """For each restricted factor: P(at least the box's failures among its cases)
    if failures occurred at the density of the box without that restriction."""
    y = np.asarray(y, dtype=bool)
    mask = inside(x, restricted)
    n, hits = int(mask.sum()), int((y & mask).sum())
    values = {}
    for factor in restricted:
        wider = inside(x, {**restricted, factor: full[factor]})
        values[factor] = float(binom.sf(hits - 1, n, (y & wider).sum() / wider.sum()))
    return pd.Series(values, name="quasi_p", dtype=float)


def prim(x: pd.DataFrame, y: Sequence[bool], *, alpha: float = 0.05, min_mass: float = 0.05) -> PrimResult:
    """Peel boxes off the cases x (numeric columns) until a box would hold less
    than `min_mass` of them or holds only failures; each step removes about
    `alpha` of the box along the factor and side that leave the highest density."""
    y = np.asarray(y, dtype=bool)
    if len(y) != len(x):
        raise ValueError("prim: x and y differ in length")
    if not y.any():
        raise ValueError("prim: no failures to explain")
    full = _full_limits(x)
    limits = dict(full)
    mask = np.ones(len(y), dtype=bool)
    boxes, records = [], []

    def record() -> None:
        hits = (y & mask).sum()
        restricted = [f for f in limits if limits[f] != full[f]]
        records.append({"step": len(boxes), "coverage": hits / y.sum(), "density": hits / mask.sum(),
                        "mass": mask.mean(), "n_restricted": len(restricted), "restricted": ", ".join(restricted)})
        boxes.append(dict(limits))

    record()
    while mask.mean() > min_mass and y[mask].mean() < 1.0:
        best = None
        rows = np.flatnonzero(mask)
        for factor in x.columns:
            values = x[factor].to_numpy()[rows]
            for side, limit, keep in _peel_candidates(values, alpha):
                if keep.sum() < min_mass * len(y):
                    continue
                density = y[rows[keep]].mean()
                if best is None or density > best[0]:
                    best = (density, factor, side, limit, rows[keep])
        if best is None:
            break
        _, factor, side, limit, kept = best
        low, high = limits[factor]
        limits[factor] = (limit, high) if side == "low" else (low, limit)
        mask = np.zeros(len(y), dtype=bool)
        mask[kept] = True
        record()
    return PrimResult(pd.DataFrame(records), boxes, full, x.reset_index(drop=True), y)


def prim_boxes(x: pd.DataFrame, y: Sequence[bool], *, max_boxes: int = 3, min_density: float = 0.5,
               alpha: float = 0.05, min_mass: float = 0.05, threshold: float = 0.05) -> tuple[pd.DataFrame, list[Limits]]:
    """Several boxes by covering: find a box (peel, choose at `min_density`,
    simplify at quasi-p `threshold`), set its cases aside, look for the next
    box among the rest, until `max_boxes` or no box restricts anything. Each
    row: coverage (of all failures, counting only cases not in an earlier
    box), density and mass of the box among the cases left when it was found,
    and the factors it restricts."""
    y = np.asarray(y, dtype=bool)
    x = x.reset_index(drop=True)
    left = np.ones(len(y), dtype=bool)
    rows, boxes = [], []
    while len(boxes) < max_boxes and y[left].any():
        result = prim(x[left], y[left], alpha=alpha, min_mass=min_mass)
        limits = result.simplify(result.box(result.choose(min_density)), threshold)
        restricted = result.limits_table(limits)["factor"].tolist()
        if not restricted:
            break
        mask = left & inside(x, limits)
        rows.append({"box": len(boxes) + 1, "coverage": (y & mask).sum() / y.sum(),
                     "density": y[mask].mean(), "mass": mask.sum() / left.sum(),
                     "n_restricted": len(restricted), "restricted": ", ".join(restricted)})
        boxes.append(limits)
        left &= ~mask
    return pd.DataFrame(rows, columns=["box", "coverage", "density", "mass", "n_restricted", "restricted"]), boxes


def resampling_stability(x: pd.DataFrame, y: Sequence[bool], *, resamples: int = 20, fraction: float = 0.5,
                         min_density: float = 0.5, alpha: float = 0.05, min_mass: float = 0.05,
                         threshold: float = 0.05, seed: int = 0) -> pd.Series:
    """How often each factor is restricted by the box PRIM finds (peel, choose,
    simplify) on random subsets of `fraction` of the cases: near 1, the
    restriction does not depend on the sample; near 0, it is noise."""
    y = np.asarray(y, dtype=bool)
    x = x.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    counts = pd.Series(0.0, index=x.columns, name="share_of_resamples")
    for _ in range(resamples):
        rows = rng.choice(len(y), size=max(1, int(fraction * len(y))), replace=False)
        result = prim(x.iloc[rows], y[rows], alpha=alpha, min_mass=min_mass)
        limits = result.simplify(result.box(result.choose(min_density)), threshold)
        counts[result.limits_table(limits)["factor"]] += 1
    return (counts / resamples).sort_values(ascending=False)


def paste_box(x: pd.DataFrame, y: Sequence[bool], limits: Limits, *, alpha: float = 0.05) -> Limits:
    """Pasting: widen one side of the box at a time by about `alpha` of its cases,
    keeping the widening that raises the density most, until none does. Undoes
    peels that greedy peeling made too early."""
    y = np.asarray(y, dtype=bool)
    limits = dict(limits)
    density = box_stats(x, y, limits)["density"]
    while True:
        in_box = inside(x, limits)
        step = max(1, int(round(alpha * in_box.sum())))
        best = None
        for factor, (low, high) in limits.items():
            others = inside(x, {f: v for f, v in limits.items() if f != factor})
            values = x[factor].to_numpy()
            for side in ("low", "high"):
                outside = others & ((values < low) if side == "low" else (values > high))
                if not outside.any():
                    continue
                candidates = np.sort(values[outside])
                added = candidates[::-1][:step] if side == "low" else candidates[:step]
                new = (float(added.min()), high) if side == "low" else (low, float(added.max()))
                trial = {**limits, factor: new}
                d = box_stats(x, y, trial)["density"]
                if d > density and (best is None or d > best[0]):
                    best = (d, trial)
        if best is None:
            return limits
        density, limits = best


def tree_rules(x: pd.DataFrame, y: Sequence[bool], *, max_depth: int = 3, min_leaf: float = 0.05,
               random_state: int = 0) -> tuple[DecisionTreeClassifier, pd.DataFrame]:
    """A shallow classification tree of failure, and its leaves as boxes: rule,
    n, mass, density (share failing in the leaf) and coverage (share of all
    failures), densest first."""
    y = np.asarray(y, dtype=bool)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=random_state).fit(x, y)
    t = tree.tree_
    leaves = tree.apply(x)
    names = list(x.columns)
    rows = []

    def walk(node: int, bounds: dict[str, list[float]]) -> None:
        if t.children_left[node] == t.children_right[node]:  # a leaf
            members = leaves == node
            parts = []
            for f, (lo, hi) in bounds.items():
                if lo > -np.inf and hi < np.inf:
                    parts.append(f"{lo:.4g} < {f} ≤ {hi:.4g}")
                elif lo > -np.inf:
                    parts.append(f"{f} > {lo:.4g}")
                else:
                    parts.append(f"{f} ≤ {hi:.4g}")
            rows.append({"leaf": node, "rule": " and ".join(parts) or "(all cases)", "n": int(members.sum()),
                         "mass": members.mean(), "density": y[members].mean(),
                         "coverage": (y & members).sum() / max(y.sum(), 1)})
            return
        f, threshold = names[t.feature[node]], float(t.threshold[node])
        lo, hi = bounds.get(f, [-np.inf, np.inf])
        walk(t.children_left[node], {**bounds, f: [lo, min(hi, threshold)]})
        walk(t.children_right[node], {**bounds, f: [max(lo, threshold), hi]})

    walk(0, {})
    return tree, pd.DataFrame(rows).sort_values("density", ascending=False).reset_index(drop=True)


# --- figures -----------------------------------------------------------------

FINAL = style.OKABE_ITO[3]  # vermillion: the chosen and the final box


@style.styled
def trajectory_figure(result: PrimResult, *, chosen: int | None = None, final: Limits | None = None,
                      tree_leaves: pd.DataFrame | None = None, title: str = "PRIM peeling trajectory") -> Figure:
    """Coverage against density of every box on the peeling trajectory, coloured
    by how many factors it restricts; the chosen step ringed, the final
    (simplified, pasted) box as a star, decision-tree leaves as ×."""
    traj = result.trajectory
    fig, ax = style.figure(figsize=(10.0, 6.0))
    top = max(int(traj["n_restricted"].max()), 1)
    cmap = matplotlib.colormaps["viridis"].resampled(top + 1)
    points = ax.scatter(traj["coverage"], traj["density"], c=traj["n_restricted"], cmap=cmap,
                        vmin=-0.5, vmax=top + 0.5, s=45, zorder=3)
    bar = fig.colorbar(points, ax=ax, pad=0.02, ticks=range(0, top + 1, max(1, (top + 1) // 8)))
    bar.set_label("factors the box restricts [count]")
    base = result.y.mean()
    ax.axhline(base, color="0.4", linestyle="--", linewidth=1.2)
    handles = [Line2D([], [], marker="o", linestyle="", color=cmap(top // 2), label="box on the peeling trajectory"),
               Line2D([], [], color="0.4", linestyle="--", label=f"share failing overall ({base:.2f})")]
    if chosen is not None:
        row = traj.loc[chosen]
        ax.scatter([row["coverage"]], [row["density"]], s=300, facecolors="none", edgecolors=FINAL, linewidths=2.2, zorder=4)
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor=FINAL,
                              markersize=15, markeredgewidth=2.2, label=f"chosen step {chosen}"))
    if final is not None:
        stats = result.stats(final)
        ax.scatter([stats["coverage"]], [stats["density"]], marker="*", s=380, color=FINAL, edgecolors="white", zorder=5)
        handles.append(Line2D([], [], marker="*", linestyle="", color=FINAL, markersize=16,
                              label=f"final box: coverage {stats['coverage']:.2f}, density {stats['density']:.2f}"))
    if tree_leaves is not None:
        ax.scatter(tree_leaves["coverage"], tree_leaves["density"], marker="x", s=80, color="0.15", linewidths=2, zorder=3)
        handles.append(Line2D([], [], marker="x", linestyle="", color="0.15", markersize=9, markeredgewidth=2,
                              label="decision-tree leaf"))
    densities = [traj["density"].min(), base] + ([] if tree_leaves is None else [tree_leaves["density"].min()])
    ax.set_xlim(0, 1.02)
    ax.set_ylim(max(0.0, min(densities) - 0.05), min(1.02, traj["density"].max() + 0.08))
    ax.set_xlabel("coverage [share of all failures inside the box]")
    ax.set_ylabel("density [share of the box's cases that fail]")
    ax.set_title(style.wrap(f"{title}\n(n = {len(result.y):,} cases)", 90), fontsize=11)
    ax.legend(handles=handles, loc="upper right")
    fig.tight_layout()
    return fig


@style.styled
def box_figure(result: PrimResult, limits: Limits, *, title: str = "PRIM box") -> Figure:
    """The restricted factors of a box, each as its share of the sampled range
    (grey: sampled, coloured: inside the box), with the limits written out and
    each restriction's quasi-p-value (small = the restriction matters)."""
    table = result.limits_table(limits)
    if table.empty:
        raise ValueError("box_figure: the box restricts no factor")
    stats = result.stats(limits)
    p = result.quasi_p_values(limits)
    height = 2.2 + 0.7 * len(table)
    fig, ax = style.figure(figsize=(10.0, height))
    for i, row in enumerate(table.itertuples()):
        span = row.sampled_high - row.sampled_low
        lo, hi = (row.low - row.sampled_low) / span, (row.high - row.sampled_low) / span
        ax.barh(i, 1.0, color="0.88", height=0.6)
        ax.barh(i, hi - lo, left=lo, color=FINAL, height=0.6)
        ax.annotate(f"{row.low:.3g}", (lo, i), xytext=(-4, 0), textcoords="offset points", ha="right", va="center", fontsize=10)
        ax.annotate(f"{row.high:.3g}", (hi, i), xytext=(4, 0), textcoords="offset points", ha="left", va="center", fontsize=10)
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels([f"{style.factor_name(f)}\n(quasi-p {p[f]:.2g})" for f in table["factor"]])
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.6, len(table) - 0.4)
    ax.set_xlabel("position within the sampled range [share of the range]")
    ax.set_ylabel("restricted factor")
    ax.grid(axis="y", alpha=0)
    ax.set_title(f"{style.wrap(title, 90)}\ncoverage {stats['coverage']:.2f}, density {stats['density']:.2f} "
                 f"(base rate {result.y.mean():.2f}), mass {stats['mass']:.2f}; n = {len(result.y):,} cases", fontsize=11)
    fig.legend(handles=[Patch(color="0.88", label="sampled range"), Patch(color=FINAL, label="inside the box")],
               loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.45 / height, 1, 1))
    return fig
