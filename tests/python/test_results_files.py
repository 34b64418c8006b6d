"""Results.save / credsim.load: the CLI's files, and an equal Results back;
the tables built from the engine's arrays equal those read from the files."""
from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

import credsim
from conftest import SEED


def test_save_and_load_round_trip_exactly(small_run, tmp_path):
    written = small_run.save(tmp_path / "run")
    assert sorted(p.name for p in written) == sorted(credsim.results.FILES)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == sorted(credsim.results.FILES)  # no temp left
    loaded = credsim.load(tmp_path / "run")
    assert isinstance(loaded, credsim.Results)
    for name in ("summary", "paired", "survival"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(small_run, name), check_exact=True)
        assert getattr(loaded, name).attrs["provenance"] == small_run.provenance
    assert loaded.provenance == small_run.provenance and loaded.provenance["parameters"]
    assert loaded.options == small_run.options and loaded.labels == small_run.labels
    assert loaded.texts() == small_run.texts()
    loaded.save(tmp_path / "again")
    for path in written:
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_saved_files_are_those_of_credsim_run(cli, ukraine, ukraine_path, source_dir, tmp_path):
    subprocess.run([str(cli), "run", str(ukraine_path.relative_to(source_dir)), "--trials", "500", "--seed",
                    str(SEED), "--out", str(tmp_path / "cli"), "--quiet"], cwd=source_dir, check=True)
    credsim.run(ukraine, trials=500, seed=SEED, progress=False).save(tmp_path / "py")
    for name in credsim.results.FILES:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    from_cli = credsim.load(tmp_path / "cli")
    assert from_cli.provenance["trials"] == 500


def test_tables_carry_option_labels(small_run, ukraine):
    labels = ukraine.option_labels
    assert small_run.labels == labels
    for frame in (small_run.summary, small_run.paired, small_run.survival):
        assert (frame["label"] == frame["option"].map(labels)).all()


def test_wide_is_options_by_metrics(small_run):
    wide = small_run.wide()
    assert list(wide.index) == small_run.options
    p_deal = small_run.metric("p_deal").set_index("option")["estimate"]
    assert (wide["p_deal"] == p_deal.reindex(wide.index)).all()
    assert list(wide.columns) == list(dict.fromkeys(small_run.summary["metric"]))
    by_label = small_run.wide("ci_high", labels=True)
    assert list(by_label.index) == [small_run.labels[o] for o in small_run.options]


def test_load_names_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="summary.json"):
        credsim.load(tmp_path)


def test_tables_cross_the_binding_as_arrays(ukraine):
    raw = credsim._core.run(ukraine._core, [], 200, 0.0, 0, SEED, 1, False, ukraine.file_name)
    for table in ("summary", "paired", "survival"):
        assert isinstance(raw[table]["ci_low"], np.ndarray) and len(raw[table]["ci_low"]) > 0, table
    assert raw["summary"]["estimate"].dtype == np.float64
