"""Figure for issue 12: P(armed defence | major attack in month t), true and as
the challenger perceives it, for three options of
scenarios/examples/baltic_grey_zone.yaml (its globals.credibility_months), with
learning and erosion and with them switched off (--set); the month-36 event in
both. Each point is over the trials with the deal still running at month t
(no major attack before it); bands are 95% normal intervals (mean +- 1.96 SE).
The title's finding is computed from the two runs.

    CREDSIM_CLI=build/ci/credsim /usr/bin/python3 analysis/dynamics_figure.py docs/dynamics.png
"""
import os
import re
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__)))
from credsim_analysis.io import read_csv  # noqa: E402
from credsim_analysis import style  # noqa: E402

SCENARIO = os.path.join(os.path.dirname(__file__), "..", "scenarios", "examples", "baltic_grey_zone.yaml")
OPTIONS = ["alliance", "alliance_grey_clause", "forward_presence"]
TRIALS, SEED = 20000, 12
EVENT_MONTH = 36  # the example's event: US interest falls
# "No learning, no erosion": learning off and erosion half-lives far beyond the
# horizon (the month-36 event stays: --set cannot remove it).
STATIC = ["challenger.learning_rate=0", "guarantors.usa.interest_half_life=1e12",
          "guarantors.germany.interest_half_life=1e12"]
METRIC = re.compile(r"^p_armed_defence(_perceived)?_m(\d+)$")


def credibility(sets: list[str], out: str) -> pd.DataFrame:
    """One run's credibility-month metrics: option, month, perceived, estimate, ci_low, ci_high."""
    cmd = [os.environ.get("CREDSIM_CLI", "credsim"), "run", SCENARIO, "--trials", str(TRIALS), "--seed", str(SEED),
           "--out", out, "-q", "--options", ",".join(OPTIONS)]
    for s in sets:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True)
    summary = read_csv(os.path.join(out, "summary.csv"))
    match = summary["metric"].str.extract(METRIC)
    rows = summary[match[1].notna()].copy()
    rows["month"] = match[1].dropna().astype(int)
    rows["perceived"] = match[0].notna()[match[1].notna()]
    return rows[["option", "month", "perceived", "estimate", "ci_low", "ci_high"]].sort_values("month")


def value(frame: pd.DataFrame, option: str, month: int, perceived: bool = False) -> float:
    row = frame[(frame["option"] == option) & (frame["month"] == month) & (frame["perceived"] == perceived)]
    return float(row["estimate"].iloc[0])


def finding(dynamic: pd.DataFrame, static: pd.DataFrame, labels: dict[str, str]) -> str:
    """The title: how much erosion and learning move the true value by the last
    month, and which option stays highest there."""
    last = int(dynamic["month"].max())
    drops = {o: 100 * (value(static, o, last) - value(dynamic, o, last)) for o in OPTIONS}
    low, high = min(drops.values()), max(drops.values())
    word = "lower" if low >= 0 else "higher" if high <= 0 else "different"
    best = max(OPTIONS, key=lambda o: value(dynamic, o, last))
    span = f"{abs(low):.1f}" if round(low, 1) == round(high, 1) else f"{min(abs(low), abs(high)):.1f}–{max(abs(low), abs(high)):.1f}"
    return (f"By month {last}, erosion and learning leave P(armed defence | major attack) {span} points {word}\n"
            f"than without them; {labels[best]} stays highest ({value(dynamic, best, last):.2f})")


def main(path: str) -> None:
    style.apply()
    with tempfile.TemporaryDirectory() as tmp:
        dynamic = credibility([], os.path.join(tmp, "dynamic"))
        static = credibility(STATIC, os.path.join(tmp, "static"))
    labels = {"alliance": "alliance treaty", "alliance_grey_clause": "treaty + grey-zone clause",
              "forward_presence": "treaty + brigade forward"}
    fig, axes = plt.subplots(1, 3, figsize=(13, 5.2), sharey=True)
    lines = [(dynamic, False, "-", "C0", "true, with learning + erosion"),
             (dynamic, True, "-", "C3", "perceived by the challenger, with learning + erosion"),
             (static, False, ":", "C0", "true, no learning, no erosion"),
             (static, True, ":", "C3", "perceived, no learning, no erosion")]
    for ax, option in zip(axes, OPTIONS):
        for frame, perceived, dash, colour, what in lines:
            rows = frame[(frame["option"] == option) & (frame["perceived"] == perceived)]
            ax.plot(rows["month"], rows["estimate"], dash, color=colour, marker="o", markersize=3, label=what)
            ax.fill_between(rows["month"], rows["ci_low"], rows["ci_high"], color=colour, alpha=0.15, linewidth=0)
        ax.axvline(EVENT_MONTH, color="grey", linewidth=0.8)
        ax.text(EVENT_MONTH + 2, 0.995, "US interest falls\n(event, month 36)", fontsize=8, color="grey", va="top")
        ax.set_title(labels[option], fontsize=11)
        ax.set_xlabel("month t of the major attack")
        ax.set_xticks(range(0, 121, 24))
    axes[0].set_ylabel("P(armed defence | major attack in month t)")
    lows = pd.concat([dynamic, static])["ci_low"].min()  # the axis starts just below the lowest band
    axes[0].set_ylim(max(0.0, 0.05 * int(lows / 0.05) - 0.05), 1.0)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", bbox_to_anchor=(0.5, 0.035), ncol=2, fontsize=9, frameon=False)
    fig.suptitle(finding(dynamic, static, labels), fontsize=12)
    both = pd.concat([dynamic, static])
    half = float(((both["ci_high"] - both["ci_low"]) / 2).max())
    fig.text(0.5, 0.008, f"{TRIALS:,} trials, seed {SEED}; each point over the trials with no major attack before month t; "
             f"shaded: 95% intervals (half-width at most {half:.3f})", ha="center", fontsize=8, color="grey")
    fig.tight_layout(rect=(0, 0.15, 1, 1))
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dynamics.png")
