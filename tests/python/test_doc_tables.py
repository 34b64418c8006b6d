"""The results table in scenarios/README.md is generated from the regression
run (analysis/update_doc_tables.py); these tests re-render it from the
expected files and fail when the README no longer matches them."""
from __future__ import annotations

import csv

from credsim_analysis.doc_tables import results_markdown

BEGIN = "<!-- results:ukraine:begin -->"
END = "<!-- results:ukraine:end -->"
FIX = "run `/usr/bin/python3 analysis/update_doc_tables.py` and commit scenarios/README.md"


def _summary(source_dir):
    return source_dir / "tests" / "regression" / "ukraine" / "expected" / "summary.csv"


def _readme_block(source_dir) -> str:
    text = (source_dir / "scenarios" / "README.md").read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1, f"scenarios/README.md needs one {BEGIN} ... {END} block"
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    assert start <= end, f"{BEGIN} must come before {END}"
    return text[start:end]


def _options(summary_csv) -> list[str]:
    with open(summary_csv, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return list(dict.fromkeys(row["option"] for row in rows))


def test_readme_results_block_matches_the_regression_run(source_dir):
    expected = results_markdown(_summary(source_dir))
    assert _readme_block(source_dir).strip("\n") == expected.strip("\n"), (
        f"the results table in scenarios/README.md is stale: {FIX}"
    )


def test_results_table_has_one_row_per_option(source_dir):
    summary = _summary(source_dir)
    options = _options(summary)
    assert options, f"{summary} has no option rows"
    table = results_markdown(summary)
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    header, body = rows[0], rows[1:]
    assert header.startswith("| Option |")
    assert len(body) == len(options), f"{len(body)} table rows for {len(options)} options in {summary}"
    # Every headline column has a cell in every row.
    width = header.count(" | ")
    assert all(row.count(" | ") == width for row in body)


def test_cells_and_missing_estimates(tmp_path):
    """Format of a cell, an option refused in every trial, and labels from summary.json."""
    (tmp_path / "summary.csv").write_text(
        "# seed: 7\n# trials: 10\n# scenario_sha256: 00ab\n"
        "option,metric,kind,given,n,estimate,std_error,ci_low,ci_high\n"
        "a,p_deal,probability,,10,0.5,0.1,0.2371,0.7629\n"
        "a,deterrence_added,mean,deal,5,-0.001,0.001,-0.003,0.001\n"
        "b,p_deal,probability,,10,0,0,0,0.2775\n"
        "b,p_no_armed_attack,probability,deal,0,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "summary.json").write_text('{"options": [{"name": "a", "label": "Option A | x"}]}', encoding="utf-8")
    table = results_markdown(tmp_path / "summary.csv")
    lines = table.splitlines()
    assert "Seed 7" in lines[0] and "10 trials" in lines[0] and "00ab" in lines[0] and "Monte Carlo" in lines[0]
    row_a = next(line for line in lines if line.startswith("| Option A \\| x |"))
    assert "| 0.50 [0.24, 0.76] |" in row_a
    assert "| 0.00 [0.00, 0.00] |" in row_a  # no "-0.00"
    row_b = next(line for line in lines if line.startswith("| b |"))  # no label: the option's name
    assert "| no deal in any trial |" in row_b
