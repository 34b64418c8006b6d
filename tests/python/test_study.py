"""credsim.sweep and credsim.sensitivity: the same engine and the same bytes as the CLI."""
from __future__ import annotations

import subprocess

import credsim

SWEEP = """credsim_sweep: 1
scenario: {scenario}
trials: 400
seed: 3
options: [budapest, art5_style]
metrics: [p_deal, p_no_armed_attack_all]
correlations: drop_swept
factors:
  - path: guarantors.usa.resolve
    name: usa_resolve
    levels: [0.4, 1.2]
  - path: challenger.opportunity_rate
    name: opportunity_rate
    levels: [0.005, 0.02]
design:
  type: grid
robustness:
  - metric: p_no_armed_attack_all
    goal: maximize
    threshold: 0.2
sensitivity:
  methods: [sobol, morris]
  samples: 8
  bootstrap: 50
  confidence: 0.95
  trajectories: 4
  levels: 4
"""


def write_sweep(tmp_path, ukraine_path):
    path = tmp_path / "small_sweep.yaml"
    path.write_text(SWEEP.format(scenario=ukraine_path))
    return path


def test_sweep_matches_the_cli_bytes(tmp_path, ukraine_path, cli):
    sweep_file = write_sweep(tmp_path, ukraine_path)
    study = credsim.sweep(sweep_file, out=tmp_path / "py", threads=1)
    assert study.table is not None and study.robustness is not None
    assert sorted(study.table["point"].unique()) == [0, 1, 2, 3]
    assert set(study.table["option"]) == {"budapest", "art5_style"}
    assert study.table.attrs["provenance"]["seed"] == "3"
    subprocess.run([str(cli), "sweep", str(sweep_file), "--out", str(tmp_path / "cli"), "--threads", "2", "--quiet"],
                   check=True)
    for name in ("sweep.csv", "robustness.csv"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_sensitivity_gives_sobol_and_morris_tables(tmp_path, ukraine_path):
    study = credsim.sensitivity(write_sweep(tmp_path, ukraine_path), out=tmp_path / "sens", threads=0)
    for frame, columns in ((study.sobol, {"factor", "S1", "ST", "S1_low", "ST_high"}),
                           (study.morris, {"factor", "mu_star", "sigma"})):
        assert frame is not None and columns <= set(frame.columns)
        assert set(frame["factor"]) == {"usa_resolve", "opportunity_rate"}
    assert "opportunity_rate" in study.summary
