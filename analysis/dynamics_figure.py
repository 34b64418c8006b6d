"""Figure for issue 12: P(no armed attack yet) month by month for three options
of scenarios/examples/baltic_grey_zone.yaml, with learning and erosion and
with them switched off (--set); the month-36 event in both. Not P(armed
defence) over time: the model reports that at month 1 only; the survival of
"no armed attack" is what erosion and learning move over time.

    CREDSIM_CLI=build/ci/credsim /usr/bin/python3 analysis/dynamics_figure.py docs/dynamics.png
"""
import os
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__)))
from credsim_analysis.io import read_csv  # noqa: E402
from credsim_analysis import style  # noqa: E402

SCENARIO = os.path.join(os.path.dirname(__file__), "..", "scenarios", "examples", "baltic_grey_zone.yaml")
OPTIONS = ["alliance", "alliance_grey_clause", "forward_presence"]
TRIALS, SEED = 20000, 12
# "No learning, no erosion": learning off and erosion half-lives far beyond the
# horizon (the month-36 event stays: --set cannot remove it).
STATIC = ["challenger.learning_rate=0", "guarantors.usa.interest_half_life=1e12",
          "guarantors.germany.interest_half_life=1e12"]


def survival(sets: list[str], out: str):
    cmd = [os.environ.get("CREDSIM_CLI", "credsim"), "run", SCENARIO, "--trials", str(TRIALS), "--seed", str(SEED),
           "--out", out, "-q", "--options", ",".join(OPTIONS)]
    for s in sets:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True)
    return read_csv(os.path.join(out, "survival.csv"))


def main(path: str) -> None:
    style.apply()
    with tempfile.TemporaryDirectory() as tmp:
        dynamic = survival([], os.path.join(tmp, "dynamic"))
        static = survival(STATIC, os.path.join(tmp, "static"))
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for i, option in enumerate(OPTIONS):
        colour = f"C{i}"
        for frame, dash, what in ((dynamic, "-", "learning + erosion"), (static, ":", "no learning, no erosion")):
            rows = frame[frame["option"] == option]
            ax.plot(rows["t"], rows["survival"], dash, color=colour, label=f"{option}: {what}")
            ax.fill_between(rows["t"], rows["ci_low"], rows["ci_high"], color=colour, alpha=0.12, linewidth=0)
    ax.axvline(36, color="grey", linewidth=0.8)
    ax.text(36.8, 0.99, "US interest falls (event, month 36)", fontsize=8, color="grey")
    ax.set_xlabel("month after the start")
    ax.set_ylabel("P(no armed attack yet)")
    ax.set_ylim(0.7, 1)
    ax.set_title(f"Grey zone and salami: peace over time ({TRIALS:,} trials, seed {SEED}, 95% Wilson bands)")
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dynamics.png")
