"""Every shipped sweep file's real-valued factors cover the scenario's own
value: a sensitivity analysis whose range excludes the calibrated value
answers a question about another case (issue 13: the attack rate swept over
[0.005, 0.02] while the scenario's is 0.0037)."""
from __future__ import annotations

import pathlib

import pytest
import yaml

from credsim.scenario import _child, _steps

SWEEPS = sorted((pathlib.Path(__file__).resolve().parents[2] / "scenarios" / "sweeps").glob("*.yaml"))


def central_value(field):
    """A field's own value: the constant, or its distribution's centre (mode or mean)."""
    if not isinstance(field, dict):
        return float(field)
    if "value" in field:
        return float(field["value"])
    dist = field["dist"]
    if dist == "triangular":
        return float(field["mode"])
    if dist in ("normal", "truncated_normal"):
        return float(field["mean"])
    if dist == "uniform":
        return (float(field["low"]) + float(field["high"])) / 2
    if dist == "beta":
        a, b = float(field["a"]), float(field["b"])
        return a / (a + b) * (field.get("high", 1) - field.get("low", 0)) + field.get("low", 0)
    raise AssertionError(f"no centre for dist {dist!r}: extend central_value")


def scenario_value(scenario: dict, presets: dict, key_path: str):
    """The value at key_path; a commitment field it does not set comes from its instrument's preset."""
    steps = _steps(key_path)
    node = scenario
    for i, step in enumerate(steps):
        try:
            node = _child(node, step, key_path)
        except KeyError:
            if "instrument" in node and i == len(steps) - 1:  # inherited from the preset
                instrument = node["instrument"]
                own = scenario.get("instruments", {}).get(instrument, {})
                return own[step] if step in own else presets["instruments"][instrument][step]
            raise
    return node


@pytest.mark.parametrize("sweep_path", SWEEPS, ids=[p.stem for p in SWEEPS])
def test_real_factor_ranges_contain_the_scenarios_value(sweep_path):
    sweep = yaml.safe_load(sweep_path.read_text())
    scenario_path = sweep_path.parent / sweep["scenario"]
    scenario = yaml.safe_load(scenario_path.read_text())
    presets = yaml.safe_load((scenario_path.parent / scenario.get("presets", "instruments.yaml")).read_text())
    checked = 0
    for factor in sweep["factors"]:
        if "range" in factor:
            low, high = factor["range"]
        elif "levels" in factor and all(isinstance(v, (int, float)) for v in factor["levels"]):
            low, high = min(factor["levels"]), max(factor["levels"])
        else:
            continue  # a categorical factor has no range
        value = central_value(scenario_value(scenario, presets, factor["path"]))
        assert low <= value <= high, (f"{sweep_path.name}: factor {factor['path']} spans [{low}, {high}], "
                                      f"which leaves out the scenario's value {value}")
        checked += 1
    assert checked > 0, f"{sweep_path.name}: no real-valued factor checked"
