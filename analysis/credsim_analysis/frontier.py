"""The trade-off frontier: strong guarantees deter better but are harder to get
accepted. One point per option in (P(deal), P(no armed attack | deal)); the
options no other option beats on both are marked."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import style
from ._common import place_labels, require_columns, with_note


def pareto_efficient(points: pd.DataFrame, objectives: Sequence[str], maximize: Sequence[bool] | None = None) -> pd.Series:
    """True for each row that no other row dominates: another row dominates it if
    it is at least as good on every objective and strictly better on one.
    Equal rows do not dominate each other (both stay efficient). NaN rows are
    never efficient and never dominate."""
    maximize = [True] * len(objectives) if maximize is None else list(maximize)
    if len(maximize) != len(objectives):
        raise ValueError("pareto_efficient: one maximize flag per objective")
    values = points[list(objectives)].to_numpy(dtype=float) * np.where(maximize, 1.0, -1.0)
    valid = ~np.isnan(values).any(axis=1)
    efficient = valid.copy()
    for i in np.flatnonzero(valid):
        others = values[valid]
        dominated = (others >= values[i]).all(axis=1) & (others > values[i]).any(axis=1)
        efficient[i] = not dominated.any()
    return pd.Series(efficient, index=points.index, name="efficient")


def frontier_points(summary: pd.DataFrame, x: str = "p_deal", y: str = "p_no_armed_attack") -> pd.DataFrame:
    """One row per option: x, x_low, x_high, y, y_low, y_high (named after the
    metrics) and `efficient`, computed on the point estimates; `label` when the
    summary has option labels."""
    require_columns(summary, ["option", "metric", "estimate", "ci_low", "ci_high"], "frontier_points")
    wide = []
    for metric in (x, y):
        rows = summary[summary["metric"] == metric].set_index("option")[["estimate", "ci_low", "ci_high"]]
        if rows.empty:
            raise ValueError(f"frontier_points: no metric {metric!r} in the summary")
        wide.append(rows.rename(columns={"estimate": metric, "ci_low": f"{metric}_low", "ci_high": f"{metric}_high"}))
    points = pd.concat(wide, axis=1).reset_index()
    points["efficient"] = pareto_efficient(points, [x, y])
    names = style.option_labels(summary)
    if names:  # a Results table: keep the options' labels for the figure
        points["label"] = points["option"].map(names)
    points.attrs = summary.attrs
    return points


def _product_isolines(ax, levels=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> None:
    """P(deal and no armed attack) = P(deal) · P(no armed attack | deal):
    hyperbolas of equal P(deal and no armed attack) across the axes' current
    limits, each labelled at its right end (outside the axes when it reaches
    P(deal) = 1, else where it leaves the bottom of the axes)."""
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    for level in levels:
        start, stop = max(level / y_high, x_low, 0.01), min(level / max(y_low, 1e-9), x_high)
        if start >= stop:
            continue
        x = np.linspace(start, stop, 200)
        ax.plot(x, level / x, color="0.6", linestyle=":", linewidth=1.2, zorder=0)
        if stop >= x_high - 1e-9:
            ax.annotate(f"{level:.1f}", (x_high, level / x_high), xytext=(3, 0), textcoords="offset points",
                        fontsize=10, color="0.4", va="center", annotation_clip=False)
        else:
            ax.annotate(f"{level:.1f}", (stop, y_low), xytext=(3, 3), textcoords="offset points",
                        fontsize=10, color="0.4", va="bottom", ha="left")


@style.styled
def frontier_figure(
    points: pd.DataFrame,
    x: str = "p_deal",
    y: str = "p_no_armed_attack",
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Each option with its 95% intervals on both axes, labelled next to its
    point; Pareto-efficient options ringed and joined by the frontier line. For
    (p_deal, p_no_armed_attack) the dotted curves are equal P(deal and no armed
    attack) = P(deal) · P(no armed attack | deal). The title names the efficient
    options unless `title` is given."""
    require_columns(points, ["option", x, y, f"{x}_low", f"{x}_high", f"{y}_low", f"{y}_high", "efficient"], "frontier_figure")
    fig, ax = style.figure(figsize=(10.0, 7.0))
    handles = []
    labels = style.option_labels(points, labels)
    styles = style.option_styles(points["option"])
    for r in points.to_dict("records"):
        look = styles[r["option"]]
        ax.errorbar(r[x], r[y], xerr=[[r[x] - r[f"{x}_low"]], [r[f"{x}_high"] - r[x]]],
                    yerr=[[r[y] - r[f"{y}_low"]], [r[f"{y}_high"] - r[y]]],
                    fmt=look["marker"], color=look["color"], markeredgecolor="0.1", markeredgewidth=0.6,
                    markersize=8, elinewidth=1.5, capsize=3, zorder=3)
    efficient = points[points["efficient"]].sort_values(x)
    ax.plot(efficient[x], efficient[y], color="black", linewidth=1.3, zorder=2)
    ax.scatter(efficient[x], efficient[y], s=260, facecolors="none", edgecolors="black", linewidths=1.8, zorder=5)
    handles.append(Line2D([], [], color="black", marker="o", markerfacecolor="none", markersize=13, linewidth=1.3,
                          label="Pareto-efficient: no other\noption beats it on both"))
    # Probabilities: x over [0, 1]; y zoomed to the options (in steps of 0.1), so that close options separate.
    ax.set_xlim(0, 1.0)
    y_low = max(0.0, np.floor((points[f"{y}_low"].min() - 0.05) * 10) / 10)
    y_high = min(1.0, np.ceil((points[f"{y}_high"].max() + 0.03) * 10) / 10)
    ax.set_ylim(y_low, y_high if y_high > y_low else y_low + 0.1)
    if (x, y) == ("p_deal", "p_no_armed_attack"):
        _product_isolines(ax)
        handles.append(Line2D([], [], color="0.6", linestyle=":",
                              label="equal P(deal and no armed attack)\n(value at the curve's end)"))
    ax.set_xlabel(style.axis_label(x))
    ax.set_ylabel(style.axis_label(y))
    if title is None:
        efficient_names = [labels.get(o, o) for o in efficient.sort_values(y, ascending=False)["option"]]
        title = style.wrap(f"Not beaten on both: {'; '.join(efficient_names)}", 95)
    ax.set_title(with_note(title, points) + "; bars: 95% intervals", fontsize=12)
    ax.legend(handles=handles, loc="lower left", frameon=True, framealpha=0.9)
    fig.tight_layout()
    place_labels(ax, points[x], points[y], [style.wrap(labels.get(o, o), 24) for o in points["option"]])
    return fig
