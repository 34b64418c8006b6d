"""Plots and analyses of credsim results, for policy analysts in Jupyter.

Every figure function takes pandas DataFrames (from `credsim.run`, the Study
of `credsim.sweep` / `credsim.sensitivity`, the table of `credsim.experiment`, or the CLI's CSV files via `io`),
returns a matplotlib Figure and writes nothing (and leaves matplotlib's global
settings alone); `save(fig, path)` writes it as PNG (150 dpi), SVG or PDF, by
the file's extension. Options are named by their labels, with a colour-blind-
safe colour and a marker each; the Ukraine case's options keep theirs across
every figure. `credsim_analysis.report.write_report(results, path)` writes the
HTML brief of a run (`credsim report`, `Results.report`).

    from credsim_analysis import compare, survival, frontier, sweep, sensitivity, discovery, experiment_plots, io, variants, worlds, save
"""
from . import compare, discovery, experiment_plots, frontier, io, sensitivity, style, survival, sweep, variants, worlds
from .style import save

__all__ = ["compare", "discovery", "experiment_plots", "frontier", "io", "sensitivity", "style", "survival", "sweep",
           "variants", "worlds", "save"]
