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


def _share_interval(k: float, n: int) -> tuple[float, float]:
    """Jeffreys 90% interval of a bin's attacked share (k of n)."""
    from scipy import stats
    return (float(stats.beta.ppf(0.05, k + 0.5, n - k + 0.5)) if k > 0 else 0.0,
            float(stats.beta.ppf(0.95, k + 0.5, n - k + 0.5)) if k < n else 1.0)


@style.styled
def reliability_figure(result: Mapping) -> Figure:
    """Out-of-fold reliability, one panel per forecaster: each bin's mean
    forecast against the share of its cases attacked, with the bin's case
    count and a Jeffreys 90% interval of the share; the diagonal is perfect
    calibration. Panels, not one crowded plot: four forecasters' bins overlap."""
    scores = result["out_of_fold"]["attack"]
    fig, axes = style.figure(2, 2, figsize=(11.0, 10.0), sharex=True, sharey=True)
    for k, (ax, name) in enumerate(zip(axes.flat, FORECASTERS)):
        s = scores[name]
        ax.plot([0, 1], [0, 1], color=style.BASELINE_GREY, linestyle="--", linewidth=1.2, label="perfectly calibrated")
        for b in s["reliability"]:
            lo, hi = _share_interval(round(b["observed"] * b["n"]), b["n"])
            ax.plot([b["mean_forecast"]] * 2, [lo, hi], color=style.OKABE_ITO[k], linewidth=1.5, alpha=0.6)
            ax.annotate(f"n={b['n']}", (b["mean_forecast"], b["observed"]), textcoords="offset points",
                        xytext=(7, -4), fontsize=10)
        ax.plot([b["mean_forecast"] for b in s["reliability"]], [b["observed"] for b in s["reliability"]],
                marker=style.MARKERS[k], color=style.OKABE_ITO[k], linewidth=1.5, markersize=8,
                label=f"{LABELS[name]}: bins")
        ax.set_title(f"{LABELS[name]}\nBrier {s['brier']:.3f}, log loss {s['log_loss']:.3f}", fontsize=11)
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(-0.04, 1.08)
    for ax in axes.flat:  # every panel labelled: a panel may be read alone
        ax.set_xlabel("mean out-of-fold forecast in the bin\n[P(attack within the window)]")
        ax.set_ylabel("share of the bin's cases attacked [share]")
        ax.tick_params(labelbottom=True, labelleft=True)
    fig.subplots_adjust(hspace=0.5, wspace=0.3)  # room for the top row's x labels under the bottom row's titles
    # One legend below the panels: inside, it would hide bins at 0 or 1.
    fig.legend(handles=[ax.get_lines()[0] for ax in axes.flat[:1]] + [ax.get_lines()[-1] for ax in axes.flat],
               loc="lower center", ncol=3, fontsize=10, bbox_to_anchor=(0.5, -0.07))
    fig.suptitle(f"Out-of-fold reliability ({result['provenance']['cv']}, {len(result['cases'])} cases; "
                 "bins: fifths of [0, 1]; vertical lines: 90% interval of the share)")
    return fig


def case_label(case: Mapping) -> str:
    """Name, months watched, and what is scored where it is not an armed attack."""
    notes = [f"{case['month']} mo"]
    if case.get("event", "armed attack") != "armed attack":
        notes.append(case["event"])
    if case["in_calibration"]:
        notes.append("in calibration")
    return f"{case['name']} ({', '.join(notes)})"


def case_order(result: Mapping) -> list[Mapping]:
    """The cases by how long they were watched (attack month, or window), shortest first."""
    return sorted(result["cases"], key=lambda c: (c["month"], c["name"]))


@style.styled
def cases_figure(result: Mapping) -> Figure:
    """Per case, shortest window first: the model's P(attack) in sample and out
    of fold (with its Monte Carlo 95% interval), and the two fitted baselines
    out of fold, against what happened (star; grey rows: attacked)."""
    cases = case_order(result)
    height = 0.36 * len(cases) + 2.6
    fig, ax = style.figure(figsize=(10.0, height))
    rows = list(reversed(cases))  # the first case at the top
    for y, c in enumerate(rows):
        ax.axhspan(y - 0.45, y + 0.45, color="0.92" if c["attacked"] else "white", zorder=0)
        ax.plot(1.0 if c["attacked"] else 0.0, y, marker="*", color="black", markersize=12, zorder=4)
        ax.plot(c["in_sample"]["p_attack"], y, "|", color=style.OKABE_ITO[0], markersize=14, markeredgewidth=2.5)
        o = c["out_of_fold"]
        se = o.get("model_mc_se", 0.0)
        ax.errorbar(o["model"], y, xerr=1.96 * se, fmt="o", color=style.OKABE_ITO[0], markersize=7, capsize=2)
        ax.plot(o["treaty_and_troops"], y, "s", color=style.OKABE_ITO[1], markersize=6)
        ax.plot(o["logistic"], y, "D", color=style.OKABE_ITO[2], markersize=6)
    acute = sum(c["month"] <= 12 for c in cases)
    if 0 < acute < len(cases):
        ax.axhline(len(cases) - acute - 0.5, color="black", linewidth=1.0, linestyle=":")
        ax.annotate("above: watched 12 months or less", (0.5, len(cases) - acute - 0.5), xytext=(0, 3),
                    textcoords="offset points", ha="center", fontsize=10)
    ax.set_yticks(range(len(rows)), [case_label(c) for c in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(-0.04, 1.04)
    ax.set_xlabel("P(attack within the window) [probability]: armed attack, or of any kind where the label says")
    ax.set_ylabel("case (months watched: to the attack, or the window)")
    ax.set_title("Each case: P(attack) against what happened (grey rows: attacked)")
    handles = [ax.plot([], [], "|", color=style.OKABE_ITO[0], markersize=14, markeredgewidth=2.5,
                       label="model, in sample (files as written)")[0],
               ax.errorbar([], [], xerr=[], fmt="o", color=style.OKABE_ITO[0],
                           label="model, out of fold (Monte Carlo 95%)"),
               ax.plot([], [], "s", color=style.OKABE_ITO[1], label=LABELS["treaty_and_troops"] + ", out of fold")[0],
               ax.plot([], [], "D", color=style.OKABE_ITO[2], label="logistic regression, out of fold")[0],
               ax.plot([], [], "*", color="black", markersize=12, label="what happened (1 attacked, 0 not)")[0]]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.9 / height), ncol=2, fontsize=10)
    return fig
