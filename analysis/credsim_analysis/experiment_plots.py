"""Figures over an experiment (the wide table of `credsim.experiment`: one
row per point and option, factor columns by key path, one column per metric):
a pairs plot of the factors coloured by a metric, and parallel coordinates
of factors and metrics, one line per point."""
from __future__ import annotations

from typing import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import style
from ._common import require_columns


def _one_option(table: pd.DataFrame, option: str | None) -> pd.DataFrame:
    if option is None:
        if table["option"].nunique() != 1:
            raise ValueError(f"the experiment has options {sorted(table['option'].unique())}: pass option=")
        return table
    rows = table[table["option"] == option]
    if rows.empty:
        raise ValueError(f"no rows of option {option!r}; there are {sorted(table['option'].unique())}")
    return rows


def _numeric(column: pd.Series) -> np.ndarray:
    """Numbers as they are; text levels (a categorical factor) as their level index."""
    if pd.api.types.is_numeric_dtype(column):
        return column.to_numpy(dtype=float)
    return pd.Categorical(column).codes.astype(float)


def _label(column: str) -> str:
    """Factors are key paths (a.b.c) or sweep-file names; metrics are neither."""
    is_factor = "." in column or column in style.FACTOR_NAMES
    return style.factor_label(column) if is_factor else style.axis_label(column)


def _finding(rows: pd.DataFrame, factors: Sequence[str], metric: str, labels) -> str:
    """'<option>: <metric> from a to b over the points; highest at <factor> v, ...' (+ its n if conditional)."""
    option = rows["option"].iloc[0]
    name = style.option_labels(rows, labels).get(option, option)
    high = rows.loc[rows[metric].idxmax()]
    where = ", ".join(f"{style.factor_name(f)} {high[f]:.3g}" for f in factors if pd.api.types.is_number(high[f]))
    text = (f"{name}: {style.metric_label(metric)} from {rows[metric].min():.2f} to {rows[metric].max():.2f} "
            f"over the design points; highest at {where}")
    if f"{metric}_n" in rows.columns:
        text += f" (n per point {int(rows[f'{metric}_n'].min()):,}–{int(rows[f'{metric}_n'].max()):,})"
    return style.wrap(text, 100)


@style.styled
def pairs_figure(table: pd.DataFrame, factors: Sequence[str], metric: str, *, option: str | None = None,
                 labels: dict | None = None, title: str | None = None) -> Figure:
    """Every pair of factors as a scatter of the design points, coloured by
    `metric` of one option; histograms of each factor on the diagonal. The
    option is named by `labels`; the default title states the range found."""
    require_columns(table, [*factors, metric, "option"], "pairs_figure")
    rows = _one_option(table, option)
    k = len(factors)
    fig, axes = style.figure(figsize=(3.6 * k + 1.5, 3.2 * k), nrows=k, ncols=k, squeeze=False)
    norm = matplotlib.colors.Normalize(rows[metric].min(), rows[metric].max())
    for i, fy in enumerate(factors):
        for j, fx in enumerate(factors):
            ax = axes[i][j]
            if i == j:
                ax.hist(_numeric(rows[fx]), bins=min(20, max(5, len(rows) // 5)), color="0.6")
                ax.set_ylabel("points [count]" if j == 0 else "")
            else:
                points = ax.scatter(_numeric(rows[fx]), _numeric(rows[fy]), c=rows[metric], cmap="viridis",
                                    norm=norm, s=22)
                ax.set_ylabel(_label(fy) if j == 0 else "")
            ax.set_xlabel(_label(fx))
    if k > 1:
        fig.colorbar(points, ax=axes, pad=0.02).set_label(_label(metric))
    fig.suptitle(title or _finding(rows, factors, metric, labels), fontsize=11)
    fig.legend(handles=[Line2D([], [], marker="o", linestyle="", color="0.4", label="design point")],
               loc="lower left", frameon=False)
    return fig


@style.styled
def parallel_coordinates_figure(table: pd.DataFrame, columns: Sequence[str], color_by: str, *,
                                option: str | None = None, labels: dict | None = None,
                                title: str | None = None) -> Figure:
    """One line per design point across `columns` (factors and metrics), each
    axis scaled to its own range (ends labelled), coloured by `color_by`."""
    require_columns(table, [*columns, color_by, "option"], "parallel_coordinates_figure")
    rows = _one_option(table, option)
    values = np.column_stack([_numeric(rows[c]) for c in columns])
    low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    spread = high > low
    scaled = np.where(spread, (values - low) / np.where(spread, high - low, 1.0), 0.5)  # a constant sits mid-axis
    fig, ax = style.figure(figsize=(max(8.0, 2.4 * len(columns)), 6.0))
    cmap = matplotlib.colormaps["viridis"]
    norm = matplotlib.colors.Normalize(rows[color_by].min(), rows[color_by].max())
    positions = np.arange(len(columns))
    for line, value in zip(scaled, rows[color_by]):
        ax.plot(positions, line, color=cmap(norm(value)), alpha=0.6, linewidth=1.2)
    for p, lo, hi in zip(positions, low, high):
        ax.plot([p, p], [0, 1], color="0.3", linewidth=1)
        if hi > lo:
            ax.annotate(f"{lo:.3g}", (p, 0), xytext=(0, -14), textcoords="offset points", ha="center", fontsize=10)
            ax.annotate(f"{hi:.3g}", (p, 1), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=10)
        else:
            ax.annotate(f"{lo:.3g} (constant)", (p, 0.5), xytext=(4, 0), textcoords="offset points", fontsize=10)
    ax.set_xticks(positions)
    ax.set_xticklabels([_label(c).replace(" [", "\n[") for c in columns], fontsize=10)
    ax.set_xlim(-0.3, len(columns) - 0.7)
    ax.set_ylim(-0.12, 1.3)  # room above the top labels for the legend
    ax.set_yticks([0, 0.5, 1])
    ax.set_xlabel("factor or metric [each axis from its lowest to its highest value]")
    ax.set_ylabel("position in the column's range [share]")
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, pad=0.02)
    bar.set_label(_label(color_by))
    ax.legend(handles=[Line2D([], [], color=cmap(0.5), label="one design point")], loc="upper center")
    factors = [c for c in columns if "." in c or c in style.FACTOR_NAMES]
    ax.set_title(title or _finding(rows, factors, color_by, labels), fontsize=11)
    fig.tight_layout()
    return fig
