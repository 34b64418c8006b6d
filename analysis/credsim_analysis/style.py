"""One readable house style: font sizes, figure size, a colour per option and
axis labels with units, so every figure of a report looks and reads the same."""
from __future__ import annotations

import os
import zlib
from typing import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

FIGSIZE = (9.0, 5.5)
DPI = 150

RC = {
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 14,
    "figure.figsize": FIGSIZE,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
}

# The Ukraine case's options get fixed, distinct colours (baseline grey);
# any other name gets a colour from its checksum, the same in every session.
OPTION_COLORS = {
    "budapest": "#7f7f7f",
    "nato_membership": "#1f77b4",
    "art5_style": "#17becf",
    "bilateral_assurances": "#9467bd",
    "israel_style": "#2ca02c",
    "dmz_patrol": "#ff7f0e",
    "european_troops": "#d62728",
    "eu_mutual_assistance": "#bcbd22",
    "ratified_treaty": "#8c564b",
    "no_guarantee": "#000000",
}

# metric -> (label, unit). The unit is what an analyst reads off the axis.
METRICS = {
    "p_deal": ("P(deal)", "probability"),
    "p_challenger_accepts": ("P(challenger accepts)", "probability"),
    "p_protege_accepts": ("P(protégé accepts)", "probability"),
    "p_ratified": ("P(ratified)", "probability"),
    "p_no_armed_attack": ("P(no armed attack | deal)", "probability"),
    "p_no_armed_attack_all": ("P(deal and no armed attack)", "probability"),
    "p_armed_defence": ("P(armed defence | major attack)", "probability"),
    "p_armed_defence_perceived": ("P(armed defence), as the challenger sees it", "probability"),
    "defence_delivered": ("Defence delivered", "× challenger's power"),
    "deterrence_added": ("Deterrence added", "probability points"),
    "territory_lost": ("Territory lost", "share of territory"),
    "territory_lost_deal": ("Territory lost | deal", "share of territory"),
    "p_great_power_war": ("P(great-power war)", "probability"),
    "p_great_power_war_deal": ("P(great-power war | deal)", "probability"),
    "p_nuclear_use": ("P(nuclear use)", "probability"),
    "p_nuclear_use_deal": ("P(nuclear use | deal)", "probability"),
    "p_major_attack": ("P(major attack | deal)", "probability"),
    "p_challenger_wins": ("P(challenger wins | attack)", "probability"),
    "attack_month": ("Month of attack | attack", "months"),
}


def apply() -> None:
    """Set the house style globally (idempotent); every figure function calls it."""
    mpl.rcParams.update(RC)


def figure(nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **kwargs):
    """plt.subplots in the house style."""
    apply()
    return plt.subplots(nrows, ncols, figsize=figsize or FIGSIZE, **kwargs)


def option_color(option: str) -> str:
    """The option's colour, the same in every figure."""
    if option in OPTION_COLORS:
        return OPTION_COLORS[option]
    palette = plt.get_cmap("tab20").colors
    return mpl.colors.to_hex(palette[zlib.crc32(option.encode()) % len(palette)])


def option_colors(options: Iterable[str]) -> list[str]:
    return [option_color(o) for o in options]


PROMISE_KEPT = "p_promise_kept_"


def metric_label(metric: str) -> str:
    """Human label of a metric, e.g. 'P(no armed attack | deal)'; per guarantor
    'P(promise kept): usa' for p_promise_kept_usa."""
    if metric.startswith(PROMISE_KEPT) and metric not in METRICS:
        return f"P(promise kept): {metric[len(PROMISE_KEPT):]}"
    return METRICS.get(metric, (metric, ""))[0]


def metric_unit(metric: str) -> str:
    """Unit of a metric; per-guarantor metrics (p_promise_kept_<g>) are probabilities."""
    if metric in METRICS:
        return METRICS[metric][1]
    if metric.startswith("p_"):
        return "probability"
    return "value"


def axis_label(metric: str) -> str:
    """'P(no armed attack | deal) [probability]': label and unit, for an axis."""
    return f"{metric_label(metric)} [{metric_unit(metric)}]"


def save(fig: Figure, path: str | os.PathLike) -> str:
    """Write `fig` as a PNG at 150 dpi (creating the folder); returns the path.
    The axis labels are passed explicitly to the tight bounding box: matplotlib
    otherwise ignores a long label's width there and can crop its end."""
    path = os.fspath(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    labels = [axis.label for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) if axis.label.get_text()]
    extra = fig.get_default_bbox_extra_artists() + labels
    fig.savefig(path, dpi=DPI, bbox_inches="tight", bbox_extra_artists=extra, format="png")
    return path


# Scenario fields used as factors in sweeps, sensitivity and discovery:
# key path -> (label, unit). Units follow scenarios/README.md ("Unit system").
FACTORS = {
    "guarantors.usa.resolve": ("US resolve now", "weight on interest"),
    "guarantors.uk.resolve": ("UK resolve now", "weight on interest"),
    "guarantors.france.resolve": ("France resolve now", "weight on interest"),
    "guarantors.germany.resolve": ("Germany resolve now", "weight on interest"),
    "guarantors.poland.resolve": ("Poland resolve now", "weight on interest"),
    "guarantors.eu.resolve": ("EU resolve now", "weight on interest"),
    "instruments.ambiguous_treaty.ambiguity": ("Ambiguity of the Article 5-style text", "P(weak reading)"),
    "options.art5_style.commitments[0].ambiguity": ("Ambiguity of the US Article 5-style commitment", "P(weak reading)"),
    "options.israel_style.commitments[0].instrument": ("US instrument in the Israel-style option",
                                                        "level: arms supply, security assurance"),
    "instruments.ambiguous_treaty.audience_cost": ("Audience cost, Article 5-style", "utility"),
    "instruments.security_assurance.audience_cost": ("Audience cost, bilateral assurance", "utility"),
    "instruments.mutual_assistance.audience_cost": ("Audience cost, EU mutual assistance", "utility"),
    "instruments.defense_treaty.red_line": ("Red line, defence treaty", "utility"),
    "instruments.tripwire.red_line": ("Red line, tripwire", "utility"),
    "settlement.deal_value": ("Russia's value of the deal", "utility"),
    "settlement.continue_value": ("Russia's value of fighting on", "utility"),
    "challenger.strength": ("Russia's strength", "× Ukraine's power"),
    "challenger.growth": ("Russia's growth", "× Ukraine's power per month"),
    "challenger.war_cost.major": ("Russia's cost of a major war", "utility"),
    "challenger.perception_bias": ("Russia's perception bias", "log factor"),
    "challenger.opportunity_rate": ("Opportunity rate h₀", "per month"),
    "challenger.nuclear_war_cost": ("Russia's cost of a nuclear-guarantor war", "utility"),
    "challenger.cost_per_power": ("Russia's cost per unit of power met", "utility"),
    "protege.fortification": ("Ukraine's fortification", "multiplier"),
    "globals.decision_noise": ("Decision noise", "utility"),
}

# A sweep file may name a factor (`name: usa_resolve`); the tables of
# `credsim sweep` / `credsim sensitivity` then use that name, not the key path.
# The names the sweep files in scenarios/sweeps/ use -> their key paths.
FACTOR_NAMES = {
    "usa_resolve": "guarantors.usa.resolve",
    "uk_resolve": "guarantors.uk.resolve",
    "art5_usa_ambiguity": "options.art5_style.commitments[0].ambiguity",
    "perception_bias": "challenger.perception_bias",
    "opportunity_rate": "challenger.opportunity_rate",
    "fortification": "protege.fortification",
    "decision_noise": "globals.decision_noise",
    "usa_instrument_in_israel_style": "options.israel_style.commitments[0].instrument",
}


def factor_label(key_path: str) -> str:
    """'US resolve now [weight on interest]' for a known field (key path or a
    name from FACTOR_NAMES); the key path otherwise."""
    key_path = FACTOR_NAMES.get(key_path, key_path)
    if key_path in FACTORS:
        label, unit = FACTORS[key_path]
        return f"{label} [{unit}]"
    return f"{key_path} [scenario units]"


def factor_name(key_path: str) -> str:
    """'US resolve now' (no unit), for tick labels; the key path when unknown."""
    key_path = FACTOR_NAMES.get(key_path, key_path)
    return FACTORS.get(key_path, (key_path, ""))[0]
