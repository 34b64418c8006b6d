"""The calibration of the global constants (analysis/credsim_analysis/calibration.py):
the sampler recovers a known posterior, parameters land where they should in a
scenario, held-out cases never move the fit, and the committed scenario files
sit at the calibrated values of docs/calibration.json."""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import credsim
from credsim_analysis import calibration as cal
from credsim_analysis.calibration_figure import calibration_figure
from credsim_analysis.calibration_report import calibration_markdown
from test_analysis import assert_readable


# --- pieces with known answers --------------------------------------------------

def test_scale_spec_scales_every_value_and_keeps_provenance():
    assert cal.scale_spec(2.0, 0.5) == 1.0
    assert cal.scale_spec(3.0, 1.7 / 3.5) == 1.46  # to three significant digits
    assert cal.scale_spec({"value": 3.5, "assumption": "why"}, 2.0) == {"value": 7.0, "assumption": "why"}
    assert cal.scale_spec({"dist": "triangular", "low": 1, "mode": 2, "high": 4}, 0.5) == \
        {"dist": "triangular", "low": 0.5, "mode": 1.0, "high": 2.0}
    lognormal = cal.scale_spec({"dist": "lognormal", "meanlog": 0.0, "sdlog": 0.3}, math.e)
    assert lognormal == {"dist": "lognormal", "meanlog": 1.0, "sdlog": 0.3}
    assert cal.scale_spec({"dist": "beta", "a": 2, "b": 2, "low": 1, "high": 3}, 2.0)["high"] == 6.0
    with pytest.raises(ValueError, match="beta"):
        cal.scale_spec({"dist": "beta", "a": 2, "b": 2}, 2.0)


def test_weighted_quantile_and_effective_sample_size():
    x = np.array([3.0, 1.0, 2.0])
    assert cal.weighted_quantile(x, np.full(3, 1 / 3), 0.5) == pytest.approx(2.0)
    assert cal.weighted_quantile(x, np.array([0.0, 0.0, 1.0]), 0.5) == pytest.approx(2.0)
    assert cal.effective_sample_size(np.zeros(50)) == pytest.approx(50.0)
    assert cal.effective_sample_size(np.array([0.0, -800.0, -900.0])) == pytest.approx(1.0)


def test_support_gap_is_the_log_odds_between_member_and_non_member():
    gap = next(t for t in cal.LITERATURE if t.name == "support_gap").value
    assert 1 / (1 + math.exp(-(math.log(0.45 / 0.55) + gap))) == pytest.approx(0.74)


def test_importance_sampling_recovers_a_gaussian_posterior():
    """Prior N(0, I); likelihood N(z; m, tau^2 I): the posterior is normal with
    precision 1 + 1/tau^2 and mean m / (1 + tau^2). Tolerances: 4 standard
    errors of a weighted mean (sd / sqrt(ESS)) and of a weighted sd
    (sd / sqrt(2 ESS))."""
    m, tau = np.array([1.5, -0.8]), 0.3
    sample = cal.importance_sample(lambda z: float(-0.5 * np.sum((z - m) ** 2) / tau ** 2), 2, 256, seed=3)
    w = cal.normalised(sample["log_weight"])
    ess = sample["ess_by_stage"][-1]
    assert ess > 100, sample["ess_by_stage"]
    post_sd = 1 / math.sqrt(1 + 1 / tau ** 2)
    mean = w @ sample["z"]
    sd = np.sqrt(w @ (sample["z"] - mean) ** 2)
    np.testing.assert_allclose(mean, m / (1 + tau ** 2), atol=4 * post_sd / math.sqrt(ess))
    np.testing.assert_allclose(sd, post_sd, atol=4 * post_sd / math.sqrt(2 * ess))


# --- the scenarios ----------------------------------------------------------------

@pytest.fixture(scope="module")
def library(source_dir):
    return cal.load_library(source_dir)


THETA = {"decision_noise": 2.0, "precision": 0.5, "membership_audience_cost": 7.0,
         "calm_opportunity_rate": 0.002, "crisis_factor": 3.0, "troop_scale": 1000.0}


def test_apply_sets_every_constant_where_the_model_reads_it(library):
    cases, fortna = library
    by_name = {c.name: c for c in cases}
    k = 7.0 / cal._mode(by_name["poland_1939"].presets["membership"]["audience_cost"])

    poland = cal.apply(by_name["poland_1939"], THETA)
    assert poland["globals"]["decision_noise"] == 2.0 and poland["globals"]["troop_scale"] == 1000.0
    assert poland["challenger"]["precision"]["value"] == 0.5
    assert poland["challenger"]["opportunity_rate"]["value"] == pytest.approx(0.002 * 3.0 * 10)
    assert poland["instruments"]["membership"]["audience_cost"]["value"] == pytest.approx(7.0)
    treaty = by_name["poland_1939"].presets["defense_treaty"]["audience_cost"]["value"]
    assert poland["instruments"]["defense_treaty"]["audience_cost"]["value"] == pytest.approx(k * treaty, rel=5e-3)

    vietnam = cal.apply(by_name["south_vietnam_1973"], THETA)
    own = by_name["south_vietnam_1973"].data["options"][0]["commitments"][0]["audience_cost"]["value"]
    assert vietnam["options"][0]["commitments"][0]["audience_cost"]["value"] == pytest.approx(k * own, rel=5e-3)

    berlin = cal.apply(by_name["west_berlin_1948"], THETA)
    assert berlin["challenger"]["opportunity_rate"]["value"] == pytest.approx(0.002)

    ukraine = cal.apply(fortna, THETA)
    assert ukraine["challenger"]["opportunity_rate"]["mode"] == pytest.approx(0.002)
    assert [o["name"] for o in ukraine["options"]] == [credsim.Scenario.from_file(
        fortna.base_dir + "/" + fortna.file_name).baseline]
    for data, case in ((poland, by_name["poland_1939"]), (ukraine, fortna)):
        credsim.Scenario.from_dict(data, case.base_dir, case.file_name)  # still a valid scenario


def test_scenario_files_sit_at_the_calibrated_values(source_dir, library):
    """Applying docs/calibration.json's applied values to the committed files
    changes no result: the files are the calibration's defaults."""
    applied = json.loads((source_dir / "docs" / "calibration.json").read_text())["applied"]
    assert set(applied) == set(cal.NAMES)
    cases, fortna = library
    full_ukraine = cal.load_case(source_dir / "scenarios" / "ukraine.yaml")
    for case in cases + [fortna, full_ukraine]:
        as_written = credsim.Scenario.from_dict(case.data, case.base_dir, case.file_name)
        calibrated = credsim.Scenario.from_dict(cal.apply(case, applied), case.base_dir, case.file_name)
        a = credsim.run(as_written, trials=400, seed=2).summary
        b = credsim.run(calibrated, trials=400, seed=2).summary
        np.testing.assert_allclose(a["estimate"].to_numpy(float), b["estimate"].to_numpy(float),
                                   rtol=1e-9, atol=1e-12, err_msg=case.name)


# Where the text beside a calibrated value quotes the constants: (pattern, the
# constants its groups are, in order). "M" is a case's crisis multiple.
QUOTES = (
    (r"calibrated crisis factor: ([0-9.]+) x ([0-9]+) x ([0-9.]+)", ("calm_opportunity_rate", "M", "crisis_factor")),
    (r"calibrated calm rate,? ([0-9.]+) a month", ("calm_opportunity_rate",)),
    (r"calibrated crisis factor ([0-9.]+)", ("crisis_factor",)),
    (r"(?:x|times the calibrated|scaled by|calibrated) ([0-9.]+)/3\.5", ("membership_audience_cost",)),
    (r"decision noise s = ([0-9.]+)", ("decision_noise",)),
    (r"precision λ = ([0-9.]+)", ("precision",)),
    (r"\| `decision_noise` \| s \| ([0-9.]+) \(calibrated", ("decision_noise",)),
    (r"\| `troop_scale` \| D_0 \| ([0-9.]+) \(calibrated", ("troop_scale",)),
    (r"troop scale D_0 = ([0-9.]+)", ("troop_scale",)),
)


def test_texts_quote_the_calibrated_values(source_dir):
    """The assumption texts and docs that quote a calibrated constant quote
    docs/calibration.json's applied value (and a case its own crisis multiple)."""
    applied = json.loads((source_dir / "docs" / "calibration.json").read_text())["applied"]
    files = sorted((source_dir / "scenarios").rglob("*.yaml")) + [
        source_dir / "scenarios" / "README.md", source_dir / "scenarios" / "historical" / "README.md",
        source_dir / "docs" / "scenario-format.md", source_dir / "models" / "README.md"]
    found = dict.fromkeys((p for p, _ in QUOTES), 0)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern, names in QUOTES:
            for m in re.finditer(pattern, text):
                found[pattern] += 1
                for name, quoted in zip(names, m.groups()):
                    want = cal.CRISIS_MULTIPLE.get(path.stem) if name == "M" else applied[name]
                    assert float(quoted) == want, (path.name, m.group(0), name, want)
    assert all(found.values()), found  # every pattern still matches somewhere: none went unchecked


def test_calibration_md_tables_are_the_json_rendered(source_dir):
    """docs/calibration.md's tables are docs/calibration.json as calibration_markdown renders it."""
    text = (source_dir / "docs" / "calibration.md").read_text(encoding="utf-8")
    begin, end = "<!-- calibration:begin -->", "<!-- calibration:end -->"
    assert text.count(begin) == 1 and text.count(end) == 1 and text.index(begin) < text.index(end)
    block = text[text.index(begin) + len(begin):text.index(end)]
    result = json.loads((source_dir / "docs" / "calibration.json").read_text())
    assert block.strip("\n") == calibration_markdown(result).strip("\n"), \
        "stale: run `/usr/bin/python3 analysis/update_doc_tables.py` and commit docs/calibration.md"


# --- the fit, small ---------------------------------------------------------------

def _copy_library(source_dir, dest):
    shutil.copytree(source_dir / "scenarios", dest / "scenarios")
    return dest


def test_holdout_cases_never_move_the_fit(source_dir, tmp_path):
    """Flipping what happened in a held-out case leaves every posterior figure
    as it was; flipping a training case moves it."""
    base = cal.calibrate(_copy_library(source_dir, tmp_path / "base"), draws=8, trials=150, seed=4, stages=2)
    assert base["holdout_cases"] == list(cal.HOLDOUT)
    assert base["training_cases"] == list(cal.TRAINING)  # cases added later stay out of the fit
    assert set(base["training_cases"]).isdisjoint(cal.HOLDOUT)
    assert base["effective_sample_size"] <= base["draws"]
    for name, p in base["posterior"].items():
        assert p["q05"] <= p["median"] <= p["q95"], name
        assert base["applied"][name] == cal.round_significant(p["median"], 2)

    def flipped(case: str, root):
        path = root / "scenarios" / "historical" / f"{case}.yaml"
        text = path.read_text()
        assert "attacked: false" in text
        # Attacked in month 1, with no guarantor honouring: as far from the record as it gets.
        honoured = ", ".join(f"{g}: false" for g in credsim.Scenario.from_file(path).to_dict()["guarantors"])
        path.write_text(text.replace("attacked: false", f"attacked: true\n  attack_month: 1\n  honoured: {{{honoured}}}"))
        return cal.calibrate(root, draws=8, trials=150, seed=4, stages=2)

    held = flipped("south_korea_1953", _copy_library(source_dir, tmp_path / "held"))
    assert held["posterior"] == base["posterior"]
    assert held["points"]["v1"]["holdout"] != base["points"]["v1"]["holdout"]

    trained = flipped("west_berlin_1948", _copy_library(source_dir, tmp_path / "trained"))
    assert trained["posterior"] != base["posterior"]


def test_calibrate_script_writes_its_report_and_figure(source_dir, tmp_path):
    out, png = tmp_path / "calibration.json", tmp_path / "calibration.png"
    done = subprocess.run([sys.executable, str(source_dir / "analysis" / "calibrate.py"), "--draws", "8",
                           "--stages", "1", "--trials", "100", "--out", str(out), "--figure", str(png)],
                          capture_output=True, text=True, check=True)
    assert "| `decision_noise` |" in done.stdout and "holdout (3)" in done.stdout
    result = json.loads(out.read_text())
    assert result["trials_per_case"] == 100 and result["draws"] == 8
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calibration.json", "calibration.png"]  # no temp left
    assert_readable(calibration_figure(result))
    assert "previous" not in result["points"]
    # Run again over the same file: the values it applied are scored as "previously applied".
    again = subprocess.run([sys.executable, str(source_dir / "analysis" / "calibrate.py"), "--draws", "8",
                            "--stages", "1", "--trials", "100", "--seed", "2", "--out", str(out), "--figure", str(png)],
                           capture_output=True, text=True, check=True)
    second = json.loads(out.read_text())
    assert second["points"]["previous"]["theta"] == result["applied"]
    assert "| holdout (3) | previously applied |" in again.stdout
    assert calibration_markdown(second) in again.stdout
    bad = subprocess.run([sys.executable, str(source_dir / "analysis" / "calibrate.py"), "--draws", "2"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--draws must be >= 8" in bad.stderr
