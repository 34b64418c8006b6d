"""The credsim Python package: loading, errors with file:line:column, runs,
provenance, parameter draws, per-trial rows, and the same numbers as the CLI."""
from __future__ import annotations

import re
import subprocess

import numpy as np
import pandas as pd
import pytest

import credsim
from conftest import SEED, TRIALS

SUMMARY_COLUMNS = ["option", "label", "metric", "kind", "given", "n", "estimate", "std_error", "ci_low", "ci_high"]
COMMON_METRICS = ["p_deal", "p_challenger_accepts", "p_protege_accepts", "p_ratified", "p_no_armed_attack",
                  "p_no_armed_attack_all", "p_armed_defence", "p_armed_defence_perceived", "defence_delivered",
                  "deterrence_added", "territory_lost", "territory_lost_deal", "p_great_power_war",
                  "p_great_power_war_deal", "p_nuclear_use", "p_nuclear_use_deal", "p_major_attack",
                  "p_challenger_wins", "attack_month", "p_no_attack_any", "grey_attacks", "limited_attacks",
                  "first_attack_month", "major_attack_month"]
HEADLINE = ["p_deal", "p_no_armed_attack", "p_no_armed_attack_all"]
SURVIVAL_CURVES = ["no_armed_attack", "no_major_attack"]  # the model's, in its order
LOCATION = r"{}:\d+:\d+: "  # file:line:column, then the message


# --- loading and errors --------------------------------------------------------

def test_ukraine_loads(ukraine):
    assert ukraine.name == "ukraine"
    assert ukraine.baseline == "budapest"
    # the nine options written, then `no_guarantee`, added by the loader
    assert len(ukraine.options) == 10 and ukraine.options[0] == "budapest"
    assert ukraine.options[-1] == "no_guarantee"
    assert re.fullmatch(r"[0-9a-f]{64}", ukraine.sha256)
    assert "guarantors.usa.resolve" in ukraine.uncertain_parameters
    provenance = ukraine.provenance
    assert list(provenance.columns) == ["key_path", "seed", "quote", "assumption"]
    assert provenance["key_path"].is_unique


def test_file_error_names_file_line_and_column(ukraine_path, tmp_path):
    text = ukraine_path.read_text(encoding="utf-8").replace("horizon: 120", "horizon: -3")
    (tmp_path / "instruments.yaml").write_text((ukraine_path.parent / "instruments.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(credsim.ScenarioError, match=LOCATION.format(r"bad\.yaml") + "horizon"):
        credsim.Scenario.from_file(bad)


def test_scenario_error_is_a_value_error():
    assert issubclass(credsim.ScenarioError, ValueError)


def test_dict_error_points_into_the_dict():
    with pytest.raises(credsim.ScenarioError, match=LOCATION.format("<dict>") + "missing required key 'name'"):
        credsim.Scenario.from_dict({"credsim": 1})


def test_with_values_error_points_into_the_modified_scenario(ukraine):
    with pytest.raises(credsim.ScenarioError, match=LOCATION.format(r"ukraine\.yaml \(modified\)") + "horizon"):
        ukraine.with_values({"horizon": -3})


def test_correlated_field_cannot_be_fixed(ukraine):
    with pytest.raises(credsim.ScenarioError, match="only uncertain parameters can be correlated"):
        ukraine.with_values({"guarantors.usa.resolve": 1.2})


def test_unknown_key_paths_are_reported(ukraine):
    with pytest.raises(KeyError, match="no key 'usaa'"):
        ukraine.with_values({"guarantors.usaa.resolve": 1.2})
    with pytest.raises(credsim.ScenarioError, match="unknown key 'resolv'; did you mean 'resolve'"):
        ukraine.with_values({"guarantors.usa.resolv": 1.2})


def test_with_values_returns_a_new_scenario(ukraine):
    before = ukraine.to_dict()
    rare = ukraine.with_values({"challenger.opportunity_rate": 0.005})
    frequent = ukraine.with_values({"challenger.opportunity_rate": 0.02})
    assert ukraine.to_dict() == before
    assert "challenger.opportunity_rate" not in rare.uncertain_parameters
    no_attack = [credsim.run(s, trials=1000, seed=SEED, options=["budapest"]).metric("p_no_armed_attack")["estimate"]
                 .iloc[0] for s in (rare, frequent)]
    assert no_attack[0] > no_attack[1] + 0.1  # fewer opportunities, fewer attacks


# --- results -------------------------------------------------------------------

def test_result_frames_have_the_documented_shape(small_run, ukraine):
    summary, paired, survival = small_run.summary, small_run.paired, small_run.survival
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert list(summary["option"].drop_duplicates()) == ukraine.options
    for option, rows in summary.groupby("option"):
        assert list(rows["metric"])[:len(COMMON_METRICS)] == COMMON_METRICS, option
        assert all(m.startswith("p_promise_kept_") for m in list(rows["metric"])[len(COMMON_METRICS):]), option
    assert set(paired["option"]) == set(ukraine.options) - {ukraine.baseline}
    assert set(paired["baseline"]) == {ukraine.baseline}
    assert set(HEADLINE) <= set(paired["metric"])
    assert list(survival.columns) == ["option", "label", "curve", "t", "at_risk", "survivors", "survival", "ci_low",
                                      "ci_high"]
    assert list(survival["curve"].drop_duplicates()) == SURVIVAL_CURVES
    assert len(survival) == len(ukraine.options) * len(SURVIVAL_CURVES) * (120 + 1)
    headline = summary[summary["metric"].isin(HEADLINE)]
    assert ((headline["ci_low"] <= headline["estimate"]) & (headline["estimate"] <= headline["ci_high"])).all()


def test_provenance_is_attached(small_run, ukraine):
    p = small_run.provenance
    assert p["seed"] == SEED and p["trials"] == TRIALS
    assert p["scenario"] == "ukraine" and p["scenario_sha256"] == ukraine.sha256
    assert p["version"] == credsim.__version__
    for frame in (small_run.summary, small_run.paired, small_run.survival, small_run.trials):
        assert frame.attrs["provenance"] is p


def test_threads_do_not_change_the_numbers(ukraine):
    one = credsim.run(ukraine, trials=800, seed=SEED, threads=1).texts()
    two = credsim.run(ukraine, trials=800, seed=SEED, threads=2).texts()
    assert one == two


# --- parameter draws and per-trial rows ------------------------------------------

def test_draw_parameters_is_deterministic(ukraine):
    a = credsim.draw_parameters(ukraine, 200, seed=SEED)
    b = credsim.draw_parameters(ukraine, 200, seed=SEED)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["trial", *ukraine.uncertain_parameters]
    tail = credsim.draw_parameters(ukraine, 50, seed=SEED, first=150)
    pd.testing.assert_frame_equal(tail.reset_index(drop=True), a.iloc[150:].reset_index(drop=True))
    other = credsim.draw_parameters(ukraine, 200, seed=SEED + 1)
    assert not np.allclose(a.drop(columns="trial").to_numpy(), other.drop(columns="trial").to_numpy())
    rate, spec = a["challenger.opportunity_rate"], ukraine.to_dict()["challenger"]["opportunity_rate"]
    assert spec["dist"] == "triangular"
    assert rate.between(spec["low"], spec["high"]).all() and rate.min() < spec["mode"] < rate.max()


def test_trial_rows_add_up_to_the_summary(small_run):
    trials, summary = small_run.trials, small_run.summary
    assert len(trials) == TRIALS * len(small_run.options)
    for (option, metric), row in summary.set_index(["option", "metric"]).loc[:, ["n", "estimate"]].iterrows():
        if metric not in COMMON_METRICS:
            continue
        values = trials.loc[trials["option"] == option, metric].dropna()
        assert len(values) == row["n"], (option, metric)
        if len(values):
            assert values.mean() == pytest.approx(row["estimate"], rel=1e-12, abs=1e-15), (option, metric)


# The trial rows' columns of each curve: the first keeps the plain names.
TRIAL_CURVE_COLUMNS = {"no_armed_attack": ("at_risk", "event_time"),
                       "no_major_attack": ("at_risk_no_major_attack", "event_time_no_major_attack")}


@pytest.mark.parametrize("curve", SURVIVAL_CURVES)
def test_trial_rows_reproduce_the_survival_curve(small_run, curve):
    trials, survival = small_run.trials, small_run.survival
    at_risk, event_time = TRIAL_CURVE_COLUMNS[curve]
    for option in small_run.options:
        rows = trials[(trials["option"] == option) & (trials[at_risk] == 1)]
        for t in (1, 60, 120):
            alive = ((rows[event_time] == 0) | (rows[event_time] > t)).mean()  # 0 = no attack
            expected = survival[(survival["option"] == option) & (survival["curve"] == curve)
                                & (survival["t"] == t)]["survival"].iloc[0]
            assert alive == pytest.approx(expected, rel=1e-12), (option, curve, t)


def test_no_major_attack_curve_is_never_below_the_no_armed_attack_curve(small_run):
    """A major attack is an armed attack: on the same trials, fewer survive the first."""
    curves = small_run.survival.pivot_table(index=["option", "t"], columns="curve", values="survivors")
    assert (curves["no_major_attack"] >= curves["no_armed_attack"]).all()


# --- the same numbers as the CLI -------------------------------------------------

@pytest.mark.parametrize("estimator", ["plain", "conditional"])
def test_python_and_cli_give_identical_files(cli, ukraine, ukraine_path, source_dir, tmp_path, estimator):
    out = tmp_path / "cli"
    subprocess.run([str(cli), "run", str(ukraine_path.relative_to(source_dir)), "--trials", str(TRIALS),
                    "--seed", str(SEED), "--out", str(out), "--quiet", "--estimator", estimator],
                   cwd=source_dir, check=True)
    texts = credsim.run(ukraine, trials=TRIALS, seed=SEED, estimator=estimator).texts()
    assert set(texts) == {"summary.json", "summary.csv", "paired.csv", "survival.csv"}
    for name, text in texts.items():
        written = (out / name).read_bytes()
        assert written == text.encode("utf-8"), f"{name}: the CLI and Python outputs differ"
