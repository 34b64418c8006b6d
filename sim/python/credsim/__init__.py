"""credsim: how credible is a security guarantee?

The same engine as the ``credsim`` command, from Python::

    import credsim
    scenario = credsim.Scenario.from_file("scenarios/ukraine.yaml")
    results = credsim.run(scenario, trials=20_000, seed=1)
    results.summary          # pandas DataFrame, one row per option and metric
    stronger_us = scenario.with_values({"guarantors.usa.resolve": 1.2})

Same scenario, seed and version: the same numbers as the CLI, bitwise.
"""
from ._core import OutputError, RunError, ScenarioError, __version__
from .results import Results
from .run import draw_parameters, run
from .scenario import Scenario
from .study import Study, sensitivity, sweep

__all__ = ["Scenario", "Results", "Study", "run", "draw_parameters", "sweep", "sensitivity", "ScenarioError", "RunError", "OutputError", "__version__"]
