"""Survival curves: the share of trials with no armed attack (or, with
curve="no_major_attack", no major attack) by month t, per option. Over all
trials by default (a refused deal counts as no peace, as in P(deal and no armed
attack)): a curve over the trials with a deal only would make an option that is
almost never accepted look best, on few trials. A table holds one curve per
option and `curve` name; every function here shows one curve, by default the
table's first (no_armed_attack)."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import style
from ._common import require_columns, with_note

Z95 = 1.959963984540054


def wilson(successes, n) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of successes/n (arrays)."""
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    p = np.divide(successes, n, out=np.full_like(successes, np.nan), where=n > 0)
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def one_curve(survival: pd.DataFrame, curve: str | None = None, who: str = "survival") -> pd.DataFrame:
    """The rows of one survival curve (`curve`: a name in the `curve` column;
    None: the table's first). A table without a `curve` column (a file written
    before there were several curves) holds the no_armed_attack curve only."""
    if "curve" not in survival:
        if curve not in (None, "no_armed_attack"):
            raise ValueError(f"{who}: the table has no 'curve' column, so only the no_armed_attack curve")
        return survival
    names = list(survival["curve"].drop_duplicates())
    chosen = names[0] if curve is None and names else curve
    if chosen not in names:
        raise ValueError(f"{who}: no survival curve {curve!r}; the table has: {', '.join(map(str, names))}")
    frame = survival[survival["curve"] == chosen]
    frame.attrs = dict(survival.attrs)
    return frame


def _event(curve: str | None) -> str:
    """'armed attack' for no_armed_attack: the event a curve counts, for axis labels."""
    name = curve or "no_armed_attack"
    return name[3:].replace("_", " ") if name.startswith("no_") else name.replace("_", " ")


def _total_trials(survival: pd.DataFrame, trials: int | None) -> int:
    if trials is not None:
        return int(trials)
    value = (survival.attrs.get("provenance") or {}).get("trials")
    if value in (None, ""):
        raise ValueError("survival over all trials needs the number of trials: pass trials=N, or a table whose "
                         ".attrs['provenance'] has it (credsim.run, credsim.load, io.read_csv all do)")
    return int(value)


def over_all_trials(survival: pd.DataFrame, trials: int | None = None, curve: str | None = None) -> pd.DataFrame:
    """The survival table over all trials: P(deal and no armed attack by month t)
    = survivors / trials, with its 95% Wilson interval (at t = 0 it is P(deal)).
    `trials`: the run's trial count (default: from the table's provenance);
    `curve`: as in survival_figure."""
    require_columns(survival, ["option", "t", "at_risk", "survival"], "over_all_trials")
    survival = one_curve(survival, curve, "over_all_trials")
    n = _total_trials(survival, trials)
    frame = survival.copy()
    survivors = frame["survivors"] if "survivors" in frame else (frame["survival"] * frame["at_risk"]).round()
    frame["survivors"] = survivors.fillna(0).astype(int)
    frame["at_risk"] = n
    frame["survival"] = frame["survivors"] / n
    frame["ci_low"], frame["ci_high"] = wilson(frame["survivors"], np.full(len(frame), n))
    frame.attrs = dict(survival.attrs)
    return frame


def _spread(targets: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights near `targets` (in order) at least `gap` apart, inside [low, high]."""
    order = np.argsort(targets)
    placed = np.array(targets, dtype=float)[order]
    for _ in range(200):
        moved = False
        for i in range(1, len(placed)):
            if placed[i] - placed[i - 1] < gap:
                middle = (placed[i] + placed[i - 1]) / 2
                placed[i - 1], placed[i] = middle - gap / 2, middle + gap / 2
                moved = True
        placed = np.clip(placed, low, high)
        if not moved:
            break
    for i in range(1, len(placed)):  # clipping at the edges may leave overlaps: push upwards
        placed[i] = max(placed[i], placed[i - 1] + gap)
    result = np.empty_like(placed)
    result[order] = placed
    return list(result)


@style.styled
def survival_figure(
    survival: pd.DataFrame,
    options: Sequence[str] | None = None,
    *,
    over: str = "all",
    trials: int | None = None,
    band: bool = True,
    labels: Mapping[str, str] | None = None,
    baseline: str | None = None,
    title: str | None = None,
    curve: str | None = None,
) -> Figure:
    """One step curve per option with its 95% Wilson band, each labelled at its
    right end. over="all" (default): P(deal and no armed attack by month t) over
    all trials; over="deal": P(no armed attack by month t | deal), over the
    trials with a deal, with n per option in its label. `curve`: which survival
    curve (default the table's first, no_armed_attack; "no_major_attack" counts
    major attacks only). The title states which option ends highest, and
    whether the next one is within the noise."""
    if over not in ("all", "deal"):
        raise ValueError(f"survival_figure: over is {over!r}, but must be 'all' or 'deal'")
    require_columns(survival, ["option", "t", "survival", "ci_low", "ci_high"], "survival_figure")
    survival = one_curve(survival, curve, "survival_figure")
    event = _event(None if "curve" not in survival else str(survival["curve"].iloc[0]))
    names = style.option_labels(survival, labels)
    options = list(options) if options is not None else list(survival["option"].drop_duplicates())
    missing = [o for o in options if not (survival["option"] == o).any()]
    if missing:
        raise ValueError(f"survival_figure: no option {missing[0]!r} in the survival table")
    table = over_all_trials(survival, trials) if over == "all" else survival
    table = table[table["option"].isin(options)]
    styles = style.option_styles(options, baseline)
    label_width = max(min(max(len(names.get(o, o)) for o in options), 34), 12)
    label_inches = 0.6 + 0.085 * label_width
    fig, ax = style.figure(figsize=(7.0 + label_inches, 4.6 + 0.3 * max(len(options) - 4, 0)))
    horizon = int(table["t"].max())
    ends = {}
    for option in options:
        curve = table[table["option"] == option].sort_values("t")
        look = styles[option]
        ax.step(curve["t"], curve["survival"], where="post", color=look["color"], linewidth=2.2)
        marks = curve[curve["t"].isin(np.linspace(0, horizon, 5).round())]
        ax.plot(marks["t"], marks["survival"], linestyle="", marker=look["marker"], color=look["color"],
                markeredgecolor="0.1", markeredgewidth=0.5, markersize=6.5)
        if band:
            ax.fill_between(curve["t"], curve["ci_low"], curve["ci_high"], step="post", color=look["color"],
                            alpha=0.18, linewidth=0)
        last = curve.iloc[-1]
        ends[option] = (float(last["survival"]), float(last["ci_low"]), float(last["ci_high"]),
                        int(curve["at_risk"].iloc[0]) if "at_risk" in curve else None)
    top = max(float(table["ci_high"].max()), 0.05)
    ax.set_ylim(0, min(1.02, top * 1.08 + 0.02))
    ax.set_xlim(0, horizon)
    ax.set_xlabel("months after the ceasefire [months]")
    if over == "all":
        ax.set_ylabel(f"P(deal and no {event} by month t)\n[probability, over all trials]")
    else:
        ax.set_ylabel(f"P(no {event} by month t | deal)\n[probability, trials with a deal]")
    if title is None:
        ranked = sorted(options, key=lambda o: -ends[o][0])
        best = ranked[0]
        value, low, high, _ = ends[best]
        kept = "at peace" if event == "armed attack" else f"free of {event}s"
        title = f"{names.get(best, best)} keeps the most {'trials' if over == 'all' else 'deals'} {kept} " \
                f"through month {horizon}: {value:.2f} [{low:.2f}, {high:.2f}]"
        if len(ranked) > 1:
            second = ends[ranked[1]]
            if second[2] >= low:
                title += f"; {names.get(ranked[1], ranked[1])} is within noise of it"
    note = "shaded: 95% interval" if band else ""
    subtitle = with_note("", survival).strip().strip("()")
    ax.set_title(style.wrap(title, int(13 * fig.get_figwidth())) + "\n" + ", ".join(p for p in (subtitle, note) if p),
                 fontsize=12)
    legend_handles = [ax.plot([], [], color="0.3", linewidth=2.2, label="an option (label at its curve's end)")[0]]
    ax.legend(handles=legend_handles, loc="lower left", frameon=False)
    fig.tight_layout(rect=(0, 0, 1 - label_inches / fig.get_figwidth(), 1))

    # Direct labels at the right end of each curve, spread so that none overlaps another
    # (placed after the layout: the spacing is in points on the final axes).
    y_low, y_high = ax.get_ylim()
    height_points = ax.get_window_extent().height * 72 / fig.dpi
    texts = []
    for option in options:
        text = style.wrap(names.get(option, option), 34)
        if over == "deal" and ends[option][3] is not None:
            text += f" (n = {ends[option][3]:,})"
        texts.append(text)
    gap = max((t.count("\n") + 1) * 14.0 + 3.0 for t in texts) * (y_high - y_low) / height_points
    heights = _spread([ends[o][0] for o in options], gap, y_low + gap / 2, y_high - gap / 2)
    for option, text, height in zip(options, texts, heights):
        ax.annotate(text, (horizon, ends[option][0]), xytext=(horizon * 1.04, height),
                    textcoords="data", va="center", ha="left", fontsize=10, color="0.1", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": styles[option]["color"], "linewidth": 1.2,
                                "shrinkA": 0, "shrinkB": 2})
    return fig


def survival_at(survival: pd.DataFrame, months: Sequence[int] = (12, 36, 60, 120), *, over: str = "deal",
                trials: int | None = None, curve: str | None = None) -> pd.DataFrame:
    """The survival at a few months, one row per option, as 'estimate [ci_low,
    ci_high]': over="deal" (default) P(no attack by month t | deal); over="all"
    P(deal and no attack by month t). `curve`: as in survival_figure."""
    require_columns(survival, ["option", "t", "survival", "ci_low", "ci_high"], "survival_at")
    survival = one_curve(survival, curve, "survival_at")
    table = over_all_trials(survival, trials) if over == "all" else survival
    rows = table[table["t"].isin(months)]
    text = rows.assign(value=[f"{r.survival:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]" for r in rows.itertuples()])
    frame = text.pivot(index="option", columns="t", values="value")
    frame.columns = [f"month {t}" for t in frame.columns]
    return frame.loc[rows["option"].drop_duplicates()]
