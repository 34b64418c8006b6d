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


# --- the scenario fields of docs/authoring.md ------------------------------------------------------
# key path pattern ('*' = every guarantor or instrument) -> (meaning, unit). The units are those
# of scenarios/README.md ("Unit system"); the rules come from docs/scenario-format.md.
FIELDS = (
    ("settlement.deal_value", "challenger's value of the deal (before red lines and deterrence)", "utility"),
    ("settlement.continue_value", "challenger's value of fighting on", "utility"),
    ("challenger.strength", "challenger's combat power now", "× protégé's power"),
    ("challenger.growth", "its change per month", "× protégé's power / month"),
    ("challenger.strength_max", "the cap on its power", "× protégé's power"),
    ("challenger.stakes.major", "value of a successful major offensive (the anchor: 10)", "utility"),
    ("challenger.stakes.limited", "value of a successful limited push", "utility"),
    ("challenger.war_cost.major", "cost of a major war to it", "utility"),
    ("challenger.war_cost.limited", "cost of a limited push to it", "utility"),
    ("challenger.escalation.major", "ψ: great-power-war hazard per unit of nuclear power in combat, major", "per unit of power"),
    ("challenger.escalation.limited", "the same, limited push", "per unit of power"),
    ("challenger.cost_per_power", "κ: its cost per unit of guarantor power met", "utility per unit of power"),
    ("challenger.nuclear_war_cost", "N: its cost of a war with a nuclear guarantor", "utility"),
    ("challenger.perception_bias", "β: log factor on the resolve it sees (negative: underrates)", "log factor"),
    ("challenger.perception_noise", "σ: noise of that perception", "log factor"),
    ("challenger.precision", "λ: how sharply it chooses (logit precision)", "1 / utility"),
    ("challenger.opportunity_rate", "h: chance per month of a moment to weigh an attack", "per month"),
    ("protege.strength", "protégé's power now (the unit: 1)", "× protégé's power"),
    ("protege.growth", "its growth per month without aid", "× protégé's power / month"),
    ("protege.decay", "its decay per month", "share per month"),
    ("protege.aid_efficiency", "φ: power gained per unit of aid", "multiplier"),
    ("protege.fortification", "f: defender's multiplier on its own power", "multiplier"),
    ("protege.reservation", "ρ: the P(armed defence) it needs to accept a deal", "probability"),
    ("protege.precision", "λ_P: how sharply it applies that bar", "1 / probability"),
    ("guarantors.*.capability", "power it could bring to the theatre", "× protégé's power"),
    ("guarantors.*.interest", "I: how much the protégé's fate matters to it", "utility"),
    ("guarantors.*.resolve", "r: weight on that interest now", "weight on interest"),
    ("guarantors.*.turnover_hazard", "chance per month of a change of government", "per month"),
    ("guarantors.*.war_cost", "K: its cost of combat", "utility"),
    ("guarantors.*.escalation_aversion", "e: extra cost of combat against a nuclear challenger, × K", "multiplier"),
    ("guarantors.*.reputation", "R: what keeping its word is worth to it", "utility"),
    ("guarantors.*.sanctions_cost", "what imposing sanctions costs it", "utility"),
    ("guarantors.*.surge_cost", "what an arms surge costs it", "utility"),
    ("guarantors.*.sanctions_bite", "what its sanctions cost the challenger", "utility"),
    ("guarantors.*.follow", "weight on doing what the option's leader did", "utility"),
    ("instruments.*.audience_cost", "A: what breaking the promise costs the guarantor", "utility"),
    ("instruments.*.ambiguity", "α: P(the weak reading of the text prevails)", "probability"),
    ("instruments.*.ratification", "P(the commitment is ratified)", "probability"),
    ("instruments.*.share", "σ: share of capability committed to the promised response", "share"),
    ("instruments.*.sanctions", "bite of the sanctions it promises", "utility"),
    ("instruments.*.aid", "arms and aid per month", "× protégé's power / month"),
    ("instruments.*.red_line", "cost to the challenger at the settlement (declared red lines only)", "utility"),
    ("instruments.*.troops", "D: troops deployed", "soldiers"),
    ("instruments.*.exposure.major", "P(a major attack meets the troops)", "probability"),
    ("instruments.*.exposure.limited", "P(a limited push meets the troops)", "probability"),
    ("instruments.*.troop_power", "the troops' combat power", "× protégé's power"),
)


def _central(value) -> float | None:
    """A field's central value: the constant, or its distribution's mean."""
    import math

    if isinstance(value, dict):
        if "value" in value:
            return _central(value["value"])
        dist = value.get("dist")
        if dist == "triangular":
            return (value["low"] + value["mode"] + value["high"]) / 3
        if dist in ("normal", "truncated_normal"):
            return value["mean"]  # the truncated normal's location, as written
        if dist == "uniform":
            return (value["low"] + value["high"]) / 2
        if dist == "beta":
            low, high = value.get("low", 0), value.get("high", 1)
            return low + (high - low) * value["a"] / (value["a"] + value["b"])
        if dist == "lognormal":
            return math.exp(value["meanlog"] + value["sdlog"] ** 2 / 2)
        if dist == "bernoulli":
            return value["p"]
        if dist == "discrete":
            values, weights = value["values"], value["weights"]
            if all(isinstance(v, (int, float)) for v in values):
                return sum(v * w for v, w in zip(values, weights)) / sum(weights)
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _written(value) -> str:
    """A field as written in the file: 0.8, tri(4, 5, 6.5), tn(0.5, 0.15), Beta(2, 2)."""
    if isinstance(value, dict):
        if "value" in value:
            return _written(value["value"])
        dist = value.get("dist")
        if dist == "triangular":
            return f"tri({value['low']:g}, {value['mode']:g}, {value['high']:g})"
        if dist == "truncated_normal":
            return f"tn({value['mean']:g}, {value['sd']:g})"
        if dist == "normal":
            return f"N({value['mean']:g}, {value['sd']:g})"
        if dist == "beta":
            return f"Beta({value['a']:g}, {value['b']:g})"
        if dist == "uniform":
            return f"U({value['low']:g}, {value['high']:g})"
        return str(dist)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


def _lookup(node, steps):
    for step in steps:
        if not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def _values(document: dict, pattern: str) -> list:
    """Every value of `pattern` in one scenario (or presets) document."""
    head, _, rest = pattern.partition(".*.")
    if not rest:
        found = _lookup(document, pattern.split("."))
        return [] if found is None else [found]
    items = document.get(head) or {}
    return [v for v in (_lookup(item, rest.split(".")) for item in items.values() if isinstance(item, dict))
            if v is not None]


def _short(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def fields_markdown(scenarios_dir: str | os.PathLike) -> str:
    """The authoring guide's table of fields: meaning, unit, the Ukraine case's value
    and the range of central values over every scenario (and the presets) in
    `scenarios_dir` and its historical/ folder."""
    import pathlib

    import yaml

    folder = pathlib.Path(scenarios_dir)
    files = sorted(folder.glob("*.yaml")) + sorted((folder / "historical").glob("*.yaml"))
    documents = {path.relative_to(folder).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8")) for path in files}
    ukraine, presets = documents["ukraine.yaml"], documents["instruments.yaml"]
    lines = ["| key path | meaning | unit | Ukraine case | range in scenarios/ |", "|---|---|---|---|---|"]
    for pattern, meaning, unit in FIELDS:
        values = [v for document in documents.values() for v in _values(document, pattern)]
        centrals = [c for c in map(_central, values) if c is not None]
        span = f"{_short(min(centrals))} – {_short(max(centrals))}" if centrals else ""
        if pattern.startswith("guarantors.*."):
            first = next(iter(ukraine["guarantors"]))
            example = _values({"guarantors": {first: ukraine["guarantors"][first]}}, pattern)
            ukraine_text = f"{first}: {_written(example[0])}" if example else ""
        elif pattern.startswith("instruments.*."):
            example = _values({"instruments": {"membership": presets["instruments"]["membership"]}}, pattern)
            ukraine_text = f"membership: {_written(example[0])}" if example else ""
        else:
            example = _values(ukraine, pattern)
            ukraine_text = _written(example[0]) if example else "(default)"
        lines.append(f"| `{pattern}` | {meaning} | {unit} | {_cell_text(ukraine_text)} | {span} |")
    return "\n".join(lines) + "\n"
