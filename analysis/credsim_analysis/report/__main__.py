"""python3 -m credsim_analysis.report RESULTS_DIR [--scenario FILE] [--out FILE] [--pdf]

Writes RESULTS_DIR/report.html (and report.pdf with --pdf) from the files of
`credsim run --out RESULTS_DIR`; `credsim report` calls this after its run."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m credsim_analysis.report",
                                     description="Write the HTML brief of one credsim run.")
    parser.add_argument("results", help="the --out folder of `credsim run` (summary.json, *.csv, trials.csv if any)")
    parser.add_argument("--scenario", help="the scenario file of the run: adds each option's formula and sources")
    parser.add_argument("--out", help="the HTML file to write (default RESULTS/report.html)")
    parser.add_argument("--pdf", action="store_true", help="also print it to PDF (headless Chromium)")
    args = parser.parse_args(argv)
    try:
        import matplotlib

        matplotlib.use("Agg")
        from . import write_report

        out = Path(args.out) if args.out else Path(args.results) / "report.html"
        path = write_report(args.results, out, scenario=args.scenario, pdf=args.pdf)
    except (ImportError, FileNotFoundError, RuntimeError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {path}" + (f" and {path.with_suffix('.pdf')}" if args.pdf else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
