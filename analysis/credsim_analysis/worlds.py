"""Plausible worlds (`credsim.run(..., worlds=M)`, `credsim run --worlds M`):
each option's spread across the worlds the evidence allows beside its Monte
Carlo error, and how often it ranks first."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import style
from ._common import with_note


def rank_table(ranks: pd.DataFrame) -> pd.DataFrame:
    """Options (rows, by label, best first on the first metric) × ranked metrics:
    the probability of ranking first across plausible worlds."""
    table = ranks.pivot_table(index="label", columns="metric", values="p_first", sort=False)
    first = ranks["metric"].iloc[0]
    return table.sort_values(first, ascending=False)


def finding(across: pd.DataFrame, ranks: pd.DataFrame, metric: str, labels: dict[str, str]) -> str:
    """'X ranks first on <metric> in 95% of 100 plausible worlds' from the numbers."""
    rows = ranks[ranks["metric"] == metric].sort_values("p_first", ascending=False)
    best = rows.iloc[0]
    worlds = int(across.attrs.get("provenance", {}).get("worlds", 0))
    text = f"{labels.get(best.option, best.option)} ranks first on {style.metric_label(metric)}"
    return text + f" in {best.p_first:.0%} of {worlds} plausible worlds" if worlds else text


@style.styled
def worlds_figure(across: pd.DataFrame, ranks: pd.DataFrame, metric: str = "p_no_armed_attack_all",
                  baseline: str | None = None) -> Figure:
    """One row per option, best mean rank at the top: a thin line for the 5-95%
    spread across plausible worlds, a thick bar for the 95% Monte Carlo interval
    of the mean (± 1.96 MC SE), a marker at the mean; each row ends with the
    option's probability of ranking first. Two kinds of uncertainty, apart."""
    rows = across[across["metric"] == metric].dropna(subset=["mean"])
    rank = ranks[ranks["metric"] == metric].set_index("option")
    if rows.empty or rank.empty:
        raise ValueError(f"worlds_figure: no ranked metric {metric!r} (ranked: {sorted(set(ranks['metric']))})")
    order = list(rank.sort_values("mean_rank").index)
    labels = style.option_labels(rows)
    styles = style.option_styles(rows["option"].drop_duplicates(), baseline)  # scenario order: the same look as in every figure
    fig, ax = style.figure(figsize=(10, 1.4 + 0.55 * len(order)))
    for i, option in enumerate(order):
        y = len(order) - 1 - i
        row = rows[rows["option"] == option].iloc[0]
        look = styles[option]
        ax.plot([row.world_low, row.world_high], [y, y], color=look["color"], linewidth=1.5, alpha=0.8)
        half = 1.96 * row.mc_error
        ax.plot([row["mean"] - half, row["mean"] + half], [y, y], color=look["color"], linewidth=7,
                solid_capstyle="butt")
        ax.plot(row["mean"], y, marker=look["marker"], color=look["color"], markeredgecolor="0.1", markersize=9)
        ax.annotate(f"P(first) {rank.loc[option, 'p_first']:.2f}", (1.0, y), xycoords=ax.get_yaxis_transform(),
                    xytext=(6, 0), textcoords="offset points", va="center", fontsize=10)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([style.wrap(labels.get(o, o), 34) for o in reversed(order)])
    ax.set_xlabel(style.axis_label(metric))
    ax.grid(axis="y", alpha=0)
    handles = [Line2D([], [], color="0.3", linewidth=1.5, label="5-95% across plausible worlds"),
               Line2D([], [], color="0.3", linewidth=7, label="95% Monte Carlo interval of the mean")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    title = finding(across, ranks, metric, labels)
    fig.suptitle(with_note(style.wrap(title, 90), across), fontsize=13)
    fig.tight_layout()
    return fig
