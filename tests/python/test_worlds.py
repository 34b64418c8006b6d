"""credsim.run(..., worlds=M): the same files as `credsim run --worlds M`, the
worlds tables with labels, rank probabilities that sum to 1, and save/load."""
from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

import credsim
from conftest import SEED

OPTIONS = ["budapest", "art5_style", "ratified_treaty"]


@pytest.fixture(scope="module")
def worlds_run(ukraine):
    return credsim.run(ukraine, worlds=4, trials=300, seed=SEED, options=OPTIONS, progress=False)


def test_files_are_those_of_the_cli(cli, ukraine_path, source_dir, worlds_run, tmp_path):
    subprocess.run([str(cli), "run", str(ukraine_path.relative_to(source_dir)), "--worlds", "4", "--trials", "300",
                    "--seed", str(SEED), "--options", ",".join(OPTIONS), "--out", str(tmp_path / "cli"), "--quiet"],
                   cwd=source_dir, check=True)
    worlds_run.save(tmp_path / "py")
    for name in credsim.results.FILES + credsim.results.WORLD_FILES:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_worlds_tables(worlds_run, ukraine):
    ranks = worlds_run.ranks
    assert set(ranks["option"]) == set(OPTIONS)
    assert ranks["label"].notna().all()
    for metric, group in ranks.groupby("metric"):
        assert group["p_first"].sum() == pytest.approx(1.0, abs=1e-12), metric
    across = worlds_run.across_worlds
    deal = across[across["metric"] == "p_deal"]
    assert (deal["world_low"] <= deal["mean"]).all() and (deal["mean"] <= deal["world_high"]).all()
    assert (deal["mc_error"] > 0).all()
    worlds = worlds_run.worlds
    assert sorted(worlds["world"].unique()) == [0, 1, 2, 3]
    # Each epistemic field is one column, constant within a world.
    fields = list(worlds_run.decisive_fields["field"].unique())
    assert "settlement.deal_value" in fields
    assert (worlds.groupby("world")[fields].nunique() == 1).all().all()
    assert worlds_run.provenance["worlds"] == 4 and worlds_run.provenance["trials"] == 1200


def test_save_and_load_keep_the_worlds(worlds_run, tmp_path):
    worlds_run.save(tmp_path / "w")
    loaded = credsim.load(tmp_path / "w")
    assert loaded.texts() == worlds_run.texts()
    pd.testing.assert_frame_equal(loaded.ranks, worlds_run.ranks, check_exact=True)


def test_a_plain_run_has_no_worlds_tables(small_run):
    assert small_run.worlds is None and small_run.ranks is None


def test_bad_worlds_arguments_are_refused(ukraine):
    with pytest.raises(ValueError):
        credsim.run(ukraine, worlds=1, trials=10, progress=False)
    with pytest.raises(TypeError):
        credsim.run(ukraine, worlds=2.5, trials=10, progress=False)
    with pytest.raises(ValueError):
        credsim.run(ukraine, worlds=3, precision=0.01, progress=False)
    assert np.isfinite(credsim.run(ukraine, worlds=np.int64(2), trials=50, options=["budapest"],
                                   progress=False).ranks["p_first"]).all()


def test_worlds_figure_and_rank_table(worlds_run):
    from credsim_analysis import worlds

    fig = worlds.worlds_figure(worlds_run.across_worlds, worlds_run.ranks, baseline="budapest")
    title = fig._suptitle.get_text().replace("\n", " ")
    best = worlds_run.ranks[worlds_run.ranks["metric"] == "p_no_armed_attack_all"].sort_values("p_first").iloc[-1]
    assert title.startswith(f"{best.label} ranks first") and "of 4 plausible worlds" in title
    table = worlds.rank_table(worlds_run.ranks)
    assert list(table.index) == list(table.sort_values("p_deal", ascending=False).index)
    assert table.sum().round(12).eq(1.0).all()
    with pytest.raises(ValueError):
        worlds.worlds_figure(worlds_run.across_worlds, worlds_run.ranks, metric="p_no_armed_attack")  # conditional
