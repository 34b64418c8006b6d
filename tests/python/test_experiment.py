"""credsim.experiment: points from a DataFrame or factor specs, run by the
sweep engine, the same numbers as `credsim sweep` for the same points and seed."""
from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest

import credsim

# Factors the model has had since v1; metric names are read from the results.
RESOLVE, RATE = "guarantors.usa.resolve", "challenger.opportunity_rate"
OPTIONS = ["budapest", "art5_style"]

GRID_SWEEP = f"""credsim_sweep: 1
scenario: {{scenario}}
trials: 300
seed: 4
options: [budapest, art5_style]
factors:
  - path: {RESOLVE}
    levels: [0.4, 1.2]
  - path: {RATE}
    levels: [0.005, 0.02]
design:
  type: grid
"""


def grid_points() -> pd.DataFrame:
    """The grid of GRID_SWEEP, first factor slowest, as a design DataFrame."""
    return pd.DataFrame({RESOLVE: [0.4, 0.4, 1.2, 1.2], RATE: [0.005, 0.02, 0.005, 0.02]})


def test_experiment_gives_the_numbers_of_credsim_sweep(tmp_path, ukraine, ukraine_path, cli):
    table = credsim.experiment(ukraine, grid_points(), trials=300, seed=4, options=OPTIONS, progress=False)
    sweep_file = tmp_path / "grid.yaml"
    sweep_file.write_text(GRID_SWEEP.format(scenario=ukraine_path))
    subprocess.run([str(cli), "sweep", str(sweep_file), "--out", str(tmp_path / "cli"), "--quiet"], check=True)
    cli_rows = pd.read_csv(tmp_path / "cli" / "sweep.csv", comment="#", float_precision="round_trip")
    assert len(cli_rows) > 0
    for row in cli_rows.to_dict("records"):
        mine = table[(table["point"] == row["point"]) & (table["option"] == row["option"])]
        assert len(mine) == 1, row
        mine = mine.iloc[0]
        assert (mine[RESOLVE], mine[RATE]) == (row[RESOLVE], row[RATE])
        for suffix, column in (("", "estimate"), ("_ci_low", "ci_low"), ("_ci_high", "ci_high"), ("_n", "n")):
            mine_value, cli_value = mine[row["metric"] + suffix], row[column]
            assert mine_value == cli_value or (pd.isna(mine_value) and pd.isna(cli_value)), (row, suffix)


def test_experiment_table_is_one_row_per_point_and_option(ukraine):
    table = credsim.experiment(ukraine, grid_points(), trials=200, seed=2, options=OPTIONS, progress=False)
    assert len(table) == 4 * len(OPTIONS)
    assert list(table.columns[:5]) == ["point", RESOLVE, RATE, "option", "label"]
    assert list(table.loc[table["point"] == 0, "option"]) == OPTIONS  # the scenario's order
    assert set(table["label"]) == {ukraine.option_labels[o] for o in OPTIONS}
    metrics = [c for c in table.columns[5:] if not c.endswith(("_ci_low", "_ci_high", "_n"))]
    assert "p_deal" in metrics
    for metric in metrics:
        assert {f"{metric}_ci_low", f"{metric}_ci_high", f"{metric}_n"} <= set(table.columns)
    assert (table["p_deal_n"] == 200).all()  # over all trials
    assert table.attrs["provenance"]["seed"] == "2"


def test_samplers_and_categorical_factors(ukraine):
    instrument = "options.israel_style.commitments[0].instrument"
    design = {RESOLVE: (0.3, 1.3), instrument: ["arms_supply", "security_assurance"]}
    lhs = credsim.experiment(ukraine, design, sampler="lhs", points=6, trials=100, options=["israel_style"],
                             metrics=["p_deal"], progress=False)
    assert len(lhs) == 6 and lhs[RESOLVE].between(0.3, 1.3).all()
    assert set(lhs[instrument]) == {"arms_supply", "security_assurance"}
    sobol = credsim.experiment(ukraine, design, sampler="sobol", points=4, trials=100, options=["israel_style"],
                               metrics=["p_deal"], progress=False)
    assert len(sobol) == 4 and sobol[RESOLVE].nunique() == 4
    grid = credsim.experiment(ukraine, {RESOLVE: {"range": [0.3, 1.3], "steps": 3}}, trials=100,
                              options=["israel_style"], metrics=["p_deal"], progress=False)
    assert list(grid[RESOLVE]) == [0.3, 0.8, 1.3]
    with pytest.raises(ValueError, match="needs points"):
        credsim.experiment(ukraine, design, sampler="lhs", trials=100)


def test_text_columns_are_categorical_factors(ukraine):
    instrument = "options.israel_style.commitments[0].instrument"
    elections = "guarantors.usa.elections.first"
    design = pd.DataFrame({instrument: ["security_assurance", "arms_supply"], elections: [23, 47]})
    table = credsim.experiment(ukraine, design, trials=100, options=["israel_style"], progress=False)
    assert list(table[instrument]) == ["security_assurance", "arms_supply"]
    assert list(table[elections]) == [23, 47]


def test_a_sweep_file_runs_as_an_experiment(tmp_path, ukraine_path):
    sweep_file = tmp_path / "grid.yaml"
    sweep_file.write_text(GRID_SWEEP.format(scenario=ukraine_path))
    table = credsim.experiment(None, sweep_file, out=tmp_path / "out", progress=False)
    assert len(table) == 4 * len(OPTIONS)
    assert (tmp_path / "out" / "sweep.csv").is_file()


def test_an_experiment_resumes_from_its_folder(tmp_path, ukraine):
    out = tmp_path / "exp"
    first = credsim.experiment(ukraine, grid_points(), trials=200, options=OPTIONS, out=out, progress=False)
    again = credsim.experiment(ukraine, grid_points(), trials=200, options=OPTIONS, out=out, progress=False)
    pd.testing.assert_frame_equal(first, again)
    run_info = json.loads((out / "sweep_run.json").read_text())
    assert run_info["points_run"] == 0  # every point came from the journal
    loaded = credsim.load(out).table
    assert list(loaded.loc[loaded["metric"] == "p_deal", "estimate"]) == list(first["p_deal"])


def test_a_modified_scenario_runs_from_its_own_text(ukraine):
    """A scenario changed in Python is written next to the sweep file (presets still found)."""
    design = pd.DataFrame({RATE: [0.01]})
    modified = ukraine.with_values({RATE: 0.01})
    same = [credsim.experiment(s, design, trials=200, options=OPTIONS, progress=False) for s in (ukraine, modified)]
    metrics = [c for c in same[0].columns if c.startswith("p_")]
    pd.testing.assert_frame_equal(same[0][metrics], same[1][metrics])
