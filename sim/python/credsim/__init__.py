"""credsim: how credible is a security guarantee?

The same engine as the ``credsim`` command, from Python::

    import credsim
    scenario = credsim.Scenario.from_file("scenarios/ukraine.yaml")
    results = credsim.run(scenario, trials=20_000, seed=1)
    results.summary          # pandas DataFrame, one row per option and metric
    results.save("out/run1"); credsim.load("out/run1")
    stronger_us = scenario.with_values({"guarantors.usa.resolve": 1.2})
    table = credsim.experiment(scenario, {"guarantors.usa.resolve": (0.2, 1.4)}, sampler="lhs", points=20)

Same scenario, seed and version: the same numbers as the CLI, bitwise.
"""
from __future__ import annotations

import os
from pathlib import Path

from ._core import OutputError, RunError, ScenarioError, __version__
from .experiment import experiment
from .results import Results, load_results
from .run import draw_parameters, run
from .scenario import Scenario
from .study import Study, sensitivity, sweep


def load(path: str | os.PathLike) -> Results | Study:
    """An output folder read back: Results for a run's (Results.save, `credsim run`),
    a Study for a sweep's or sensitivity analysis's (experiment(out=...), `credsim sweep`)."""
    folder = Path(path)
    if (folder / "summary.json").is_file():
        return load_results(folder)
    if any((folder / name).is_file() for name in ("sweep.csv", "sobol.csv", "morris.csv")):
        return Study.from_folder(folder)
    raise FileNotFoundError(f"{folder}: neither a run's summary.json nor a study's sweep.csv / sobol.csv")


__all__ = ["Scenario", "Results", "Study", "run", "experiment", "load", "draw_parameters", "sweep",
           "sensitivity", "ScenarioError", "RunError", "OutputError", "__version__"]
