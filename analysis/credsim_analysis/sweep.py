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
    title: str | None = None,
) -> Figure:
    """Heat map of `metric` for one `option`, or (option=None) of the best
    option's margin over the runner-up with the best option marked in each cell.
    Both draw the line where the best option among `options` for
    `boundary_metric` (default: `metric`) changes."""
    require_columns(sweep, SWEEP_COLUMNS, "sweep_map_figure")
    factors = factor_columns(sweep)
    if x is None or y is None:
        if len(factors) != 2:
            raise ValueError(f"sweep_map_figure: give x and y; the sweep has factors {factors}")
        x, y = factors
    best = best_option(sweep, metric, maximize=maximize, options=options)
    xs, ys, labels = to_grid(best, x, y, "best")
    boundary_metric = boundary_metric or metric
    _, _, boundary_labels = to_grid(best_option(sweep, boundary_metric, maximize=maximize, options=options), x, y, "best")
    if option is None:
        _, _, values = to_grid(best, x, y, "margin")
        cmap, bar_label = "Greys", f"margin of the best option over the runner-up [{style.metric_unit(metric)}]"
        heading = f"Best option for {style.metric_label(metric)}"
    else:
        rows = sweep[(sweep["metric"] == metric) & (sweep["option"] == option)]
        if rows.empty:
            raise ValueError(f"sweep_map_figure: no rows for option {option!r} and metric {metric!r}")
        _, _, values = to_grid(rows, x, y, "estimate")
        cmap, bar_label = "viridis", style.axis_label(metric)
        heading = f"{style.metric_label(metric)} under {option}"
    fig, ax = style.figure(figsize=(10.0, 6.2))
    ax.grid(False)
    mesh = ax.pcolormesh(cell_edges(xs), cell_edges(ys), values.astype(float), cmap=cmap, shading="flat",
                         norm=Normalize(vmin=0 if option is None else None))
    fig.colorbar(mesh, ax=ax, label=bar_label, pad=0.02)
    handles = []
    if option is None:
        for name in pd.unique(labels.ravel()):
            jj, ii = np.nonzero(labels == name)
            ax.scatter(xs[ii], ys[jj], s=90, color=style.option_color(name), edgecolors="white", linewidths=1.2, zorder=3)
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=9, color=style.option_color(name), label=f"best: {name}"))
    segments = boundary_segments(xs, ys, boundary_labels)
    for (x0, y0), (x1, y1) in segments:
        ax.plot([x0, x1], [y0, y1], color="crimson", linewidth=3, solid_capstyle="round", zorder=4)
    among = "best option" if options is None else f"best of {', '.join(options)}"
    which = f"{among} for {style.metric_label(boundary_metric)}"
    handles.append(Line2D([], [], color="crimson", linewidth=3,
                          label=f"{which} changes" if segments else f"{which}: {boundary_labels[0, 0]} everywhere"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=min(len(handles), 3), frameon=False)
    ax.set_xlabel((factor_labels or {}).get(x, style.factor_label(x)))
    ax.set_ylabel((factor_labels or {}).get(y, style.factor_label(y)))
    ax.set_title(with_note(title or heading, sweep))
    fig.tight_layout()
    return fig
