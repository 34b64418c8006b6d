"""Markdown tables of credsim results for the documentation, rendered from a
run's files so that the numbers in a README cannot drift from the run they
quote (`analysis/update_doc_tables.py` writes them; a test re-renders and
compares).

    from credsim_analysis.doc_tables import results_markdown
    print(results_markdown("tests/regression/ukraine/expected/summary.csv"))
"""
from __future__ import annotations

import csv
import json
import os

# The headline metrics, in table order: (metric, column header in plain words,
# the condition the header assumes: "" = all trials).
HEADLINE = (
    ("p_deal", "P(deal)", ""),
    ("p_no_armed_attack", "P(no armed attack | deal)", "deal"),
    ("p_no_armed_attack_all", "P(deal and no armed attack)", ""),
    ("p_armed_defence", "P(armed defence | major attack)", ""),
    ("deterrence_added", "Deterrence added (vs no guarantee) | deal", "deal"),
    ("territory_lost", "Territory lost (share)", ""),
    ("p_great_power_war", "P(great-power war)", ""),
)

NO_DEAL = "no deal in any trial"
NOT_ESTIMABLE = "not estimable"
NOT_IN_RUN = "not in this run"


def _cell_text(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _number(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _estimate(row: dict[str, str] | None, given: str) -> str:
    if row is None:
        return NOT_IN_RUN
    if row["estimate"] == "":
        return NO_DEAL if row["given"] == "deal" else NOT_ESTIMABLE
    text = _number(float(row["estimate"]))
    if row["ci_low"] != "" and row["ci_high"] != "":
        text += f" [{_number(float(row['ci_low']))}, {_number(float(row['ci_high']))}]"
    if row["given"] != given:  # a file from another model version: say what the number is over
        text += f" ({'over all trials' if row['given'] == '' else 'given ' + row['given']})"
    return text


def _labels(summary_json_path: str) -> dict[str, str]:
    """Option name -> label, from the summary.json next to the csv (empty if absent)."""
    if not os.path.exists(summary_json_path):
        return {}
    with open(summary_json_path, encoding="utf-8") as f:
        summary = json.load(f)
    return {o["name"]: o.get("label") or o["name"] for o in summary.get("options", [])}


def read_summary_rows(summary_csv_path: str | os.PathLike) -> tuple[dict[str, str], list[str], dict[tuple[str, str], dict]]:
    """The csv's header, its options in file order, and its rows keyed by (option, metric)."""
    provenance: dict[str, str] = {}
    options: list[str] = []
    rows: dict[tuple[str, str], dict[str, str]] = {}
    with open(summary_csv_path, encoding="utf-8", newline="") as f:
        lines = f.readlines()
    count = 0
    for line in lines:  # the leading '# key: value' lines, values kept as text
        if not line.startswith("#"):
            break
        count += 1
        key, sep, value = line[1:].strip().partition(": ")
        if sep:
            provenance[key] = value
    for row in csv.DictReader(lines[count:]):
        if row["option"] not in options:
            options.append(row["option"])
        rows[(row["option"], row["metric"])] = row
    return provenance, options, rows


def results_markdown(summary_csv_path: str | os.PathLike) -> str:
    """A markdown table of the headline metrics, one row per option of a
    `credsim run` summary.csv, labelled from the summary.json beside it.
    Each cell is "estimate [95% low, high]" to 2 decimals."""
    summary_csv_path = os.fspath(summary_csv_path)
    provenance, options, rows = read_summary_rows(summary_csv_path)
    labels = _labels(os.path.join(os.path.dirname(summary_csv_path), "summary.json"))
    seed = provenance.get("seed", "?")
    trials = provenance.get("trials", "?")
    sha = provenance.get("scenario_sha256", "?")
    lines = [
        f"Seed {seed}, {trials} trials, scenario sha256 `{sha}`. "
        "Each cell is the estimate and its 95% interval; the intervals cover "
        "Monte Carlo error only, not the uncertainty of the parameters or of the model.",
        "",
        "| Option | " + " | ".join(_cell_text(header) for _, header, _ in HEADLINE) + " |",
        "|---|" + "---|" * len(HEADLINE),
    ]
    for option in options:
        cells = [_cell_text(labels.get(option, option))]
        cells += [_estimate(rows.get((option, metric)), given) for metric, _, given in HEADLINE]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
