"""Running a scenario: the same engine and the same numbers as `credsim run`."""
from __future__ import annotations

import os
from typing import Iterable

from . import _core
from ._checks import MAX_SEED, MAX_THREADS, MAX_TRIALS, names, whole
from .progress import reporting
from .results import Results
from .scenario import Scenario


def run(
    scenario: Scenario,
    trials: int | None = None,
    *,
    precision: float | None = None,
    max_trials: int = 10_000_000,
    seed: int = 1,
    threads: int = 0,
    options: Iterable[str] | None = None,
    trial_rows: bool = False,
    progress: bool = True,
    worlds: int | None = None,
    estimator: str = "plain",
    out: str | os.PathLike | None = None,
) -> Results:
    """Run every option (or `options`) of `scenario` on common random numbers.

    Give `trials` (default 10,000) or `precision` (run until every headline
    probability's 95% half-width is at most this). `threads=0` uses every core;
    the numbers do not depend on it. The GIL is released while the engine runs;
    Ctrl-C (or a kernel interrupt) stops it and raises KeyboardInterrupt.
    `progress` shows a bar of trials done.

    `worlds=M`: plausible worlds, as `credsim run --worlds M` (docs/engine.md):
    the scenario's epistemic fields are drawn once per world, `trials` (default
    2,000) run in each; the results add `worlds`, `across_worlds` (mean, 5-95%
    spread across worlds, Monte Carlo error), `ranks` (P(first), mean rank) and
    `decisive_fields`.

    `estimator="conditional"`: as `credsim run --estimator conditional`, the
    probabilities known given a trial's draws are tallied as probabilities, not
    0/1 outcomes (same expectation, smaller error; docs/engine.md "Estimators").

    `out=DIR`: also write the files `credsim run --out DIR` writes, and keep the
    run's progress in DIR/.credsim-run.checkpoint while it runs: after Ctrl-C
    (KeyboardInterrupt) or a crash the same call resumes from it, with results
    bitwise equal to an uninterrupted run (not with `trial_rows`, whose rows
    would be missing; a worlds run just saves its files at the end). It is the
    CLI's own checkpoint: `credsim run` resumes a run stopped here, and back.
    """
    if estimator not in ("plain", "conditional"):
        raise ValueError(f"estimator is {estimator!r}, but must be 'plain' or 'conditional'")
    if precision is not None and trials is not None:
        raise ValueError("give trials or precision, not both")
    if precision is None and trials is None and worlds is None:
        trials = 10_000
    if worlds is not None:
        if precision is not None or trial_rows or estimator != "plain":
            raise ValueError("worlds runs a fixed number of trials per world, with the plain estimator and "
                             "without trial rows")
        per_world = 2_000 if trials is None else whole("trials", trials, 1, MAX_TRIALS)
        count = whole("worlds", worlds, 2, 1_000_000)
        raw = reporting("credsim run --worlds", "trials", progress, lambda bar: _core.run_worlds(
            scenario._core, names("options", options) or [], count, per_world, whole("seed", seed, 0, MAX_SEED),
            whole("threads", threads, 0, MAX_THREADS), scenario.file_name, bar))
        results = Results(raw["files"], report=raw["report"])
        results.scenario = scenario
        if out is not None:
            results.save(out)
        return results
    raw = reporting("credsim run", "trials", progress, lambda bar: _core.run(
        scenario._core,
        names("options", options) or [],
        0 if trials is None else whole("trials", trials, 1, MAX_TRIALS),
        float(precision or 0.0),
        whole("max_trials", max_trials, 1, MAX_TRIALS),
        whole("seed", seed, 0, MAX_SEED),
        whole("threads", threads, 0, MAX_THREADS),
        bool(trial_rows),
        scenario.file_name,
        bar,
        estimator=estimator,
        out="" if out is None else os.fspath(out),
    ))
    results = Results(raw["files"], raw, report=raw["report"], trials=raw.get("trials"))
    results.scenario = scenario
    return results


def draw_parameters(scenario: Scenario, trials: int, *, seed: int = 1, first: int = 0):
    """The uncertain parameters' values in each trial, exactly as `run` draws them
    for the same seed: a DataFrame with one row per trial and one column per key path."""
    import pandas as pd

    seed = whole("seed", seed, 0, MAX_SEED)
    first = whole("first", first, 0, MAX_TRIALS)
    trials = whole("trials", trials, 1, MAX_TRIALS)
    values = _core.draw_parameters(scenario._core, seed, first, trials)
    frame = pd.DataFrame(values, columns=scenario.uncertain_parameters)
    frame.insert(0, "trial", range(first, first + trials))
    return frame
