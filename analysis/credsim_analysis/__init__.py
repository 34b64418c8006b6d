"""Plots and analyses of credsim results, for policy analysts in Jupyter.

Every figure function takes pandas DataFrames (from `credsim.run`, the Study
of `credsim.sweep` / `credsim.sensitivity`, the table of `credsim.experiment`, or the CLI's CSV files via `io`),
returns a matplotlib Figure and writes nothing; `save(fig, path)` writes it as
a 150 dpi PNG. Colours follow the option name, so an option keeps its colour
across every figure.

    from credsim_analysis import compare, survival, frontier, sweep, sensitivity, discovery, experiment_plots, io, variants, save
"""
from . import compare, discovery, experiment_plots, frontier, io, sensitivity, style, survival, sweep, variants
from .style import save

__all__ = ["compare", "discovery", "experiment_plots", "frontier", "io", "sensitivity", "style", "survival", "sweep", "variants", "save"]
