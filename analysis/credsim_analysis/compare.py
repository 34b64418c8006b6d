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


def comparison_figure(
    summary: pd.DataFrame,
    metrics: Sequence[str] = HEADLINE,
    *,
    baseline: str | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "Guarantee options compared",
) -> Figure:
    """One panel per metric: a dot (estimate) and a bar (95% interval) per option,
    options sorted by the estimate, best at the top. `baseline` draws that
    option's estimate as a dashed line; `labels` renames options on the axis."""
    require_columns(summary, ["option", "metric", "estimate", "ci_low", "ci_high"], "comparison_figure")
    n_options = summary["option"].nunique()
    fig, axes = style.figure(1, len(metrics), figsize=(4.6 * len(metrics), 1.2 + 0.42 * n_options), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        rows = summary[summary["metric"] == metric].sort_values("estimate", na_position="first")
        if rows.empty:
            raise ValueError(f"comparison_figure: no metric {metric!r} in the summary")
        y = range(len(rows))
        for position, row in zip(y, rows.itertuples()):
            color = style.option_color(row.option)
            ax.errorbar(row.estimate, position,
                        xerr=[[row.estimate - row.ci_low], [row.ci_high - row.estimate]],
                        fmt="o", color=color, markersize=7, elinewidth=2.5, capsize=4)
        ax.set_yticks(list(y))
        ax.set_yticklabels([(labels or {}).get(o, o) for o in rows["option"]])
        if baseline is not None and baseline in set(rows["option"]):
            ax.axvline(rows.loc[rows["option"] == baseline, "estimate"].iloc[0], color="0.3", linestyle="--", linewidth=1.2)
        given = rows["given"].iloc[0] if "given" in rows else ""
        article = "an" if given[:1] in tuple("aeiou") else "a"
        ax.set_title(style.metric_label(metric) + (f"\n(over trials with {article} {given})" if given else "\n(over all trials)"))
        ax.set_xlabel(style.axis_label(metric))
        ax.grid(axis="y", alpha=0)
    axes[0][0].set_ylabel("guarantee option")
    handles = [Line2D([], [], color="0.2", marker="o", linewidth=2.5, label="estimate with 95% interval")]
    if baseline is not None:
        handles.append(Line2D([], [], color="0.3", linestyle="--", label=f"baseline ({baseline})"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
    fig.suptitle(with_note(title, summary))
    fig.tight_layout(rect=(0, 0.45 / fig.get_figheight(), 1, 1))
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
