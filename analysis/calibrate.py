#!/usr/bin/python3
"""Calibrate credsim's global constants against the historical case library
and published figures, with three cases held out (docs/calibration.md).

    PYTHONPATH=build/release/python:analysis /usr/bin/python3 analysis/calibrate.py

Prints the posterior, the scores in and out of sample and the literature
checks as Markdown, and writes them to docs/calibration.json (atomically). The
scenario files carry the "applied" values; tests/python/test_calibration.py
checks that they still do.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import tempfile

from credsim_analysis import calibration as cal
from credsim_analysis import save
from credsim_analysis.calibration_figure import calibration_figure

ROOT = pathlib.Path(__file__).resolve().parents[1]


def write_atomically(path: pathlib.Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def fmt(x, digits=3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def report(r: dict) -> str:
    lines = [f"Calibration: credsim {r['credsim_version']}, seed {r['seed']}, {r['trials_per_case']} trials per case "
             f"and draw, {r['draws']} draws in {r['stages']} stages, effective sample size "
             f"{r['effective_sample_size']:.0f} (after each stage: "
             f"{', '.join(f'{e:.0f}' for e in r['ess_by_stage'])})", "",
             f"Training: {', '.join(r['training_cases'])}; holdout: {', '.join(r['holdout_cases'])}", "",
             "| constant | v1 (prior median) | prior 90% | posterior median | posterior 90% | applied |",
             "|---|---|---|---|---|---|"]
    for name, p in r["posterior"].items():
        lines.append(f"| `{name}` | {p['v1']:g} | {p['prior_q05']:.3g} – {p['prior_q95']:.3g} | {p['median']:.3g} | "
                     f"{p['q05']:.3g} – {p['q95']:.3g} | {r['applied'][name]:g} |")
    lines += ["", "Posterior correlations of the log constants", "",
              "| | " + " | ".join(f"`{n}`" for n in r["posterior_correlation"]) + " |",
              "|---|" + "---|" * len(r["posterior_correlation"])]
    for a, row in r["posterior_correlation"].items():
        lines.append(f"| `{a}` | " + " | ".join(f"{v:+.2f}" for v in row.values()) + " |")
    lines += ["", "Published figures: the model's value (target ± SE) at v1 and at the applied values; "
              "honour_formal's target is each era's figure weighted as the model's share is", "",
              "| figure | SE | v1 | applied |", "|---|---|---|---|"]
    v1, ap = r["points"]["v1"]["literature"], r["points"]["applied"]["literature"]

    def pair(x):
        return f"{fmt(x[0])} ({fmt(x[1])})"
    for t in r["literature"]:
        lines.append(f"| {t['name']} (fitted) | {t['se']:.2f} | {pair(v1[t['name']])} | {pair(ap[t['name']])} |")
    for c in r["checks"]:
        lines.append(f"| {c['name']} (check, not fitted) | | {pair(v1[c['name']])} | {pair(ap[c['name']])} |")
    lines += ["", f"Training log-likelihood (cases + figures): v1 {r['points']['v1']['training_log_likelihood']:.2f}, "
              f"applied {r['points']['applied']['training_log_likelihood']:.2f}", "",
              "Scores (Brier / log loss; lower is better)", "",
              "| cases | values | attack | honour |", "|---|---|---|---|"]
    for group in ("training", "holdout"):
        for label in ("v1", "applied", "posterior_predictive"):
            s = r["points"][label][group]
            n = s["attack"]["n"]
            lines.append(f"| {group} ({n}) | {label.replace('_', ' ')} | {fmt(s['attack']['brier'])} / "
                         f"{fmt(s['attack']['log_loss'])} | {fmt(s['honour']['brier'])} / {fmt(s['honour']['log_loss'])} |")
    lines += ["", "Per case: P(attack) and P(promise kept | attack covered) at v1 -> applied", ""]
    for name, pv in r["points"]["v1"]["cases"].items():
        pa = r["points"]["applied"]["cases"][name]
        hon = ", ".join(f"{g} {fmt(pv['honour'][g][1], 2)} -> {fmt(pa['honour'][g][1], 2)}" for g in pv["honour"])
        split = "holdout" if name in r["holdout_cases"] else "train"
        lines.append(f"- {name} ({split}): P(attack) {pv['p_attack']:.3f} -> {pa['p_attack']:.3f}; honour: {hon or 'none'}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draws", type=int, default=512, help="draws per importance-sampling stage")
    ap.add_argument("--stages", type=int, default=4, help="importance-sampling stages (the first from the prior)")
    ap.add_argument("--trials", type=int, default=2000, help="trials per case and draw")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "docs" / "calibration.json")
    ap.add_argument("--figure", type=pathlib.Path, default=ROOT / "docs" / "calibration.png",
                    help="the figure of the result (PNG)")
    args = ap.parse_args()
    if args.draws < 8 or args.trials < 100 or args.stages < 1:
        ap.error("--draws must be >= 8, --trials >= 100 and --stages >= 1")

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r  draw {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        result = cal.calibrate(ROOT, args.draws, args.trials, args.seed, args.stages, progress)
    except KeyboardInterrupt:
        print("\ninterrupted: nothing written", file=sys.stderr)
        return 130
    text = report(result)
    print(text)
    write_atomically(args.out, json.dumps(result, indent=1, sort_keys=True) + "\n")
    tmp = args.figure.with_name(f".{args.figure.name}.tmp.png")
    save(calibration_figure(result), tmp)
    os.replace(tmp, args.figure)
    print(f"Wrote {args.out} and {args.figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
