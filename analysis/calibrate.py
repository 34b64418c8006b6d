#!/usr/bin/python3
"""Calibrate credsim's global constants against the historical case library
and published figures, with three cases held out (docs/calibration.md).

    PYTHONPATH=build/release/python:analysis /usr/bin/python3 analysis/calibrate.py

Prints the posterior, the scores in and out of sample and the literature
checks as Markdown, and writes them to docs/calibration.json (atomically);
`/usr/bin/python3 analysis/update_doc_tables.py` then writes the same tables
into docs/calibration.md. The scenario files carry the "applied" values;
tests/python/test_calibration.py checks that they still do.
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
from credsim_analysis.calibration_report import calibration_markdown
from credsim_analysis.calibration_figure import calibration_figure

ROOT = pathlib.Path(__file__).resolve().parents[1]


def write_atomically(path: pathlib.Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


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

    # The values in force until now (the last result's), scored beside the new ones.
    previous = json.loads(args.out.read_text())["applied"] if args.out.exists() else None
    try:
        result = cal.calibrate(ROOT, args.draws, args.trials, args.seed, args.stages, progress, previous)
    except KeyboardInterrupt:
        print("\ninterrupted: nothing written", file=sys.stderr)
        return 130
    written = json.dumps(result, indent=1, sort_keys=True) + "\n"
    text = calibration_markdown(json.loads(written))  # the tables as the file renders them in docs/calibration.md
    print(text)
    write_atomically(args.out, written)
    tmp = args.figure.with_name(f".{args.figure.name}.tmp.png")
    save(calibration_figure(result), tmp)
    os.replace(tmp, args.figure)
    print(f"Wrote {args.out} and {args.figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
