"""The calibration at a glance (analysis/calibrate.py's result, docs/calibration.json):
how far the data moved each constant, and what that did to each case's forecast."""
from __future__ import annotations

from typing import Mapping

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from . import style

PRIOR, POSTERIOR, V1, APPLIED, HAPPENED = "0.75", "#1f77b4", "#7f7f7f", "#d62728", "black"
TICKS = (0.25, 0.5, 1.0, 2.0, 4.0)


@style.styled
def calibration_figure(result: Mapping) -> Figure:
    """Left: each constant's prior and posterior 90% interval, as a ratio to its
    v1 value. Right: each case's P(attack within the horizon) at v1 and at the
    applied values, against what happened."""
    fig, (left, right) = style.figure(1, 2, figsize=(14.0, 6.0), gridspec_kw={"width_ratios": [1, 1.2]})
    names = list(result["posterior"])
    for y, name in enumerate(reversed(names)):
        p = result["posterior"][name]
        v1 = p["v1"]
        left.plot([p["prior_q05"] / v1, p["prior_q95"] / v1], [y, y], color=PRIOR, linewidth=9, solid_capstyle="butt")
        left.plot([p["q05"] / v1, p["q95"] / v1], [y, y], color=POSTERIOR, linewidth=3.5)
        left.plot(p["median"] / v1, y, "o", color=POSTERIOR, markersize=8)
        left.plot(result["applied"][name] / v1, y, "|", color=APPLIED, markersize=18, markeredgewidth=2.5)
    left.axvline(1.0, color=V1, linestyle="--", linewidth=1.2)
    left.set_xscale("log")
    left.xaxis.set_minor_formatter(NullFormatter())
    left.set_xticks(TICKS, [f"{t:g}" for t in TICKS])
    left.set_yticks(range(len(names)), [n.replace("_", " ") for n in reversed(names)])
    left.set_xlabel("value / v1 value [ratio, log scale]")
    left.set_ylabel("global constant")
    left.set_title("How far the data moved each constant")
    left.legend(handles=[Line2D([], [], color=PRIOR, linewidth=9, label="prior 90%"),
                         Line2D([], [], color=POSTERIOR, linewidth=3.5, marker="o", label="posterior 90%, median"),
                         Line2D([], [], color=APPLIED, marker="|", linestyle="", markersize=14, markeredgewidth=2.5,
                                label="applied default"),
                         Line2D([], [], color=V1, linestyle="--", label="v1 value")],
                loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)

    v1_cases, applied_cases = result["points"]["v1"]["cases"], result["points"]["applied"]["cases"]
    cases = sorted(v1_cases)
    held = set(result["holdout_cases"])
    observed = result["observed"]
    for y, name in enumerate(reversed(cases)):
        a, b = v1_cases[name]["p_attack"], applied_cases[name]["p_attack"]
        right.annotate("", xy=(b, y), xytext=(a, y), arrowprops={"arrowstyle": "->", "color": "0.4", "linewidth": 1.2})
        right.plot(a, y, "o", markerfacecolor="white", markeredgecolor=V1, markersize=8)
        right.plot(b, y, "o", color=APPLIED, markersize=8)
        right.plot(1.0 if observed[name] else 0.0, y, "*", color=HAPPENED, markersize=13, clip_on=False)
    right.set_yticks(range(len(cases)), [f"{n} (held out)" if n in held else n for n in reversed(cases)])
    right.set_xlim(-0.03, 1.03)
    right.set_ylabel("historical case")
    right.set_xlabel("P(attack within the horizon) [probability]")
    right.set_title("Each case's forecast, v1 → calibrated")
    right.legend(handles=[Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=V1,
                                 markersize=8, label="v1"),
                          Line2D([], [], marker="o", linestyle="", color=APPLIED, markersize=8, label="calibrated"),
                          Line2D([], [], marker="*", linestyle="", color=HAPPENED, markersize=12,
                                 label="what happened (1 = attacked)")],
                 loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    ess = result["effective_sample_size"]
    fig.suptitle(f"Calibration of the global constants: {len(result['training_cases'])} training cases and "
                 f"{len(result['literature'])} literature terms\n(seed {result['seed']}, "
                 f"{result['trials_per_case']:,} trials per case and draw, effective sample size {ess:,.0f} "
                 f"of {result['draws']:,} draws)")
    fig.tight_layout()
    return fig
