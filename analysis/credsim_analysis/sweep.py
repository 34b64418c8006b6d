"""Sweep maps: a metric over a grid of two scenario factors, and the line where
the best option changes.

A sweep is a tidy long DataFrame: point, <one column per factor>, option,
metric, estimate, ci_low, ci_high (and std_error, n) — the `table` of
`credsim.sweep(sweep_file)`, or the sweep.csv that the CLI's `credsim sweep`
writes (read it with `io.read_csv`). Factor columns carry the sweep file's
factor names (or key paths); `style.factor_label` gives them labels with units.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import style
from ._common import require_columns, with_note

SWEEP_COLUMNS = ("point", "option", "metric", "estimate", "ci_low", "ci_high")
_SUMMARY_EXTRAS = ("kind", "given", "n", "std_error")


def factor_columns(sweep: pd.DataFrame) -> list[str]:
    """The factor columns of a sweep table: everything that is not a result column."""
    return [c for c in sweep.columns if c not in SWEEP_COLUMNS and c not in _SUMMARY_EXTRAS]


def best_option(sweep: pd.DataFrame, metric: str, *, maximize: bool = True, options: Sequence[str] | None = None) -> pd.DataFrame:
    """Per point: the factor values, the best option for `metric`, its estimate,
    the runner-up and the margin between them (same unit as the metric)."""
    require_columns(sweep, SWEEP_COLUMNS, "best_option")
    rows = sweep[sweep["metric"] == metric]
    if options is not None:
        rows = rows[rows["option"].isin(options)]
    if rows.empty:
        raise ValueError(f"best_option: no rows for metric {metric!r}")
    factors = factor_columns(sweep)
    records = []
    for point, group in rows.groupby("point", sort=True):
        ranked = group.sort_values("estimate", ascending=not maximize, na_position="last")
        first, second = ranked.iloc[0], ranked.iloc[1] if len(ranked) > 1 else None
        records.append({
            "point": point, **{f: first[f] for f in factors},
            "best": first["option"], "estimate": first["estimate"],
            "runner_up": None if second is None else second["option"],
            "margin": np.nan if second is None else abs(first["estimate"] - second["estimate"]),
        })
    return pd.DataFrame(records)


def to_grid(table: pd.DataFrame, x: str, y: str, value: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, Z) with Z[j, i] the value at (xs[i], ys[j]); each (x, y) once."""
    if table.duplicated([x, y]).any():
        raise ValueError(f"to_grid: several rows per ({x}, {y}); filter to one option and metric first")
    wide = table.pivot(index=y, columns=x, values=value).sort_index().sort_index(axis=1)
    return wide.columns.to_numpy(dtype=float), wide.index.to_numpy(dtype=float), wide.to_numpy()


def cell_edges(centres: np.ndarray) -> np.ndarray:
    """Edges of the cells around grid values: midpoints, and half a step beyond the ends."""
    centres = np.asarray(centres, dtype=float)
    if len(centres) == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    mid = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[centres[0] - (mid[0] - centres[0])], mid, [centres[-1] + (centres[-1] - mid[-1])]])


def boundary_segments(xs: np.ndarray, ys: np.ndarray, labels: np.ndarray) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The cell edges between neighbouring grid points whose labels (e.g. best
    option) differ: ((x0, y0), (x1, y1)) segments, together the boundary line."""
    labels = np.asarray(labels, dtype=object)
    xe, ye = cell_edges(xs), cell_edges(ys)
    segments = []
    for j in range(labels.shape[0]):
        for i in range(labels.shape[1] - 1):
            if labels[j, i] != labels[j, i + 1]:
                segments.append(((xe[i + 1], ye[j]), (xe[i + 1], ye[j + 1])))
    for j in range(labels.shape[0] - 1):
        for i in range(labels.shape[1]):
            if labels[j, i] != labels[j + 1, i]:
                segments.append(((xe[i], ye[j + 1]), (xe[i + 1], ye[j + 1])))
    return segments


BOUNDARY = "#D55E00"  # Okabe-Ito vermillion: the line where the better option changes


def _noisy_margins(rows: pd.DataFrame, best: pd.DataFrame) -> list[bool]:
    """Per point of `best`: is the margin within 1.96 standard errors of the
    difference (the two estimates taken as independent: conservative, since the
    options share their trials)?"""
    if "std_error" not in rows.columns:
        return [False] * len(best)
    se = rows.set_index(["point", "option"])["std_error"]
    out = []
    for r in best.itertuples():
        if r.runner_up is None:
            out.append(False)
            continue
        noise = 1.959963984540054 * float(np.hypot(se.get((r.point, r.best), np.nan), se.get((r.point, r.runner_up), np.nan)))
        out.append(bool(r.margin < noise))
    return out


@style.styled
def sweep_map_figure(
    sweep: pd.DataFrame,
    metric: str,
    x: str | None = None,
    y: str | None = None,
    *,
    option: str | None = None,
    boundary_metric: str | None = None,
    maximize: bool = True,
    options: Sequence[str] | None = None,
    factor_labels: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Heat map of `metric` for one `option`, each cell with its value, or
    (option=None) of the best option's margin over the runner-up with the best
    option marked in each cell: hollow where the margin is within the Monte
    Carlo noise (under 1.96 standard errors of the difference). Both draw the
    line where the best option among `options` for `boundary_metric` (default:
    `metric`) changes. Options are named by `labels` (e.g.
    `scenario.option_labels`); the default title states the finding; a
    conditional metric gives its n (trials meeting the condition) per point."""
    require_columns(sweep, SWEEP_COLUMNS, "sweep_map_figure")
    names = style.option_labels(sweep, labels)
    name = lambda o: names.get(o, o)  # noqa: E731
    factors = factor_columns(sweep)
    if x is None or y is None:
        if len(factors) != 2:
            raise ValueError(f"sweep_map_figure: give x and y; the sweep has factors {factors}")
        x, y = factors
    best = best_option(sweep, metric, maximize=maximize, options=options)
    xs, ys, labels = to_grid(best, x, y, "best")
    boundary_metric = boundary_metric or metric
    _, _, boundary_labels = to_grid(best_option(sweep, boundary_metric, maximize=maximize, options=options), x, y, "best")
    rows = sweep[sweep["metric"] == metric]
    if option is None:
        _, _, values = to_grid(best, x, y, "margin")
        noise = _noisy_margins(rows, best)
        _, _, within = to_grid(best.assign(within=noise), x, y, "within")
        cmap, bar_label = "Greys", f"margin of the better option over the other [{style.metric_unit(metric)}]"
        winners = pd.unique(labels.ravel())
        if len(winners) == 1:
            heading = (f"{name(winners[0])} gives the higher {style.metric_label(metric)} at every point "
                       f"(margin {np.nanmin(values):.3f}–{np.nanmax(values):.3f}; beyond the Monte Carlo noise "
                       f"at {len(noise) - sum(noise)} of {len(noise)} points)")
        else:
            heading = f"The option with the higher {style.metric_label(metric)} changes across the grid"
    else:
        rows = rows[rows["option"] == option]
        if rows.empty:
            raise ValueError(f"sweep_map_figure: no rows for option {option!r} and metric {metric!r}")
        _, _, values = to_grid(rows, x, y, "estimate")
        cmap, bar_label = "viridis", style.axis_label(metric)
        low, high = rows.loc[rows["estimate"].idxmin()], rows.loc[rows["estimate"].idxmax()]
        heading = (f"{name(option)}: {style.metric_label(metric)} from {low.estimate:.2f} to {high.estimate:.2f}; "
                   f"highest at {style.factor_name(x)} {high[x]:.3g}, {style.factor_name(y)} {high[y]:.3g}")
    fig, ax = style.figure(figsize=(10.0, 6.4))
    ax.grid(False)
    values = values.astype(float)
    if option is None:
        norm = Normalize(vmin=0, vmax=max(np.nanmax(values), 1e-12))
    else:  # a narrow range is not stretched over the whole scale: at least 0.1 wide
        centre, half = (np.nanmin(values) + np.nanmax(values)) / 2, max((np.nanmax(values) - np.nanmin(values)) / 2, 0.05)
        norm = Normalize(vmin=centre - half, vmax=centre + half)
    mesh = ax.pcolormesh(cell_edges(xs), cell_edges(ys), values, cmap=cmap, shading="flat", norm=norm)
    fig.colorbar(mesh, ax=ax, label=bar_label, pad=0.02)
    handles = []
    if option is None:
        looks = style.option_styles(pd.unique(labels.ravel()))
        for o in pd.unique(labels.ravel()):
            look = looks[o]
            for hollow in (False, True):
                jj, ii = np.nonzero((labels == o) & (within.astype(bool) == hollow))
                if len(ii):
                    ax.scatter(xs[ii], ys[jj], s=110, marker=look["marker"], zorder=3, linewidths=2,
                               facecolors="white" if hollow else look["color"], edgecolors=look["color"])
            handles.append(Line2D([], [], marker=look["marker"], linestyle="", markersize=10, color=look["color"],
                                  label=style.wrap(f"better: {name(o)}", 60)))
        if within.astype(bool).any():
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor="white",
                                  markeredgecolor="0.3", label="hollow: margin within Monte Carlo noise"))
    else:
        for j, yv in enumerate(ys):
            for i, xv in enumerate(xs):
                ax.text(xv, yv, f"{values[j, i]:.2f}", ha="center", va="center", fontsize=10,
                        color="white" if norm(values[j, i]) < 0.55 else "black")
    segments = boundary_segments(xs, ys, boundary_labels)
    for (x0, y0), (x1, y1) in segments:
        ax.plot([x0, x1], [y0, y1], color=BOUNDARY, linewidth=3, solid_capstyle="round", zorder=4)
    which = f"the better option for {style.metric_label(boundary_metric)}"
    handles.append(Line2D([], [], color=BOUNDARY, linewidth=3, label=style.wrap(
        f"line: {which} changes" if segments else f"no line: {which} is {name(boundary_labels[0, 0])} everywhere", 60)))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=min(len(handles), 2), frameon=False)
    if len(xs) <= 12:
        ax.set_xticks(xs)
    if len(ys) <= 12:
        ax.set_yticks(ys)
    ax.set_xlabel((factor_labels or {}).get(x, style.factor_label(x)))
    ax.set_ylabel((factor_labels or {}).get(y, style.factor_label(y)))
    # The condition of a conditional metric: the table's `given`, else its label's "| deal".
    given = rows["given"].iloc[0] if "given" in rows.columns else style.metric_label(metric).partition("| ")[2].rstrip(")")
    note = ""
    if isinstance(given, str) and given and "n" in rows.columns:  # a conditional metric: its n per point
        note = f"\nn (trials with a {given}) per point and option: {int(rows['n'].min()):,}–{int(rows['n'].max()):,}"
    ax.set_title(with_note(style.wrap(title or heading, 90), sweep) + note, fontsize=11)
    fig.tight_layout()
    return fig
