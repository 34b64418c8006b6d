"""Survival curves: P(no attack by month t), per option, over the trials with
a deal (the engine follows the conflict only after an accepted settlement)."""
from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure

from . import style
from ._common import require_columns, with_note


def survival_figure(
    survival: pd.DataFrame,
    options: Sequence[str] | None = None,
    *,
    band: bool = True,
    labels: Mapping[str, str] | None = None,
    title: str = "P(no attack by month t), given a deal",
) -> Figure:
    """One step curve per option with its 95% Wilson band; the legend lists the
    options from the highest to the lowest curve at the horizon."""
    require_columns(survival, ["option", "t", "survival", "ci_low", "ci_high"], "survival_figure")
    options = list(options) if options is not None else list(survival["option"].drop_duplicates())
    fig, ax = style.figure(figsize=(10.5, 5.8))
    horizon = survival["t"].max()
    final = {}
    for option in options:
        curve = survival[survival["option"] == option].sort_values("t")
        if curve.empty:
            raise ValueError(f"survival_figure: no option {option!r} in the survival table")
        color = style.option_color(option)
        at_risk = int(curve["at_risk"].iloc[0]) if "at_risk" in curve else None
        name = (labels or {}).get(option, option)
        label = f"{name} (n = {at_risk:,})" if at_risk is not None else name
        line, = ax.step(curve["t"], curve["survival"], where="post", color=color, linewidth=2, label=label)
        if band:
            ax.fill_between(curve["t"], curve["ci_low"], curve["ci_high"], step="post", color=color, alpha=0.15, linewidth=0)
        final[line] = curve["survival"].iloc[-1]
    ordered = sorted(final, key=lambda line: -final[line])
    ax.legend(handles=ordered, labels=[h.get_label() for h in ordered], title="option (trials with a deal)",
              loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("months after the ceasefire [months]")
    ax.set_ylabel("P(no attack by month t | deal) [probability]")
    ax.set_title(with_note(title, survival) + ("; shaded: 95% interval" if band else ""))
    fig.tight_layout()
    return fig


def survival_at(survival: pd.DataFrame, months: Sequence[int] = (12, 36, 60, 120)) -> pd.DataFrame:
    """P(no attack by month t | deal) at a few months, one row per option, as
    'estimate [ci_low, ci_high]'."""
    require_columns(survival, ["option", "t", "survival", "ci_low", "ci_high"], "survival_at")
    rows = survival[survival["t"].isin(months)]
    text = rows.assign(value=[f"{r.survival:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]" for r in rows.itertuples()])
    table = text.pivot(index="option", columns="t", values="value")
    table.columns = [f"month {t}" for t in table.columns]
    return table.loc[rows["option"].drop_duplicates()]
