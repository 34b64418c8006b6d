"""Regenerate the results tables in the documentation from the regression runs.

    /usr/bin/python3 analysis/update_doc_tables.py

Replaces the text between `<!-- results:ukraine:begin -->` and
`<!-- results:ukraine:end -->` in scenarios/README.md with the table of
tests/regression/ukraine/expected/summary.csv, the table of fields in
docs/authoring.md (`<!-- fields:begin -->`) with the values of the scenario
files, the results of docs/backtest.md (`<!-- backtest-cv:begin -->`)
with docs/backtest_cv.json (a `credsim backtest scenarios/historical --cv loo`
run's backtest_cv.json, copied), and the tables of docs/calibration.md
(`<!-- calibration:begin -->`) with docs/calibration.json. Run it after
regenerating the regression's expected files, the backtest or the calibration;
tests/python/test_doc_tables.py, test_authoring.py and test_calibration.py
fail until then.
"""
from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "analysis"))

from credsim_analysis.backtest_cv_doc import results_markdown as backtest_cv_markdown  # noqa: E402
from credsim_analysis.calibration_report import calibration_markdown  # noqa: E402
from credsim_analysis.doc_tables import fields_markdown, results_markdown  # noqa: E402

# (document, block name, summary.csv), paths relative to the repository root.
BLOCKS = (("scenarios/README.md", "ukraine", "tests/regression/ukraine/expected/summary.csv"),)


# (document, block name, the block's text): the generated tables that are not results.
TABLES = (("docs/authoring.md", "fields", lambda: fields_markdown(ROOT / "scenarios")),
          ("docs/backtest.md", "backtest-cv", lambda: backtest_cv_markdown(
              json.loads((ROOT / "docs" / "backtest_cv.json").read_text(encoding="utf-8")))),
          ("docs/calibration.md", "calibration",
           lambda: calibration_markdown(json.loads((ROOT / "docs" / "calibration.json").read_text()))))


def markers(name: str) -> tuple[str, str]:
    if name in ("fields", "backtest-cv", "calibration"):
        return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    return f"<!-- results:{name}:begin -->", f"<!-- results:{name}:end -->"


def block(text: str, name: str) -> str:
    """The text between the block's markers (the markers must each appear once, in order)."""
    begin, end = markers(name)
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"expected one '{begin}' followed by one '{end}'")
    return text[text.index(begin) + len(begin) : text.index(end)]


def replace_block(text: str, name: str, content: str) -> str:
    begin, end = markers(name)
    old = block(text, name)
    start = text.index(begin) + len(begin)
    return text[:start] + "\n" + content.strip("\n") + "\n" + text[start + len(old) :]


def main() -> int:
    for document, name, summary in BLOCKS:
        path = ROOT / document
        text = path.read_text(encoding="utf-8")
        new = replace_block(text, name, results_markdown(ROOT / summary))
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"{document}: results:{name} updated from {summary}")
        else:
            print(f"{document}: results:{name} already up to date")
    for document, name, render in TABLES:
        path = ROOT / document
        text = path.read_text(encoding="utf-8")
        new = replace_block(text, name, render())
        if new != text:
            path.write_text(new, encoding="utf-8")
        print(f"{document}: {name} {'updated' if new != text else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
