"""Global sensitivity figures: which uncertain inputs drive a result.

The engine computes the indices: `credsim.sensitivity(sweep_file)` (or the
CLI's `credsim sensitivity`, whose sobol.csv and morris.csv `io.read_csv`
reads) gives Sobol' indices as factor, option, metric, S1, S1_low, S1_high,
ST, ST_low, ST_high (Saltelli design; S1 by Saltelli 2010, ST by Jansen 1999;
bootstrap intervals) and Morris screening as factor, option, metric, mu_star,
sigma, mu (effects per whole factor range). Those tables hold every option and
metric; filter them to one of each for a figure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import style
from ._common import place_labels, require_columns, require_single, with_note


@style.styled
def sobol_figure(indices: pd.DataFrame, *, output_label: str, title: str | None = None) -> Figure:
    """Bars of first-order S1 (the factor alone) and total ST (with its
    interactions) per factor, with intervals, sorted by ST (largest on top); a
    bar whose interval reaches 0 is hatched and pale (within the noise of no
    effect). The default title states the finding: the factor with the largest ST."""
    require_columns(indices, ["factor", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"], "sobol_figure")
    require_single(indices, what="sobol_figure")
    rows = indices.sort_values("ST").reset_index(drop=True)
    fig, ax = style.figure(figsize=(10.0, 1.6 + 0.7 * len(rows)))
    y = np.arange(len(rows))
    height = 0.38
    for offset, name, color, label in ((height / 2, "ST", style.OKABE_ITO[0], "total effect ST (with interactions)"),
                                       (-height / 2, "S1", style.OKABE_ITO[1], "first order S1 (alone)")):
        values = rows[name].to_numpy(dtype=float)
        errors = np.vstack([values - rows[f"{name}_low"], rows[f"{name}_high"] - values]).clip(min=0)
        noise = (rows[f"{name}_low"] <= 0).to_numpy()
        bars = ax.barh(y + offset, values, height=height, color=color, label=label, xerr=errors,
                       error_kw={"elinewidth": 1.5, "capsize": 3, "ecolor": "0.2"})
        for bar, within in zip(bars, noise):
            if within:
                bar.set_alpha(0.35)
                bar.set_hatch("//")
    ax.set_yticks(y)
    ax.set_yticklabels([style.factor_name(f) for f in rows["factor"]])
    ax.axvline(0, color="0.3", linewidth=1)
    ax.set_xlabel("Sobol' index [share of the output's variance]")
    ax.set_ylabel("uncertain factor")
    top = rows.iloc[-1]
    heading = title or (f"{style.factor_name(top.factor)} explains the largest share of the variance of "
                        f"{output_label} (ST {top.ST:.2f} [{top.ST_low:.2f}, {top.ST_high:.2f}])")
    ax.set_title(with_note(style.wrap(heading, 90), indices) + "; bars: 95% bootstrap intervals", fontsize=11)
    handles = [Patch(color=style.OKABE_ITO[0], label="total effect ST (with interactions)"),
               Patch(color=style.OKABE_ITO[1], label="first order S1 (alone)")]
    handles.append(Patch(facecolor="0.8", hatch="//", alpha=0.6, label="pale, hatched: interval reaches 0 (within noise)"))
    ax.legend(handles=handles, loc="lower right")
    ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    return fig


@style.styled
def morris_figure(morris: pd.DataFrame, *, output_label: str, output_unit: str = "probability",
                  title: str | None = None) -> Figure:
    """μ* (how much a factor moves the output) against σ (how much that effect
    depends on the other factors); above the dashed line σ = μ* effects are
    strongly nonlinear or interacting. The default title states the finding:
    the factor that moves the output most."""
    require_columns(morris, ["factor", "mu_star", "sigma"], "morris_figure")
    require_single(morris, what="morris_figure")
    fig, ax = style.figure(figsize=(10.0, 6.0))
    ax.scatter(morris["mu_star"], morris["sigma"], s=70, color=style.OKABE_ITO[0], zorder=3, clip_on=False)  # a factor at 0 shows whole
    top = 1.1 * max(morris["mu_star"].max(), morris["sigma"].max(), 1e-12)
    ax.plot([0, top], [0, top], color="0.5", linestyle="--", linewidth=1.2)
    ax.set_xlim(0, top)
    # σ is often much smaller than μ*: fit the y range to the points (the
    # dashed line then leaves at the top) rather than squash them at the bottom.
    ax.set_ylim(0, min(top, max(1.4 * morris["sigma"].max(), 0.25 * top)))
    ax.set_xlabel(f"μ*: mean |elementary effect| [{output_unit} per factor range]")
    ax.set_ylabel(f"σ: spread of elementary effects [{output_unit} per factor range]")
    top = morris.loc[morris["mu_star"].idxmax()]
    heading = title or (f"{style.factor_name(top.factor)} moves {output_label} most "
                        f"(μ* {top.mu_star:.2f} over its range)")
    ax.set_title(with_note(style.wrap(heading, 90), morris), fontsize=11)
    ax.legend(handles=[Line2D([], [], marker="o", linestyle="", color=style.OKABE_ITO[0], label="uncertain factor"),
                       Line2D([], [], color="0.5", linestyle="--", label="σ = μ* (nonlinear or interacting above)")],
              loc="upper left")
    fig.tight_layout()
    place_labels(ax, morris["mu_star"], morris["sigma"], [style.factor_name(f) for f in morris["factor"]])
    return fig
