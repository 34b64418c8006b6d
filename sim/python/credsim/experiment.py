"""Experiments: a set of points (a DataFrame of key-path columns, or factor
specs and a sampler) run by the sweep engine of `credsim sweep`, so the
numbers are the CLI's for the same points and seed. Python writes the sweep
file (and the points as its CSV design) into the output folder and runs it."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from . import _core
from ._checks import MAX_SEED, MAX_TRIALS, names, whole
from .scenario import Scenario
from .study import Study, sweep

SAMPLERS = ("grid", "lhs", "sobol")


def _yaml(value: Any) -> str:
    """A scalar or list in YAML flow style (JSON is valid YAML)."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return json.dumps(value)


def _column_factor(name: str, column: pd.Series) -> dict:
    """A sweep-file factor for one design column: its values are its levels."""
    levels = list(dict.fromkeys(column.tolist()))
    if pd.api.types.is_bool_dtype(column):
        raise TypeError(f"design column {name!r}: booleans are not a factor type (use 0/1 or text levels)")
    if pd.api.types.is_integer_dtype(column):
        kind = "integer"
    elif pd.api.types.is_float_dtype(column):
        kind = "real"
    else:
        kind, levels = "categorical", [str(v) for v in levels]
    return {"path": name, "type": kind, "levels": levels}


def _spec_factor(path: str, spec: Any) -> dict:
    """A factor spec: a dict with the sweep file's keys (range, steps, levels,
    type, name), a (low, high) tuple for a real range, or a list of levels."""
    if isinstance(spec, tuple):
        spec = {"range": list(spec)}
    elif isinstance(spec, list):
        spec = {"levels": spec}
    elif not isinstance(spec, Mapping):
        raise TypeError(f"factor {path!r}: give a dict, a (low, high) tuple or a list of levels, not {spec!r}")
    return {"path": path, **spec}


def _scenario_path(scenario: Scenario | str | os.PathLike, folder: Path) -> str:
    """The scenario's file; a scenario built in Python is written into `folder`
    (with its presets file made absolute, so it still resolves there)."""
    if not isinstance(scenario, Scenario):
        return os.path.abspath(os.fspath(scenario))
    path = Path(scenario.base_dir) / scenario.file_name
    if path.is_file() and Scenario.from_file(path).sha256 == scenario.sha256:
        return str(path)
    data = scenario.to_dict()
    if "presets" in data:
        data["presets"] = os.path.join(scenario.base_dir, data["presets"])
    written = folder / "scenario.yaml"
    written.write_text(json.dumps(data, indent=1) + "\n")
    return str(written)


def sweep_text(scenario_path: str, factors: list[dict], design: dict, trials: int, seed: int,
               options: Iterable[str] | None, metrics: Iterable[str] | None) -> str:
    """The sweep file (docs/sweep-format.md) of an experiment."""
    lines = ["credsim_sweep: 1", f"scenario: {_yaml(scenario_path)}", f"trials: {whole('trials', trials, 1, MAX_TRIALS)}",
             f"seed: {whole('seed', seed, 0, MAX_SEED)}"]
    options, metrics = names("options", options), names("metrics", metrics)
    if options:
        lines.append(f"options: {_yaml(options)}")
    if metrics:
        lines.append(f"metrics: {_yaml(metrics)}")
    lines.append("factors:")
    for factor in factors:
        first, *rest = factor.items()
        lines.append(f"  - {first[0]}: {_yaml(first[1])}")
        lines += [f"    {key}: {_yaml(value)}" for key, value in rest]
    lines.append("design:")
    lines += [f"  {key}: {_yaml(value)}" for key, value in design.items()]
    return "\n".join(lines) + "\n"


def wide_table(study: Study, labels: Mapping[str, str]) -> pd.DataFrame:
    """sweep.csv (long) as one row per point and option: point, the factors,
    option, label, then per metric its estimate, ci_low, ci_high and n (the
    trials its condition held in: a conditional metric may rest on few)."""
    long = study.table
    factors = list(long.columns[1:long.columns.get_loc("option")])
    values = long.pivot(index=["point", "option"], columns="metric", values=["estimate", "ci_low", "ci_high", "n"])
    metric_columns = {}
    for metric in dict.fromkeys(long["metric"]):
        metric_columns[metric] = values[("estimate", metric)]
        metric_columns[f"{metric}_ci_low"] = values[("ci_low", metric)]
        metric_columns[f"{metric}_ci_high"] = values[("ci_high", metric)]
        metric_columns[f"{metric}_n"] = values[("n", metric)].astype("Int64")  # absent where the option lacks the metric
    wide = pd.DataFrame(metric_columns).reset_index()
    # Rows in point order, options in the scenario's order.
    order = {name: i for i, name in enumerate(labels)}
    wide = wide.sort_values(["point", "option"], key=lambda c: c.map(order) if c.name == "option" else c)
    points = long[["point", *factors]].drop_duplicates("point")
    wide = points.merge(wide, on="point")
    wide.insert(len(factors) + 2, "label", wide["option"].map(labels))
    wide.attrs["provenance"] = long.attrs.get("provenance", {})
    wide.attrs["out_dir"] = str(study.out_dir)
    return wide


def experiment(
    scenario: Scenario | str | os.PathLike | None,
    design: pd.DataFrame | Mapping[str, Any] | str | os.PathLike,
    *,
    trials: int = 10_000,
    seed: int = 1,
    sampler: str = "grid",
    points: int | None = None,
    sampler_seed: int = 1,
    options: Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    out: str | os.PathLike | None = None,
    threads: int = 0,
    progress: bool = True,
) -> pd.DataFrame:
    """Run `scenario` at every point of `design`; one row per point and option.

    `design` is a DataFrame whose columns are key paths (one row per point;
    integer, real or text columns: text is a categorical factor, e.g.
    instrument presets), or a dict {key path: factor spec} sampled by
    `sampler` ("grid", or "lhs" / "sobol" with `points`), or a sweep file
    (then `scenario` and the other settings come from that file).

    Every point runs `trials` trials of every option with the same `seed`:
    the numbers of `credsim sweep` for the same points and seed. With `out`,
    the sweep file, the points and the CLI's output files are kept there and
    rerunning the same experiment resumes where an interrupted one stopped.
    """
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="credsim-experiment-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if isinstance(design, (str, os.PathLike)):
            sweep_file = Path(design)
            if scenario is not None:
                raise ValueError("a sweep file names its scenario: pass scenario=None")
        else:
            sweep_file = folder / "experiment.yaml"
            sweep_file.write_text(_experiment_text(scenario, design, folder, trials, seed, sampler, points,
                                                   sampler_seed, options, metrics))
        study = sweep(sweep_file, out=folder, threads=threads, progress=progress)
        return wide_table(study, _option_labels(scenario, sweep_file))
    finally:
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)


def _experiment_text(scenario, design, folder: Path, trials, seed, sampler, points, sampler_seed,
                     options, metrics) -> str:
    if scenario is None:
        raise ValueError("give the scenario (a Scenario or its file)")
    if isinstance(design, pd.DataFrame):
        if design.empty:
            raise ValueError("the design has no points")
        design.to_csv(folder / "points.csv", index=False)
        factors = [_column_factor(str(name), design[name]) for name in design.columns]
        spec = {"type": "csv", "file": "points.csv"}
    elif isinstance(design, Mapping):
        if sampler not in SAMPLERS:
            raise ValueError(f"sampler {sampler!r}: use one of {SAMPLERS}")
        factors = [_spec_factor(path, spec) for path, spec in design.items()]
        spec = {"type": sampler}
        if sampler != "grid":
            if not points:
                raise ValueError(f"sampler {sampler!r} needs points=")
            spec["points"] = whole("points", points, 1, 10_000_000)  # sim::kMaxDesignPoints
        if sampler == "lhs":
            spec["seed"] = whole("sampler_seed", sampler_seed, 0, MAX_SEED)
    else:
        raise TypeError(f"design: a DataFrame, a dict of factor specs or a sweep file, not {type(design).__name__}")
    return sweep_text(_scenario_path(scenario, folder), factors, spec, trials, seed, options, metrics)


def _option_labels(scenario, sweep_file: Path) -> dict[str, str]:
    """Option name -> label, in the scenario's order (the sweep file's scenario when none is given)."""
    if scenario is None:
        named = json.loads(_core.yaml_to_json(os.fspath(sweep_file)))["scenario"]
        scenario = sweep_file.parent / named
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_file(scenario)
    return scenario.option_labels
