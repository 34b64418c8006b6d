"""Option comparison: each metric per option with its 95% interval, sorted, so
the ranking and whether two options are distinguishable show at a glance."""
from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import style
from ._common import require_columns, with_note

HEADLINE = ("p_deal", "p_no_armed_attack", "p_no_armed_attack_all")

# Metrics where less is better; for every other metric more is better.
LOWER_IS_BETTER = frozenset({"territory_lost", "territory_lost_deal", "p_great_power_war", "p_great_power_war_deal",
                             "p_nuclear_use", "p_nuclear_use_deal", "p_major_attack", "p_challenger_wins",
                             "grey_attacks", "limited_attacks"})


def better_is_higher(metric: str) -> bool:
    return metric not in LOWER_IS_BETTER


def ranking(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The options' rows for `metric`, best first (highest, or lowest where less
    is better), with `within_noise`: the option's 95% interval overlaps the best
    option's, so these trials cannot tell the two apart. (An overlap test of
    two separate intervals: stricter than a paired test, which the report uses
    when it has the trials.)"""
    rows = summary[(summary["metric"] == metric) & summary["estimate"].notna()]
    if rows.empty:
        raise ValueError(f"no estimate of metric {metric!r} in the summary")
    rows = rows.sort_values("estimate", ascending=not better_is_higher(metric), kind="stable").reset_index(drop=True)
    best = rows.iloc[0]
    rows["within_noise"] = (rows["ci_low"] <= best["ci_high"]) & (rows["ci_high"] >= best["ci_low"])
    return rows


def _value_text(row, conditional: bool) -> str:
    digits = 2 if row.kind == "probability" or abs(row.estimate) >= 0.1 else 3
    text = f"{row.estimate:.{digits}f}"
    return f"{text}  n={int(row.n):,}" if conditional else text


def finding(summary: pd.DataFrame, metric: str, labels: Mapping[str, str] | None = None) -> str:
    """One sentence from the numbers: which option is best on `metric`, and whether
    the runner-up is within the Monte Carlo noise of it."""
    rows = ranking(summary, metric)
    names = style.option_labels(summary, labels)
    best = rows.iloc[0]
    word = "highest" if better_is_higher(metric) else "lowest"
    text = f"{names.get(best.option, best.option)}: {word} {style.metric_label(metric)} ({best.estimate:.2f})"
    if len(rows) > 1:
        second = rows.iloc[1]
        relation = "within noise of it" if second.within_noise else "clearly behind"
        text += f"; next, {relation}: {names.get(second.option, second.option)} ({second.estimate:.2f})"
    return text


@style.styled
def comparison_figure(
    summary: pd.DataFrame,
    metrics: Sequence[str] = HEADLINE,
    *,
    baseline: str | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    key_metric: str | None = None,
    ncols: int = 3,
) -> Figure:
    """One panel per metric (at most `ncols` a row): a marker (estimate) and a bar
    (95% interval) per option, options in one order for every panel, best on
    `key_metric` at the top (default: P(deal and no armed attack) when shown,
    else the first metric). Each row ends with the estimate, and n where the
    metric is conditional. A hollow marker: within Monte Carlo noise of the
    panel's best option (their intervals overlap). Options are named by their
    labels (the frame's `label` column, or `labels`); `baseline` draws that
    option's estimate as a dashed line. The title states the finding on
    `key_metric` unless `title` is given."""
    require_columns(summary, ["option", "metric", "estimate", "ci_low", "ci_high"], "comparison_figure")
    metrics = list(metrics)
    for metric in metrics:
        if not (summary["metric"] == metric).any():
            raise ValueError(f"comparison_figure: no metric {metric!r} in the summary")
    key = key_metric or ("p_no_armed_attack_all" if "p_no_armed_attack_all" in metrics else metrics[0])
    names = style.option_labels(summary, labels)
    order = list(ranking(summary, key)["option"])
    order += [o for o in summary["option"].drop_duplicates() if o not in order]  # not estimable: at the bottom
    styles = style.option_styles(summary["option"].drop_duplicates(), baseline)
    n_options = len(order)
    ncols = max(1, min(ncols, len(metrics)))
    nrows = -(-len(metrics) // ncols)
    wrapped = [style.wrap(names.get(o, o), 30) for o in order]
    label_lines = max(t.count("\n") + 1 for t in wrapped)
    row_height = 0.34 + 0.17 * label_lines
    panel_height = 1.3 + row_height * n_options
    fig, axes = style.figure(nrows, ncols, figsize=(2.9 + 4.4 * ncols, 1.3 + panel_height * nrows),
                             squeeze=False, sharey=True)
    positions = {o: n_options - 1 - i for i, o in enumerate(order)}  # best at the top
    for index, metric in enumerate(metrics):
        ax = axes[index // ncols][index % ncols]
        rows = summary[summary["metric"] == metric]
        given = str(rows["given"].iloc[0]) if "given" in rows else ""
        ranked = ranking(summary, metric)
        noise = dict(zip(ranked["option"], ranked["within_noise"]))
        best_option = ranked["option"].iloc[0]
        for row in rows.itertuples():
            y = positions[row.option]
            look = styles[row.option]
            if pd.isna(row.estimate):
                ax.text(0.02, y, "no estimate (no trial met the condition)", transform=ax.get_yaxis_transform(),
                        va="center", fontsize=10, color="0.4")
                continue
            hollow = noise.get(row.option, False) and row.option != best_option
            ax.errorbar(row.estimate, y, xerr=[[row.estimate - row.ci_low], [row.ci_high - row.estimate]],
                        fmt=look["marker"], color=look["color"], markersize=8, elinewidth=2.5, capsize=4,
                        markeredgecolor="0.1" if not hollow else look["color"], markeredgewidth=1.6 if hollow else 0.6,
                        markerfacecolor="white" if hollow else look["color"], zorder=3)
            ax.annotate(_value_text(row, bool(given)), (1.0, y), xycoords=ax.get_yaxis_transform(),
                        xytext=(6, 0), textcoords="offset points", va="center", fontsize=10, color="0.15",
                        annotation_clip=False)
        if baseline is not None and baseline in set(rows["option"]):
            ax.axvline(rows.loc[rows["option"] == baseline, "estimate"].iloc[0], color="0.35", linestyle="--",
                       linewidth=1.1, zorder=1)
        kind = rows["kind"].iloc[0] if "kind" in rows else ("probability" if metric.startswith("p_") else "mean")
        if kind == "probability":
            ax.set_xlim(0, 1)
        else:
            low, high = float(rows["ci_low"].min()), float(rows["ci_high"].max())
            pad = 0.08 * (high - min(low, 0.0) or 1.0)
            ax.set_xlim(min(low, 0.0) - (pad if low < 0 else 0), high + pad)
        over = f"given {'an' if given[:1] in tuple('aeiou') else 'a'} {given}; n per option" if given else "all trials"
        ax.set_title(f"{style.metric_label(metric)}\n({over})", fontsize=12)
        ax.set_xlabel(style.axis_label(metric))
        ax.grid(axis="y", alpha=0)
        ax.set_ylim(-0.6, n_options - 0.4)
    for index in range(len(metrics), nrows * ncols):
        axes[index // ncols][index % ncols].set_visible(False)
    axes[0][0].set_yticks([positions[o] for o in order])
    axes[0][0].set_yticklabels(wrapped)
    for row_axes in axes:
        row_axes[0].set_ylabel("guarantee option")
    handles = [Line2D([], [], color="0.2", marker="o", linewidth=2.5, label="estimate, bar: 95% interval"),
               Line2D([], [], color="0.2", marker="o", markerfacecolor="white", linestyle="",
                      label="within Monte Carlo noise of the panel's best")]
    if baseline is not None:
        handles.append(Line2D([], [], color="0.35", linestyle="--",
                              label=f"baseline: {style.wrap(names.get(baseline, baseline), 40)}"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
    headline = title if title is not None else finding(summary, key, labels)
    fig.suptitle(with_note(style.wrap(headline, int(24 * fig.get_figwidth())), summary), fontsize=13)
    fig.tight_layout(rect=(0, 0.5 / fig.get_figheight(), 1, 1), w_pad=4.5)
    return fig


def paired_table(paired: pd.DataFrame, metrics: Sequence[str] = HEADLINE, digits: int = 3) -> pd.DataFrame:
    """Option minus baseline per metric as 'estimate [ci_low, ci_high]' text, one
    row per option: differences on the same trials, so much tighter than the
    difference of two separate intervals would suggest."""
    require_columns(paired, ["option", "metric", "estimate", "ci_low", "ci_high"], "paired_table")
    rows = paired[paired["metric"].isin(metrics)].copy()

    def cell(r) -> str:
        if pd.isna(r.estimate):
            return "not estimable"
        return f"{r.estimate:+.{digits}f} [{r.ci_low:+.{digits}f}, {r.ci_high:+.{digits}f}]"

    rows["difference"] = [cell(r) for r in rows.itertuples()]
    table = rows.pivot(index="option", columns="metric", values="difference")
    table = table[[m for m in metrics if m in table.columns]]
    table.columns = [style.metric_label(m) for m in table.columns]
    table.columns.name = f"minus {paired['baseline'].iloc[0]}" if "baseline" in paired else None
    return table.loc[rows["option"].drop_duplicates()]
