"""Small helpers shared by the figure modules."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.text import Text
from matplotlib.transforms import Bbox


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


def _alignment(dx: float, dy: float) -> tuple[str, str]:
    """Text alignment that puts a label on the far side of its offset."""
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return ha, va


def _distance(box: Bbox, point) -> float:
    """Pixels from a point to the nearest edge of a box (0 inside)."""
    px, py = point
    return float(np.hypot(max(box.x0 - px, 0.0, px - box.x1), max(box.y0 - py, 0.0, py - box.y1)))


# Offsets in points: first next to the point, then further out (with a leader line).
_NEAR = [(7, 5), (7, -5), (-7, 5), (-7, -5), (0, 10), (0, -10)]
_FAR = [(r * dx, r * dy) for r in (24, 40, 56)
        for dx, dy in ((1, 0.6), (1, -0.6), (-1, 0.6), (-1, -0.6), (0, 1), (0, -1), (0.5, 1), (0.5, -1),
                       (0.2, 1), (1, 1.2), (1, 0.2), (1, -0.2), (-1, 0.2), (-1, -0.2), (-0.5, 1), (-0.5, -1))]
_LEADER = {"arrowstyle": "-", "color": "0.55", "linewidth": 0.8, "shrinkA": 0, "shrinkB": 5}


def _annotate(ax, renderer, text, xy, offset, fontsize, leader=False):
    """A label at `offset` points from `xy`, and the box of its text (not of its leader line)."""
    ha, va = _alignment(*offset)
    label = ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                        color="0.15", zorder=6, **({"arrowprops": _LEADER} if leader else {}))
    label.update_positions(renderer)
    return label, Text.get_window_extent(label, renderer)


def place_labels(ax, xs, ys, texts, fontsize: float = 10) -> None:
    """Annotate points so that close points stay readable. Each label tries
    offsets, first next to its point and then further out with a thin leader
    line, and takes the first whose text stays inside the axes and overlaps no
    label already placed, no other point and not the legend; a label next to
    its point must be nearer to it than to any other point, and a leader line
    must not cross another point or label. The most crowded points choose
    first (greedy; a label that fits nowhere goes next to its point). Call it
    last, after the axis limits, the legend and `tight_layout` (which moves
    the axes under labels placed before it)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    xs, ys, texts = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), list(texts)
    points = ax.transData.transform(np.column_stack([xs, ys]))
    radius = 6 * fig.dpi / 72  # about a marker
    marks = [Bbox.from_extents(px - radius, py - radius, px + radius, py + radius) for px, py in points]
    frame = ax.get_window_extent(renderer)
    legend = ax.get_legend()
    placed = [legend.get_window_extent(renderer)] if legend is not None else []
    nearest = [min((float(np.hypot(*(p - q))) for j, q in enumerate(points) if j != i), default=np.inf)
               for i, p in enumerate(points)]
    candidates = [(False, o) for o in _NEAR] + [(True, o) for o in _FAR]

    def fits(box, i, far, offset, strict) -> bool:
        """strict: clear of labels, points and the legend; relaxed: of labels and the legend only."""
        others = [j for j in range(len(points)) if j != i]
        if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1):
            return False
        if any(box.overlaps(b) for b in placed):
            return False
        if not strict:
            return True
        if any(box.overlaps(marks[j]) for j in others):
            return False
        own = points[i]
        if not far:
            return all(_distance(box, own) <= _distance(box, points[j]) for j in others)
        end = own + np.array(offset) * fig.dpi / 72
        line = [own + t * (end - own) for t in np.linspace(0.15, 1.0, 24)]
        return not any(b.contains(*q) for b in placed + [marks[j] for j in others] for q in line)

    for i in np.argsort(nearest, kind="stable"):
        chosen = None
        for strict in (True, False):
            for far, offset in candidates:
                label, box = _annotate(ax, renderer, texts[i], (xs[i], ys[i]), offset, fontsize, leader=far)
                box = box.expanded(1.05, 1.15)
                if fits(box, i, far, offset, strict):
                    chosen = box
                    break
                label.remove()
            if chosen is not None:
                break
        if chosen is None:  # nowhere free: next to the point
            chosen = _annotate(ax, renderer, texts[i], (xs[i], ys[i]), _NEAR[0], fontsize)[1]
        placed.append(chosen)


def require_single(frame: pd.DataFrame, columns=("option", "metric"), what: str = "figure") -> None:
    """A CSV from `credsim sensitivity` holds every option and metric; a figure
    shows one of each, so ask for a filter rather than mixing them."""
    for column in columns:
        if column in frame.columns and frame[column].nunique() > 1:
            raise ValueError(f"{what}: several values of {column!r} ({sorted(frame[column].unique())[:5]}…); "
                             f"filter to one, e.g. frame[frame[{column!r}] == ...]")
