"""A progress bar for long runs: tqdm's notebook widget in Jupyter (when
ipywidgets is installed), its text bar elsewhere."""
from __future__ import annotations

from typing import Callable


def _tqdm_class():
    try:
        import ipywidgets  # noqa: F401  (tqdm.auto warns in Jupyter without it)
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm.std import tqdm
    return tqdm


class ProgressBar:
    """Call it with (done, total) from the engine; close() when the run ends."""

    def __init__(self, description: str, unit: str, enabled: bool = True):
        self._bar = _tqdm_class()(desc=description, unit=unit, disable=not enabled, leave=False)

    def __call__(self, done: int, total: int) -> None:
        if self._bar.total != total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def reporting(description: str, unit: str, enabled: bool, work: Callable[[ProgressBar], object]):
    """Runs work(bar) with a progress bar that is closed however it ends."""
    bar = ProgressBar(description, unit, enabled)
    try:
        return work(bar)
    finally:
        bar.close()
