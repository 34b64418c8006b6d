"""One readable house style: font sizes, figure size, a colour per option and
axis labels with units, so every figure of a report looks and reads the same."""
from __future__ import annotations

import functools
import io
import os
import textwrap
import zlib
from typing import Callable, Iterable, Mapping

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

# Okabe & Ito's colour-blind-safe palette (distinguishable under protanopia,
# deuteranopia and tritanopia), darkest first; yellow last, since it is faint
# on white. The baseline is light grey, "no guarantee" dark grey. Figures add a
# marker shape per option and label options directly, so colour is never the
# only cue (ten options cannot all differ by colour alone).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
BASELINE_GREY = "#999999"
NONE_GREY = "#4D4D4D"
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "p", "h", "<", ">", "*")

# The Ukraine case's options keep these colours in every figure.
OPTION_COLORS = {
    "budapest": BASELINE_GREY,
    "no_guarantee": NONE_GREY,
    "nato_membership": "#0072B2",
    "ratified_treaty": "#000000",
    "art5_style": "#56B4E9",
    "bilateral_assurances": "#CC79A7",
    "israel_style": "#009E73",
    "dmz_patrol": "#E69F00",
    "european_troops": "#D55E00",
    "eu_mutual_assistance": "#F0E442",
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
    "p_no_attack_any": ("P(no attack of any kind | deal)", "probability"),
    "grey_attacks": ("Grey attacks | deal", "attacks"),
    "limited_attacks": ("Limited attacks | deal", "attacks"),
    "first_attack_month": ("Month of first attack | attack of any kind", "months"),
    "major_attack_month": ("Month of major attack | major attack", "months"),
}


def apply() -> None:
    """Set the house style globally, for your own figures. The package's figure
    functions do not call it: they draw inside `styled` and leave matplotlib's
    global settings as they were."""
    mpl.rcParams.update(RC)


def styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorator: run a figure function inside `matplotlib.rc_context(RC)`, so its
    figure has the house style and the caller's rcParams are left unchanged."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(RC):
            return function(*args, **kwargs)
    return wrapper


def figure(nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **kwargs):
    """plt.subplots in the house style (inside a `styled` function, or after `apply`)."""
    return plt.subplots(nrows, ncols, figsize=figsize or FIGSIZE, **kwargs)


def option_color(option: str) -> str:
    """The option's colour on its own: fixed for the Ukraine case's options, from
    the name's checksum otherwise. In a figure use `option_styles`, which gives
    the options of that figure distinct colours and markers."""
    if option in OPTION_COLORS:
        return OPTION_COLORS[option]
    return OKABE_ITO[zlib.crc32(option.encode()) % len(OKABE_ITO)]


def option_colors(options: Iterable[str]) -> list[str]:
    return [option_color(o) for o in options]


def option_styles(options: Iterable[str], baseline: str | None = None) -> dict[str, dict[str, str]]:
    """{option: {"color", "marker"}} for the options of one figure: known options
    keep their colour, the others take the palette's unused colours in order
    (then reuse them); the baseline is grey; every option gets its own marker
    (up to 12), so two options never look the same."""
    options = list(dict.fromkeys(options))
    colors: dict[str, str] = {}
    for option in options:
        if option == baseline:
            colors[option] = BASELINE_GREY
        elif option in OPTION_COLORS and OPTION_COLORS[option] not in colors.values():
            colors[option] = OPTION_COLORS[option]
    free = [c for c in OKABE_ITO if c not in colors.values()] or list(OKABE_ITO)
    k = 0
    for option in options:
        if option not in colors:
            colors[option] = free[k % len(free)]
            k += 1
    known = list(OPTION_COLORS)
    markers = {o: MARKERS[known.index(o)] for o in options if o in known}
    spare = [m for m in MARKERS if m not in markers.values()] or list(MARKERS)
    for i, option in enumerate(o for o in options if o not in markers):
        markers[option] = spare[i % len(spare)]
    return {o: {"color": colors[o], "marker": markers[o]} for o in options}


def option_labels(frame, labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """Option name -> its readable label: `labels` first, then the frame's `label`
    column (Results tables have one), the name last."""
    found: dict[str, str] = {}
    if "label" in getattr(frame, "columns", ()):
        found = {o: str(l) for o, l in zip(frame["option"], frame["label"]) if isinstance(l, str) and l}
    found.update(labels or {})
    return found


def wrap(text: str, width: int = 30) -> str:
    """A long label on several lines, for tick labels and direct labels."""
    return "\n".join(textwrap.wrap(text, width)) or text


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


SAVE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def save(fig: Figure, path: str | os.PathLike) -> str:
    """Write `fig` in the format its file name says: .png (150 dpi), .svg or
    .pdf (vector); creates the folder and returns the path. Another extension
    is an error rather than a PNG under a wrong name. The axis labels are
    passed explicitly to the tight bounding box: matplotlib otherwise ignores a
    long label's width there and can crop its end."""
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lower()
    if extension not in SAVE_FORMATS:
        raise ValueError(f"save: {path!r}: give a file name ending in {', '.join(SAVE_FORMATS)}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    labels = [axis.label for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) if axis.label.get_text()]
    extra = fig.get_default_bbox_extra_artists() + labels
    metadata = {"Date": None} if extension == ".svg" else {"CreationDate": None} if extension == ".pdf" else {}
    with mpl.rc_context({"svg.hashsalt": "credsim", "svg.fonttype": "path"}):
        fig.savefig(path, dpi=DPI, bbox_inches="tight", bbox_extra_artists=extra, format=SAVE_FORMATS[extension],
                    metadata=metadata)
    return path


def svg_text(fig: Figure) -> str:
    """The figure as an <svg> element (no XML prolog), to inline in HTML; the
    same tight bounding box as `save`. Text is drawn as paths, so the figure
    looks the same without its fonts."""
    labels = [axis.label for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) if axis.label.get_text()]
    extra = fig.get_default_bbox_extra_artists() + labels
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "credsim", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", bbox_extra_artists=extra, metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


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
