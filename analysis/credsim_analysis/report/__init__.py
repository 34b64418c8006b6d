"""A policy brief from one run: a single self-contained HTML file (figures as
inline SVG, CSS inline, no network), readable on a phone and printable, and
optionally its PDF through headless Chromium.

    from credsim_analysis.report import write_report
    write_report(results, "brief/report.html")          # a credsim.Results, or a run's folder
    results.report("brief/report.html")                 # the same, from the credsim package

    /usr/bin/python3 -m credsim_analysis.report RESULTS_DIR [--scenario FILE] [--out FILE] [--pdf]

`credsim report SCENARIO --out DIR` runs the comparison and then this module.
The summary paragraph is written from the numbers: which option has the
highest P(deal and no armed attack), and whether its lead over the runner-up
is beyond the Monte Carlo error, tested on the same trials (paired) when the
run's per-trial rows are at hand (trials.csv, or `credsim.run(...,
trial_rows=True)`), and by the overlap of the two intervals otherwise.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .. import compare, frontier, style
from .. import io as credsim_io
from .. import survival as survival_module

Z95 = 1.959963984540054

# The options x metrics matrix of the brief, in this order; the appendix has every metric.
MATRIX_METRICS = ("p_no_armed_attack_all", "p_deal", "p_no_armed_attack", "p_armed_defence",
                  "p_armed_defence_perceived", "deterrence_added", "territory_lost", "p_great_power_war",
                  "p_nuclear_use")
KEY_METRIC = "p_no_armed_attack_all"
# The metrics the summary compares on the same trials (read from trials.csv).
PAIRED_METRICS = (KEY_METRIC, "p_deal", "p_no_armed_attack")


@dataclass
class RunData:
    """What the report needs from a run: summary.json as a dict, the summary,
    paired and survival tables (with option labels), the per-trial rows when
    available, and the scenario's data (the YAML as a dict, and its presets)."""
    json: dict
    summary: pd.DataFrame
    paired: pd.DataFrame
    survival: pd.DataFrame
    trials: pd.DataFrame | None = None
    scenario: dict | None = None
    presets: dict | None = None
    scenario_path: str | None = None
    labels: dict = field(default_factory=dict)
    # A plausible-worlds run of the same scenario (`credsim report --worlds M`):
    # {"across_worlds", "ranks", "decisive_fields"} tables, or None.
    worlds: dict | None = None

    @property
    def provenance(self) -> dict:
        return self.json.get("provenance", {})

    @property
    def options(self) -> list[str]:
        return [o["name"] for o in self.json["options"]]

    def label(self, option: str) -> str:
        return self.labels.get(option, option)


# --- reading a run -------------------------------------------------------------------------------

def _with_labels(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    if "label" not in frame.columns:
        frame = frame.copy()
        attrs = dict(frame.attrs)
        frame.insert(1, "label", frame["option"].map(labels))
        frame.attrs = attrs
    return frame


def read_trials(path: str | os.PathLike, metrics) -> pd.DataFrame:
    """trials.csv of `credsim run --trials-csv`: trial, option and the given metrics."""
    _, skip = credsim_io.read_header(path)
    header = pd.read_csv(path, skiprows=skip, nrows=0).columns
    columns = ["trial", "option"] + [m for m in metrics if m in header]
    return pd.read_csv(path, skiprows=skip, usecols=columns, dtype={m: "float64" for m in columns[2:]})


def load_scenario(path: str | os.PathLike) -> tuple[dict, dict | None]:
    """A scenario file's data and its presets file's (PyYAML), for the formulas and sources."""
    path = Path(path)
    data = _read_yaml(path)
    presets = None
    if isinstance(data, dict) and data.get("presets"):
        presets_path = path.parent / str(data["presets"])
        if presets_path.is_file():
            presets = _read_yaml(presets_path)
    return data, presets


WORLD_TABLES = ("across_worlds", "ranks", "decisive_fields")


def read_worlds(folder: str | os.PathLike, labels: Mapping[str, str]) -> dict | None:
    """The tables of a plausible-worlds run in `folder` (`credsim run --worlds`), or None."""
    folder = Path(folder)
    if not all((folder / f"{name}.csv").is_file() for name in WORLD_TABLES):
        return None
    tables = {}
    for name in WORLD_TABLES:
        frame = credsim_io.read_csv(folder / f"{name}.csv")
        if "option" in frame:
            frame.insert(frame.columns.get_loc("option") + 1, "label", frame["option"].map(labels))
        tables[name] = frame
    return tables


def worlds_section(data: RunData) -> dict | None:
    """What the evidence leaves open: the worlds figure, P(first) per ranked metric, and
    the fields that decide between the two leading options."""
    if data.worlds is None:
        return None
    from .. import worlds as worlds_module

    across, ranks, decisive = (data.worlds[name] for name in WORLD_TABLES)
    provenance = across.attrs.get("provenance", {})
    fig = worlds_module.worlds_figure(across, ranks, KEY_METRIC, baseline=data.json.get("baseline"))
    table = worlds_module.rank_table(ranks)
    metrics = list(table.columns)
    rows = [{"label": label, "cells": [f"{table.loc[label, m]:.2f}" for m in metrics]} for label in table.index]
    deciders = []
    for metric, group in decisive.groupby("metric", sort=False):
        top = group.sort_values("abs_spearman", ascending=False).head(3)
        if top["abs_spearman"].max() == 0:
            continue
        deciders.append({"metric": style.metric_label(metric),
                         "leader": data.label(top["leader"].iloc[0]), "runner_up": data.label(top["runner_up"].iloc[0]),
                         "fields": [f"{r.field} ({r.abs_spearman:.2f})" for r in top.itertuples()]})
    return {"worlds": int(provenance.get("worlds", 0)), "trials_per_world": int(provenance.get("trials_per_world", 0)),
            "figure": _inline(fig, "worlds"), "caption": worlds_module.finding(across, ranks, KEY_METRIC, data.labels),
            "header": [style.metric_label(m) for m in metrics], "rows": rows, "deciders": deciders}


def _read_yaml(path: str | os.PathLike) -> Any:
    import yaml  # python3-yaml (.ci/bootstrap)

    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def run_data(results: Any, scenario: Any = None) -> RunData:
    """RunData from a credsim.Results, a RunData, or a folder written by `credsim
    run` / Results.save (its trials.csv is used when present). `scenario`: a
    scenario file, a credsim.Scenario, or None (then Results.scenario if set)."""
    worlds = None
    if isinstance(results, RunData):
        data = results
    elif isinstance(results, (str, os.PathLike)):
        folder = Path(results)
        if not (folder / "summary.json").is_file():
            raise FileNotFoundError(f"{folder}: no summary.json; is it the --out folder of `credsim run`?")
        document = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        labels = {o["name"]: o.get("label") or o["name"] for o in document["options"]}
        frames = {name: _with_labels(credsim_io.read_csv(folder / f"{name}.csv"), labels)
                  for name in ("summary", "paired", "survival")}
        trials = None
        if (folder / "trials.csv").is_file():
            trials = read_trials(folder / "trials.csv", PAIRED_METRICS)
        data = RunData(document, frames["summary"], frames["paired"], frames["survival"], trials, labels=labels)
        worlds = read_worlds(folder / "worlds", labels)
    else:  # a credsim.Results
        document = results.json
        labels = dict(results.labels)
        data = RunData(document, _with_labels(results.summary, labels), _with_labels(results.paired, labels),
                       _with_labels(results.survival, labels), getattr(results, "trials", None), labels=labels)
        if scenario is None:
            scenario = getattr(results, "scenario", None)
    if worlds is not None:
        data.worlds = worlds
    if scenario is not None:
        if isinstance(scenario, (str, os.PathLike)):
            data.scenario, data.presets = load_scenario(scenario)
            data.scenario_path = os.fspath(scenario)
        elif hasattr(scenario, "to_dict"):  # a credsim.Scenario (perhaps changed by with_values)
            data.scenario = scenario.to_dict()
            data.scenario_path = scenario.file_name
            presets = data.scenario.get("presets")
            presets_path = os.path.join(scenario.base_dir, str(presets)) if presets else ""
            if presets_path and os.path.isfile(presets_path):
                data.presets = _read_yaml(presets_path)
        else:
            data.scenario = dict(scenario)
    for frame in (data.summary, data.paired, data.survival):
        frame.attrs.setdefault("provenance", {})
        frame.attrs["provenance"] = {**data.provenance, **frame.attrs["provenance"]}
    return data


# --- paired comparisons on the same trials ---------------------------------------------------------

@dataclass
class Difference:
    """a minus b on the trials where both are defined: n, estimate, SE, 95% interval,
    and whether that comes from the paired trials or from the two separate intervals."""
    a: str
    b: str
    metric: str
    n: int
    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    paired: bool

    @property
    def beyond_noise(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


def paired_difference(trials: pd.DataFrame, metric: str, a: str, b: str, kind: str = "probability") -> Difference:
    """a minus b on the same trials (common random numbers), as the engine computes
    its paired differences against the baseline: the mean difference with its
    standard error, and for a probability the Agresti-Min interval for matched
    pairs (sim/report.cpp, estimate_difference)."""
    wide = trials[trials["option"].astype(str).isin([a, b])].pivot(index="trial", columns="option", values=metric)
    both = wide[[a, b]].dropna()
    d = (both[a] - both[b]).to_numpy(dtype=float)
    n = len(d)
    if n < 2:
        return Difference(a, b, metric, n, float("nan"), float("nan"), float("nan"), float("nan"), True)
    mean = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(n))
    low, high = mean - Z95 * se, mean + Z95 * se
    if kind == "probability" and se > 0:
        net = float(np.sum(d))
        discordant = float(np.sum(np.abs(d)))
        b_cell = 0.5 * (discordant + net) + 0.5  # Agresti & Min (2005): add 1/2 to each of the four cells
        c_cell = 0.5 * (discordant - net) + 0.5
        n_adj = n + 2.0
        centre = (b_cell - c_cell) / n_adj
        half = Z95 * math.sqrt(max(0.0, (b_cell + c_cell) - (b_cell - c_cell) ** 2 / n_adj)) / n_adj
        low, high = max(-1.0, centre - half), min(1.0, centre + half)
    return Difference(a, b, metric, n, mean, se, low, high, True)


def unpaired_difference(summary: pd.DataFrame, metric: str, a: str, b: str) -> Difference:
    """a minus b from the two separate estimates (no per-trial rows): SE sqrt(se_a² + se_b²)."""
    rows = summary[summary["metric"] == metric].set_index("option")
    ra, rb = rows.loc[a], rows.loc[b]
    se = math.hypot(float(ra["std_error"]), float(rb["std_error"]))
    estimate = float(ra["estimate"] - rb["estimate"])
    return Difference(a, b, metric, int(min(ra["n"], rb["n"])), estimate, se, estimate - Z95 * se,
                      estimate + Z95 * se, False)


def difference(data: RunData, metric: str, a: str, b: str) -> Difference:
    kind = str(data.summary.loc[data.summary["metric"] == metric, "kind"].iloc[0])
    if data.trials is not None and metric in data.trials.columns:
        return paired_difference(data.trials, metric, a, b, kind)
    return unpaired_difference(data.summary, metric, a, b)


# --- the text -----------------------------------------------------------------------------------

def _p(value: float) -> str:
    return f"{value:.2f}"


def _interval(low: float, high: float, digits: int = 2) -> str:
    return f"{low:.{digits}f}–{high:.{digits}f}"


def _row(data: RunData, option: str, metric: str):
    rows = data.summary[(data.summary["option"] == option) & (data.summary["metric"] == metric)]
    return rows.iloc[0] if len(rows) else None


def summary_paragraphs(data: RunData) -> list[str]:
    """The finding in plain words, from the numbers (HTML-escaped text, with <strong>)."""
    e = html.escape
    provenance = data.provenance
    glossary = data.json.get("glossary", {})
    horizon = data.json.get("horizon")
    trials = int(provenance.get("trials", 0))
    ranked = compare.ranking(data.summary, KEY_METRIC)
    best, second = ranked.iloc[0], ranked.iloc[1] if len(ranked) > 1 else None
    months = f"{horizon} months" if horizon else "the horizon"
    paragraphs = []
    text = (f"Over {trials:,} simulated futures of the scenario <em>{e(str(provenance.get('scenario', '')))}</em>, "
            f"<strong>{e(data.label(best.option))}</strong> gives the highest probability that a deal is made and "
            f"no armed attack follows within {months}: {_p(best.estimate)} "
            f"(95% interval {_interval(best.ci_low, best.ci_high)}).")
    if second is not None:
        d = difference(data, KEY_METRIC, best.option, second.option)
        how = "on the same simulated futures (paired)" if d.paired else "from the two separate estimates (not paired)"
        lead = f"{d.estimate * 100:.1f} percentage points (95% interval {d.ci_low * 100:.1f} to {d.ci_high * 100:.1f}, {how})"
        text += (f" The runner-up is {e(data.label(second.option))} at {_p(second.estimate)}; the lead of "
                 f"{lead} is ")
        text += ("<strong>beyond the Monte Carlo error</strong>." if d.beyond_noise else
                 "<strong>within the Monte Carlo error</strong>: these trials cannot tell the two apart, and more "
                 "trials (<code>--trials</code>) are needed to rank them.")
    paragraphs.append(text)

    deal, peace = _row(data, best.option, "p_deal"), _row(data, best.option, "p_no_armed_attack")
    if deal is not None and peace is not None and not pd.isna(peace.estimate):
        text = (f"{e(data.label(best.option))} is accepted by both sides in {deal.estimate:.0%} of trials, and once "
                f"agreed sees no armed attack in {peace.estimate:.0%} of them (n = {int(peace.n):,} deals).")
        deterrent = compare.ranking(data.summary, "p_no_armed_attack").iloc[0]
        if deterrent.option != best.option:
            accepted = _row(data, deterrent.option, "p_deal")
            d = difference(data, "p_no_armed_attack", deterrent.option, best.option)
            noise = "" if d.beyond_noise or math.isnan(d.estimate) else \
                " (a lead within the Monte Carlo error, on the trials where both are agreed)"
            text += (f" The strongest deterrent once agreed is {e(data.label(deterrent.option))} "
                     f"({_p(deterrent.estimate)}, n = {int(deterrent.n):,} deals{noise}), but it is accepted in "
                     f"only {accepted.estimate:.0%} of trials, which is why it ranks lower over all trials.")
        paragraphs.append(text)

    baseline = data.json.get("baseline")
    if baseline and baseline != best.option and baseline in data.options:
        d = difference(data, KEY_METRIC, best.option, baseline)
        paragraphs.append(
            f"Against the baseline, {e(data.label(baseline))}, it adds {d.estimate * 100:.1f} percentage points "
            f"(95% interval {d.ci_low * 100:.1f} to {d.ci_high * 100:.1f}"
            f"{', paired' if d.paired else ''}).")
    uncertainty = data.json.get("uncertainty", "Monte Carlo error only")
    worlds = ("" if data.worlds is None else
              " How far the contested judgements move these numbers is in "
              "<a href=\"#worlds\">What the evidence leaves open</a>.")
    paragraphs.append(
        f"<em>What the intervals mean.</em> {e(uncertainty[:1].upper() + uncertainty[1:])}.{worlds} The numbers "
        "are consequences of the scenario's assumptions (listed with their sources below), not forecasts.")
    return paragraphs


# --- tables -------------------------------------------------------------------------------------

def _digits(row, unit: str) -> int:
    if unit == "months":
        return 0
    return 2 if unit == "probability" or abs(row.estimate) >= 0.1 else 3


def _shown(row, unit: str) -> str:
    """The estimate as the matrix shows it."""
    return f"{row.estimate:.{_digits(row, unit)}f}"


def _cell(row, unit: str) -> str:
    if row is None or pd.isna(row.estimate):
        return "—"
    digits = _digits(row, unit)
    text = _shown(row, unit)
    if not pd.isna(row.ci_low):
        text += f"<span class=ci> [{row.ci_low:.{digits}f}, {row.ci_high:.{digits}f}]</span>"
    if str(row.given):
        text += f"<span class=n>n = {int(row.n):,}</span>"
    return text


def matrix(data: RunData, metrics) -> dict:
    """Options (rows, best on the key metric first) × metrics: HTML cells."""
    glossary = data.json.get("glossary", {})
    metrics = [m for m in metrics if (data.summary["metric"] == m).any()]
    order = list(compare.ranking(data.summary, KEY_METRIC)["option"])
    order += [o for o in data.options if o not in order]
    best = {m: compare.ranking(data.summary, m) for m in metrics
            if data.summary.loc[data.summary["metric"] == m, "estimate"].notna().any()}
    header = []
    for m in metrics:
        entry = glossary.get(m, {})
        header.append({"metric": m, "label": entry.get("label", style.metric_label(m)),
                       "unit": entry.get("unit", style.metric_unit(m)), "over": entry.get("over", ""),
                       "better": "higher is better" if compare.better_is_higher(m) else "lower is better"})
    for h in header:  # a column whose options all read the same (e.g. all 0.00) has no best
        shown = {_shown(r, h["unit"]) for o in order
                 if (r := _row(data, o, h["metric"])) is not None and not pd.isna(r.estimate)}
        if len(shown) <= 1:
            best.pop(h["metric"], None)
    rows = []
    for option in order:
        cells = []
        for h in header:
            row = _row(data, option, h["metric"])
            ranked = best.get(h["metric"])
            mark = ""
            if ranked is not None and row is not None and not pd.isna(row.estimate):
                if ranked["option"].iloc[0] == option:
                    mark = "best"
                elif bool(ranked.set_index("option").loc[option, "within_noise"]):
                    mark = "tie"
            cells.append({"html": _cell(row, h["unit"]), "mark": mark})
        rows.append({"option": option, "label": data.label(option), "cells": cells,
                     "baseline": option == data.json.get("baseline")})
    return {"header": header, "rows": rows}


def glossary_entries(data: RunData) -> list[dict]:
    return [{"metric": k, "label": v.get("label", k), "definition": v.get("definition", ""),
             "unit": v.get("unit", ""), "over": v.get("over", "")} for k, v in data.json.get("glossary", {}).items()]


# --- formulas and sources -------------------------------------------------------------------------

def _describe(value: Any) -> str:
    """A YAML field as text: 0.8, 'triangular(0.243, 0.729, 1.21)', 'beta(a=2, b=2)'."""
    if isinstance(value, dict):
        if "value" in value:
            return _describe(value["value"])
        if "dist" in value:
            params = {k: v for k, v in value.items() if k not in ("dist", "source", "assumption")}
            if value["dist"] == "triangular" and {"low", "mode", "high"} <= params.keys():
                return f"triangular({params['low']}, {params['mode']}, {params['high']})"
            return f"{value['dist']}(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"
        return ", ".join(f"{k}: {_describe(v)}" for k, v in value.items() if k not in ("source", "assumption"))
    if isinstance(value, list):
        return ", ".join(_describe(v) for v in value)
    return str(value)


# The instrument fields a reader needs to see what a formula promises.
FORMULA_FIELDS = (("response", "promises"), ("weak_response", "under the weak reading"),
                  ("covers", "covers"), ("audience_cost", "audience cost"), ("ambiguity", "ambiguity"),
                  ("ratification", "P(ratified)"), ("share", "share of capability"), ("aid", "aid per month"),
                  ("troops", "troops"), ("red_line", "declared red line"))


def _sources_for(data: RunData, prefixes) -> list[dict]:
    out = []
    for entry in data.provenance.get("parameters", []):
        key = entry.get("key_path", "")
        if any(key.startswith(p) for p in prefixes):
            if entry.get("quote"):
                out.append({"key_path": key, "kind": "source", "seed": entry.get("seed", ""), "text": entry["quote"]})
            elif entry.get("assumption"):
                out.append({"key_path": key, "kind": "assumption", "seed": "", "text": entry["assumption"]})
    return out


def _commitment_field(key: str, value: Any) -> str:
    """A commitment's own field in words; the timing fields as a reader says them."""
    if key == "effective_from":
        return f"in force from month {_describe(value)}"
    if key == "interim" and isinstance(value, dict):
        rest = {k: v for k, v in value.items() if k != "instrument"}
        return f"until then, {value.get('instrument', '')}" + (f" ({_describe(rest)})" if rest else "")
    return f"{key} {_describe(value)}"


def formulas(data: RunData) -> list[dict]:
    """Each option: its commitments grouped by instrument (who promises what, with
    the instrument's main fields) and the sources of those values (seed quotes,
    or the assumption stated in the scenario)."""
    scenario = data.scenario or {}
    presets = dict(((data.presets or {}).get("instruments") or {}))
    for name, fields in (scenario.get("instruments") or {}).items():  # the scenario's own overrides
        presets[name] = {**presets.get(name, {}), **(fields or {})}
    guarantor_names = {k: (v or {}).get("name", k) for k, v in (scenario.get("guarantors") or {}).items()}
    written = {o.get("name"): o for o in scenario.get("options") or [] if isinstance(o, dict)}
    out = []
    for option in data.options:
        spec = written.get(option, {})
        groups: dict[str, dict] = {}
        for commitment in spec.get("commitments") or []:
            instrument = str(commitment.get("instrument", ""))
            group = groups.setdefault(instrument, {"instrument": instrument, "guarantors": [], "overrides": []})
            who = guarantor_names.get(commitment.get("guarantor"), commitment.get("guarantor"))
            group["guarantors"].append(str(who))
            for key, value in commitment.items():
                if key not in ("guarantor", "instrument"):
                    group["overrides"].append(f"{who}: {_commitment_field(key, value)}")
        for group in groups.values():
            preset = presets.get(group["instrument"], {}) or {}
            group["description"] = " ".join(str(preset.get("description", "")).split())
            group["fields"] = [(label, _describe(preset[key])) for key, label in FORMULA_FIELDS if key in preset]
        instruments = list(groups)
        sources = _sources_for(data, [f"instruments.{i}." for i in instruments] + [f"options.{option}."])
        if option == "no_guarantee" and not spec:
            note = "Added by the loader: the same guarantors, no promise (the yardstick of “deterrence added”)."
        elif not spec:
            note = "Not in the scenario file given to the report."
        else:
            note = ""
        out.append({"option": option, "label": data.label(option), "groups": list(groups.values()),
                    "sources": sources, "note": note, "leader": spec.get("leader", "")})
    return out


# --- figures ------------------------------------------------------------------------------------

def _inline(fig, prefix: str) -> str:
    """The figure as inline SVG, its ids prefixed so that several figures can share a page."""
    import matplotlib.pyplot as plt

    svg = style.svg_text(fig)
    plt.close(fig)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)  # RDF boilerplate, not for a page
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{prefix}-\1)', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{prefix}-caption" ', 1)
    return svg


def figures(data: RunData) -> list[dict]:
    """The key figures as inline SVG with a caption each."""
    baseline = data.json.get("baseline")
    horizon = data.json.get("horizon")
    out = []
    fig = compare.comparison_figure(data.summary, compare.HEADLINE, baseline=baseline)
    out.append({"id": "fig-headline", "svg": _inline(fig, "fig-headline"),
                "caption": "Acceptance and deterrence per option: the estimate (marker) and its 95% interval "
                           "(bar, often narrower than the marker). Options in the order of P(deal and no armed "
                           "attack); a hollow marker is within Monte Carlo noise of the panel's best; n is the "
                           "number of trials with a deal behind a conditional metric."})
    fig = survival_module.survival_figure(data.survival, baseline=baseline, over="all", curve="no_armed_attack",
                                          trials=int(data.provenance.get("trials", 0)) or None)
    out.append({"id": "fig-survival", "svg": _inline(fig, "fig-survival"),
                "caption": f"How long the peace holds: the share of all trials with a deal and no armed attack by "
                           f"month t{f' (to month {horizon})' if horizon else ''}. A refused deal counts as no "
                           "peace, so an option that is rarely accepted cannot look safe on the few trials where "
                           "it is."})
    points = frontier.frontier_points(data.summary, "p_deal", "p_no_armed_attack")
    fig = frontier.frontier_figure(points, labels=data.labels)
    out.append({"id": "fig-frontier", "svg": _inline(fig, "fig-frontier"),
                "caption": "The trade-off between acceptance (P(deal)) and deterrence once agreed (P(no armed "
                           "attack | deal)). Ringed: options no other beats on both. Dotted: equal P(deal and no "
                           "armed attack)."})
    metrics = [m for m in ("p_armed_defence", "p_armed_defence_perceived", "territory_lost")
               if (data.summary["metric"] == m).any()]
    if metrics:
        fig = compare.comparison_figure(data.summary, metrics, baseline=baseline, key_metric=KEY_METRIC,
                                        title="Credibility and cost: armed defence if attacked, as it is and as "
                                              "the challenger sees it, and territory lost")
        out.append({"id": "fig-credibility", "svg": _inline(fig, "fig-credibility"),
                    "caption": "P(armed defence | major attack) is the one credibility yardstick for every option: "
                               "the probability that at least one guarantor fights, or its troops engage, if a major "
                               "attack came in month 1. Territory lost counts the war that goes on without a deal."})
    return out


# --- the page -----------------------------------------------------------------------------------

def _environment():
    try:
        import jinja2
    except ImportError as error:  # pragma: no cover - the message is the point
        raise ImportError("the report needs jinja2: apt-get install python3-jinja2 (.ci/bootstrap installs it)") \
            from error
    return jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.dirname(__file__)),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render(data: RunData) -> str:
    """The report's HTML text."""
    import jinja2

    provenance = data.provenance
    overrides = provenance.get("overrides") or []
    worlds = worlds_section(data)
    if worlds:
        worlds = {**worlds, "figure": jinja2.utils.markupsafe.Markup(worlds["figure"])}
    context = {
        "title": f"Security guarantees compared: {provenance.get('scenario', '')}",
        "description": " ".join(str((data.scenario or {}).get("description", "")).split()),
        "summary": [jinja2.utils.markupsafe.Markup(p) for p in summary_paragraphs(data)],
        "matrix": matrix(data, MATRIX_METRICS),
        "full_matrix": matrix(data, list(data.json.get("glossary", {}))),
        "glossary": glossary_entries(data),
        "figures": [{**f, "svg": jinja2.utils.markupsafe.Markup(f["svg"])} for f in figures(data)],
        "formulas": formulas(data),
        "has_scenario": data.scenario is not None,
        "intervals": data.json.get("intervals", {}),
        "uncertainty": data.json.get("uncertainty", ""),
        "paired": data.trials is not None,
        "baseline": data.label(data.json.get("baseline", "")) if data.json.get("baseline") else "",
        "provenance": [
            ("Scenario", provenance.get("scenario", "")),
            ("Scenario file", data.scenario_path or provenance.get("scenario_file", "")),
            ("Scenario SHA-256", provenance.get("scenario_sha256", "")),
            ("Seed", provenance.get("seed", "")),
            ("Trials", f"{int(provenance.get('trials', 0)):,}"),
            ("credsim version", provenance.get("version", "")),
            ("Horizon", f"{data.json.get('horizon')} months" if data.json.get("horizon") else ""),
            ("Overrides (--set)", "; ".join(map(str, overrides)) if overrides else "none"),
        ],
        "worlds": worlds,
        "worlds_note": ("The intervals in the figures are Monte Carlo error; the spread across plausible worlds "
                        "is in the next section." if worlds else
                        "Only Monte Carlo error is shown. For the spread across plausible worlds (the contested "
                        "judgements the scenario marks as epistemic), run `credsim report --worlds M`."),
        "generated": provenance.get("version", ""),
    }
    return _environment().get_template("template.html.j2").render(**context)


def write_report(results: Any, path: str | os.PathLike, *, scenario: Any = None,
                 pdf: str | os.PathLike | bool | None = None) -> Path:
    """Write the brief for `results` (a credsim.Results, a run's folder, or RunData)
    to `path` (.html), atomically; returns its path. `scenario` (a file or a
    credsim.Scenario) adds each option's formula and the sources of its values;
    without it (and without Results.scenario) that section says what is missing.
    `pdf=True` (or a path) also prints it to PDF through headless Chromium."""
    data = run_data(results, scenario)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render(data)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".report-", suffix=".html",
                                     delete=False) as f:
        f.write(text)
        temporary = f.name
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # as an ordinary file, not the temporary file's 0600
    os.replace(temporary, path)
    if pdf:
        print_pdf(path, path.with_suffix(".pdf") if pdf is True else Path(pdf))
    return path


def chromium() -> str | None:
    """Debian's headless-capable Chromium, if installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(*arguments: str) -> list[str]:
    """chromium --headless with the flags a container needs, and a throwaway profile."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("headless Chromium is not installed: apt-get install chromium (.ci/bootstrap "
                                "installs it)")
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", *arguments]


def print_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, timeout: float = 180) -> Path:
    """Print the report to PDF with headless Chromium (A4, the page's print style)."""
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    with tempfile.TemporaryDirectory(prefix="credsim-chromium-") as profile:
        temporary = pdf_path.with_name(f".{pdf_path.name}.partial")
        command = chromium_command(f"--user-data-dir={profile}", "--no-pdf-header-footer",
                                   f"--print-to-pdf={temporary}", html_path.as_uri())
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not temporary.is_file() or temporary.stat().st_size == 0:
            raise RuntimeError(f"chromium could not print {html_path} to PDF (exit {done.returncode}): "
                               f"{done.stderr.strip()[-800:]}")
        os.replace(temporary, pdf_path)
    return pdf_path


__all__ = ["write_report", "render", "run_data", "RunData", "paired_difference", "unpaired_difference",
           "summary_paragraphs", "matrix", "formulas", "print_pdf", "chromium", "chromium_command"]
