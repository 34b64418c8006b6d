"""Figures of the cross-validated backtest (credsim_analysis.backtest_cv's result):
how reliable each forecaster's out-of-fold P(attack) is, and each case's
forecasts against what happened."""
from __future__ import annotations

from typing import Mapping

from matplotlib.figure import Figure

from . import style

FORECASTERS = ("model", "treaty_and_troops", "logistic", "base_rate")
LABELS = {"model": "credsim model", "treaty_and_troops": "rule: treaty and troops -> no attack",
          "logistic": "logistic regression", "base_rate": "base rate"}


@style.styled
def reliability_figure(result: Mapping) -> Figure:
    """Out-of-fold reliability: each bin's mean forecast against the share of its
    cases attacked (marker area ~ cases in the bin); the diagonal is perfect calibration."""
    fig, ax = style.figure(figsize=(7.5, 6.5))
    scores = result["out_of_fold"]["attack"]
    ax.plot([0, 1], [0, 1], color=style.BASELINE_GREY, linestyle="--", linewidth=1.2, label="perfectly calibrated")
    for k, name in enumerate(FORECASTERS):
        bins = scores[name]["reliability"]
        ax.plot([b["mean_forecast"] for b in bins], [b["observed"] for b in bins], marker=style.MARKERS[k],
                color=style.OKABE_ITO[k], linewidth=1.5, alpha=0.9,
                label=f"{LABELS[name]} (Brier {scores[name]['brier']:.3f})")
        ax.scatter([b["mean_forecast"] for b in bins], [b["observed"] for b in bins],
                   s=[40 * b["n"] for b in bins], color=style.OKABE_ITO[k], alpha=0.25)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("mean out-of-fold forecast of P(attack within the window) in the bin [probability]")
    ax.set_ylabel("share of the bin's cases attacked [probability]")
    ax.set_title(f"Out-of-fold reliability ({result['provenance']['cv']}, {len(result['cases'])} cases)")
    ax.legend(loc="lower right", fontsize=10, framealpha=0.95)
    return fig


@style.styled
def cases_figure(result: Mapping) -> Figure:
    """Per case: the model's P(attack) in sample and out of fold, and the two
    fitted baselines out of fold, against what happened (filled: attacked)."""
    cases = result["cases"]
    fig, ax = style.figure(figsize=(10.0, 0.45 * len(cases) + 2.6))
    for y, c in enumerate(reversed(cases)):
        ax.axhspan(y - 0.45, y + 0.45, color="0.93" if c["attacked"] else "white", zorder=0)
        ax.plot(1.0 if c["attacked"] else 0.0, y, marker="*", color="black", markersize=13, zorder=4)
        ax.plot(c["in_sample"]["p_attack"], y, "|", color=style.OKABE_ITO[0], markersize=16, markeredgewidth=2.5)
        ax.plot(c["out_of_fold"]["model"], y, "o", color=style.OKABE_ITO[0], markersize=8)
        ax.plot(c["out_of_fold"]["treaty_and_troops"], y, "s", color=style.OKABE_ITO[1], markersize=6)
        ax.plot(c["out_of_fold"]["logistic"], y, "D", color=style.OKABE_ITO[2], markersize=6)
    ax.set_yticks(range(len(cases)), [c["name"] + ("" if c["in_calibration"] else " (not in calibration)")
                                      for c in reversed(cases)])
    ax.set_xlim(-0.04, 1.04)
    ax.set_xlabel("P(attack within the window) [probability]")
    ax.set_ylabel("case")
    ax.set_title("Each case: P(attack) against what happened (grey rows: attacked)")
    handles = [ax.plot([], [], "|", color=style.OKABE_ITO[0], markersize=14, markeredgewidth=2.5,
                       label="model, in sample")[0],
               ax.plot([], [], "o", color=style.OKABE_ITO[0], label="model, out of fold")[0],
               ax.plot([], [], "s", color=style.OKABE_ITO[1], label=LABELS["treaty_and_troops"] + ", out of fold")[0],
               ax.plot([], [], "D", color=style.OKABE_ITO[2], label="logistic regression, out of fold")[0],
               ax.plot([], [], "*", color="black", markersize=12, label="what happened (1 attacked, 0 not)")[0]]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.8 / (0.45 * len(cases) + 1.0)), ncol=2,
              fontsize=10)
    return fig
