"""Small helpers shared by the figure modules."""
from __future__ import annotations

import pandas as pd


def provenance_note(frame: pd.DataFrame) -> str:
    """'ukraine, 20,000 trials, seed 1' from a frame's provenance (or '')."""
    p = frame.attrs.get("provenance") or {}
    parts = []
    if p.get("scenario"):
        parts.append(str(p["scenario"]))
    if p.get("trials") not in (None, ""):
        parts.append(f"{int(p['trials']):,} trials")
    elif p.get("trials_per_point") not in (None, ""):  # `credsim sweep` files
        parts.append(f"{int(p['trials_per_point']):,} trials per point")
    if p.get("seed") not in (None, ""):
        parts.append(f"seed {p['seed']}")
    return ", ".join(parts)


def with_note(title: str, frame: pd.DataFrame) -> str:
    note = provenance_note(frame)
    return f"{title}\n({note})" if note else title


def require_columns(frame: pd.DataFrame, columns, what: str) -> None:
    """Fail early, naming the missing columns, rather than deep inside matplotlib."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; have {list(frame.columns)}")


def place_labels(ax, xs, ys, texts, fontsize: float = 10) -> None:
    """Annotate points, trying a few offsets per label and taking the first whose
    text box stays inside the axes and overlaps no label already placed and no
    other point, so close points stay readable (greedy; falls back to the
    first offset). Call it after setting the axis limits."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    offsets = [(7, 5, "left", "bottom"), (7, -5, "left", "top"), (-7, 5, "right", "bottom"),
               (-7, -5, "right", "top"), (0, 10, "center", "bottom"), (0, -10, "center", "top")]
    points = ax.transData.transform(list(zip(xs, ys)))
    frame = ax.get_window_extent(renderer)
    placed = []
    for i, (x, y, text) in enumerate(zip(xs, ys, texts)):
        others = [p for j, p in enumerate(points) if j != i]
        chosen = None
        for dx, dy, ha, va in offsets:
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                                ha=ha, va=va, fontsize=fontsize, color="0.15", zorder=6)
            box = label.get_window_extent(renderer).expanded(1.05, 1.15)
            clear = (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                     and not any(box.overlaps(b) for b in placed) and not any(box.contains(px, py) for px, py in others))
            if clear:
                chosen = (label, box)
                break
            label.remove()
        if chosen is None:
            dx, dy, ha, va = offsets[0]
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                                ha=ha, va=va, fontsize=fontsize, color="0.15", zorder=6)
            chosen = (label, label.get_window_extent(renderer))
        placed.append(chosen[1])


def require_single(frame: pd.DataFrame, columns=("option", "metric"), what: str = "figure") -> None:
    """A CSV from `credsim sensitivity` holds every option and metric; a figure
    shows one of each, so ask for a filter rather than mixing them."""
    for column in columns:
        if column in frame.columns and frame[column].nunique() > 1:
            raise ValueError(f"{what}: several values of {column!r} ({sorted(frame[column].unique())[:5]}…); "
                             f"filter to one, e.g. frame[frame[{column!r}] == ...]")
