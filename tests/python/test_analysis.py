"""The analysis package: the computations on data with known answers (PRIM,
Pareto frontier, sweep boundaries), the CSV reader, the engine's sweep and
sensitivity tables in the figures, and figures that an analyst can read."""
from __future__ import annotations

import re
import subprocess

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from PIL import Image

import credsim
from conftest import SEED, TRIALS
from credsim_analysis import (compare, discovery, experiment_plots, frontier, io, save, sensitivity, style, survival,
                              sweep, variants)


def assert_readable(fig) -> None:
    """Title, labelled axes with units in [brackets], a legend, fonts >= 10 pt."""
    axes = [ax for ax in fig.axes if getattr(ax, "_colorbar", None) is None]
    assert axes
    has_suptitle = fig._suptitle is not None and fig._suptitle.get_text()
    for ax in axes:
        assert ax.get_title() or has_suptitle, "no title"
        assert "[" in ax.get_xlabel() and "]" in ax.get_xlabel(), f"x label without unit: {ax.get_xlabel()!r}"
        assert ax.get_ylabel() or ax is not axes[0], "no y label"
    assert any(ax.get_legend() for ax in axes) or fig.legends, "no legend"
    fig.canvas.draw()
    small = [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 10]
    assert not small, f"text below 10 pt: {small[:5]}"


# --- PRIM and the decision tree ---------------------------------------------------

@pytest.fixture(scope="module")
def known_box():
    """5 uniform factors; failure iff a > 0.6 and b < 0.3, with 5% of labels flipped."""
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(size=(4000, 5)), columns=list("abcde"))
    y = ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy() ^ (rng.uniform(size=len(x)) < 0.05)
    return x, y


def test_prim_recovers_a_known_box(known_box):
    x, y = known_box
    result = discovery.prim(x, y, alpha=0.05)
    box = result.simplify(result.box(result.choose(min_density=0.9)))
    limits = result.limits_table(box).set_index("factor")
    assert list(limits.index) == ["a", "b"]
    assert limits.loc["a", "low"] == pytest.approx(0.6, abs=0.03)
    assert limits.loc["b", "high"] == pytest.approx(0.3, abs=0.03)
    stats = result.stats(box)
    assert stats["coverage"] > 0.7 and stats["density"] > 0.9
    assert (result.quasi_p_values(box) < 1e-6).all()


def test_prim_trajectory_is_monotone(known_box):
    x, y = known_box
    traj = discovery.prim(x, y, alpha=0.05, min_mass=0.05).trajectory
    assert traj.loc[0, ["coverage", "density", "mass"]].tolist() == pytest.approx([1.0, y.mean(), 1.0])
    assert (np.diff(traj["mass"]) < 0).all() and (np.diff(traj["coverage"]) <= 0).all()
    assert traj["mass"].iloc[-1] >= 0.05


def test_pasting_widens_a_box_where_density_rises():
    rng = np.random.default_rng(1)
    x = pd.DataFrame({"a": rng.uniform(size=20000), "b": rng.uniform(size=20000)})
    y = rng.uniform(size=len(x)) < x["a"]  # failure more likely the larger a
    start = {"a": (0.5, 0.9), "b": (x["b"].min(), x["b"].max())}
    pasted = discovery.paste_box(x, y, start, alpha=0.05)
    assert pasted["a"][0] == 0.5 and pasted["a"][1] == pytest.approx(x["a"].max())
    assert discovery.box_stats(x, y, pasted)["density"] > discovery.box_stats(x, y, start)["density"]


def test_tree_leaves_partition_the_cases(known_box):
    x, y = known_box
    _, leaves = discovery.tree_rules(x, y, max_depth=2, min_leaf=0.02)
    assert leaves["mass"].sum() == pytest.approx(1.0)
    assert leaves["coverage"].sum() == pytest.approx(1.0)
    top = leaves.iloc[0]
    assert top["density"] > 0.9 and "a >" in top["rule"] and "b ≤" in top["rule"]


def test_discovery_cases_from_a_run(small_run, ukraine):
    parameters = credsim.draw_parameters(ukraine, TRIALS, seed=SEED)
    x, failed = discovery.cases(small_run.trials, parameters, "art5_style")
    deal = small_run.metric("p_no_armed_attack").set_index("option").loc["art5_style"]
    assert len(x) == deal["n"]
    assert 1 - failed.mean() == pytest.approx(deal["estimate"])
    relevant = discovery.relevant_parameters(ukraine, "art5_style")
    assert "instruments.ambiguous_treaty.ambiguity" in relevant and "guarantors.usa.resolve" in relevant
    # The EU has no commitment in art5_style but may respond unprompted: its resolve counts.
    assert "guarantors.eu.resolve" in relevant
    assert not any(p.startswith(("instruments.tripwire.", "options.israel_style.")) for p in relevant)
    assert len(relevant) < len(ukraine.uncertain_parameters)
    assert "challenger.opportunity_rate" in relevant


# --- Pareto frontier ---------------------------------------------------------------

def test_pareto_efficient_on_a_hand_made_set():
    points = pd.DataFrame({
        "option": ["A", "B", "C", "D", "E", "F"],
        "deal": [0.9, 0.5, 0.1, 0.4, 0.5, np.nan],
        "deterred": [0.1, 0.5, 0.9, 0.4, 0.5, 1.0],
    })
    efficient = frontier.pareto_efficient(points, ["deal", "deterred"])
    # D is beaten by B; B and E tie (neither beats the other); F has no estimate.
    assert efficient.tolist() == [True, True, True, False, True, False]
    # Minimising the second objective: low deterrence is "better", A dominates D, B, C, E.
    assert frontier.pareto_efficient(points, ["deal", "deterred"], [True, False]).tolist() == [True, False, False, False, False, False]


def test_frontier_points_from_a_summary(small_run):
    points = frontier.frontier_points(small_run.summary)
    assert list(points["option"]) == small_run.options
    assert {"p_deal", "p_deal_low", "p_deal_high", "p_no_armed_attack", "p_no_armed_attack_low",
            "p_no_armed_attack_high", "efficient"} <= set(points)
    best_deal = points.loc[points["p_deal"].idxmax(), "option"]
    best_deterred = points.loc[points["p_no_armed_attack"].idxmax(), "option"]
    assert set(points.loc[points["efficient"], "option"]) >= {best_deal, best_deterred}


# --- sweeps ------------------------------------------------------------------------

def synthetic_sweep() -> pd.DataFrame:
    """Option A is best left of x = 0.5, B to the right: the boundary is the cell edge at x = 0.375."""
    rows = []
    xs, ys = [0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 1.0, 2.0]
    for point, (xv, yv) in enumerate((xv, yv) for yv in ys for xv in xs):
        for option, value in (("A", 0.6 - 0.4 * xv), ("B", 0.2 + 0.4 * xv)):
            rows.append({"point": point, "f.x": xv, "f.y": yv, "option": option, "metric": "p_no_armed_attack_all",
                         "estimate": value, "ci_low": value - 0.01, "ci_high": value + 0.01})
    return pd.DataFrame(rows)


def test_best_option_and_margin():
    best = sweep.best_option(synthetic_sweep(), "p_no_armed_attack_all")
    assert sweep.factor_columns(synthetic_sweep()) == ["f.x", "f.y"]
    assert best.loc[best["f.x"] < 0.5, "best"].eq("A").all() and best.loc[best["f.x"] > 0.5, "best"].eq("B").all()
    assert best.loc[best["f.x"] == 0.0, "margin"].tolist() == pytest.approx([0.4] * 3)


def test_boundary_follows_the_change_of_best_option():
    best = sweep.best_option(synthetic_sweep(), "p_no_armed_attack_all")
    xs, ys, labels = sweep.to_grid(best, "f.x", "f.y", "best")
    segments = sweep.boundary_segments(xs, ys, labels)
    assert len(segments) == 3  # one vertical edge per row
    assert all(x0 == x1 == pytest.approx(0.375) for (x0, _), (x1, _) in segments)
    assert sorted(y for (_, y), _ in segments) == pytest.approx([-0.5, 0.5, 1.5])


def test_boundary_on_a_diagonal_and_cell_edges():
    labels = np.array([["A", "A", "B"], ["A", "B", "B"], ["B", "B", "B"]], dtype=object)
    segments = sweep.boundary_segments(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0]), labels)
    assert len(segments) == 4  # a staircase: two vertical and two horizontal edges
    assert sweep.cell_edges(np.array([0.0, 1.0, 3.0])).tolist() == [-0.5, 0.5, 2.0, 4.0]


def test_a_sweep_csv_from_the_cli_feeds_the_same_figure(tmp_path):
    """The layout `credsim sweep` writes (sim/io/sweep_output.cpp): a '# key: value'
    header, then point, <factors>, option, metric, estimate, std_error, ci_low, ci_high, n."""
    table = synthetic_sweep().assign(std_error=0.005, n=1000)
    table = table[["point", "f.x", "f.y", "option", "metric", "estimate", "std_error", "ci_low", "ci_high", "n"]]
    path = tmp_path / "sweep.csv"
    path.write_text("# sweep: grid.yaml\n# seed: 1\n# trials_per_point: 1000\n" + table.to_csv(index=False), encoding="utf-8")
    frame = io.read_csv(path)
    assert frame.attrs["provenance"] == {"sweep": "grid.yaml", "seed": 1, "trials_per_point": 1000}
    assert sweep.factor_columns(frame) == ["f.x", "f.y"]
    fig = sweep.sweep_map_figure(frame, "p_no_armed_attack_all")
    assert_readable(fig)
    assert "1,000 trials per point" in fig.axes[0].get_title()


def test_variants(ukraine):
    free = variants.drop_correlations(ukraine, ["guarantors.usa.resolve"])
    assert all("guarantors.usa.resolve" not in c["between"] for c in free.to_dict()["correlations"])
    assert len(free.to_dict()["correlations"]) == len(ukraine.to_dict()["correlations"]) - 1
    fixed = free.with_values({"guarantors.usa.resolve": 1.0, "instruments.ambiguous_treaty.ambiguity": 0.2})
    assert not {"guarantors.usa.resolve", "instruments.ambiguous_treaty.ambiguity"} & set(fixed.uncertain_parameters)


# --- the engine's study tables in the figures -------------------------------------------

STUDY = """credsim_sweep: 1
scenario: {scenario}
trials: 300
seed: 3
options: [art5_style, israel_style]
metrics: [p_no_armed_attack, p_no_armed_attack_all]
factors:
  - path: guarantors.usa.resolve
    name: usa_resolve
    levels: [0.4, 1.2]
  - path: options.art5_style.commitments[0].ambiguity
    name: art5_usa_ambiguity
    levels: [0, 0.75]
design:
  type: grid
sensitivity:
  methods: [sobol, morris]
  samples: 8
  bootstrap: 20
  trajectories: 4
  levels: 4
"""


@pytest.fixture(scope="module")
def study_file(tmp_path_factory, ukraine_path):
    path = tmp_path_factory.mktemp("study") / "study.yaml"
    path.write_text(STUDY.format(scenario=ukraine_path), encoding="utf-8")
    return path


def test_an_engine_sweep_feeds_the_sweep_map(study_file):
    table = credsim.sweep(study_file, out=study_file.parent / "sweep", threads=1).table
    assert sweep.factor_columns(table) == ["usa_resolve", "art5_usa_ambiguity"]
    for option in ("art5_style", None):
        fig = sweep.sweep_map_figure(table, "p_no_armed_attack", option=option, options=["art5_style", "israel_style"])
        assert_readable(fig)
        ax = fig.axes[0]
        assert ax.get_xlabel() == "US resolve now [weight on interest]"
        assert ax.get_ylabel() == "Ambiguity of the US Article 5-style commitment [P(weak reading)]"
        assert "300 trials per point" in ax.get_title()


def test_engine_sensitivity_tables_feed_the_figures(study_file):
    study = credsim.sensitivity(study_file, out=study_file.parent / "sensitivity", threads=1)
    one = {"option": "art5_style", "metric": "p_no_armed_attack_all"}
    sobol = study.sobol[(study.sobol["option"] == one["option"]) & (study.sobol["metric"] == one["metric"])]
    morris = study.morris[(study.morris["option"] == one["option"]) & (study.morris["metric"] == one["metric"])]
    assert len(sobol) == len(morris) == 2
    for fig in (sensitivity.sobol_figure(sobol, output_label="P(deal and no armed attack)"),
                sensitivity.morris_figure(morris, output_label="P(deal and no armed attack)")):
        assert_readable(fig)
        texts = {t.get_text() for t in fig.findobj(Text)}
        assert {"US resolve now", "Ambiguity of the US Article 5-style commitment"} <= texts
    with pytest.raises(ValueError, match="several values of 'option'"):
        sensitivity.sobol_figure(study.sobol[study.sobol["metric"] == "p_no_armed_attack_all"], output_label="P(deal and no armed attack)")


def test_the_factors_of_the_sweep_files_have_labels_with_units(source_dir):
    """The tables of scenarios/sweeps/*.yaml name their factor columns by the
    factors' `name` (or key path); each needs a label with a unit in `style`."""
    files = sorted((source_dir / "scenarios" / "sweeps").glob("*.yaml"))
    assert files
    for path in files:
        factors = re.findall(r"-\s+path:\s*(\S+)(?:\s*\n\s+name:\s*(\S+))?", path.read_text(encoding="utf-8"))
        assert factors, path
        for key_path, name in factors:
            assert style.FACTOR_NAMES.get(name, key_path) == key_path, (path.name, name)
            assert key_path in style.FACTORS, (path.name, key_path)
            assert style.factor_label(name or key_path).endswith("]"), (path.name, name)


# --- reading the CLI's files --------------------------------------------------------------

def test_read_cli_results(cli, ukraine, ukraine_path, tmp_path):
    subprocess.run([str(cli), "run", str(ukraine_path), "--trials", "500", "--seed", str(SEED), "--out", str(tmp_path),
                    "--quiet"], check=True)
    frames = io.read_results(tmp_path)
    python = credsim.run(ukraine, trials=500, seed=SEED)
    for name in ("summary", "paired", "survival"):
        pd.testing.assert_frame_equal(frames[name], getattr(python, name).drop(columns="label"), check_dtype=False)
        p = frames[name].attrs["provenance"]
        assert p["seed"] == SEED and p["trials"] == 500 and p["scenario_sha256"] == ukraine.sha256
    with pytest.raises(FileNotFoundError, match="--out folder"):
        io.read_results(tmp_path / "missing")


# --- figures --------------------------------------------------------------------------------

def test_comparison_figure_and_paired_table(small_run, ukraine):
    assert_readable(compare.comparison_figure(small_run.summary, baseline=ukraine.baseline))
    table = compare.paired_table(small_run.paired)
    assert list(table.index) == [o for o in ukraine.options if o != ukraine.baseline]
    assert table.shape[1] == 3 and table.iloc[0, 0].count("[") == 1


def test_survival_figure_and_table(small_run):
    assert_readable(survival.survival_figure(small_run.survival))
    table = survival.survival_at(small_run.survival, months=(12, 120))
    assert list(table.columns) == ["month 12", "month 120"] and len(table) == len(small_run.options) == 10


def test_survival_helpers_show_one_curve_by_name(small_run):
    rows = small_run.survival
    first = survival.one_curve(rows)
    assert set(first["curve"]) == {"no_armed_attack"} and first.attrs == rows.attrs  # the table's first curve
    major = survival.one_curve(rows, "no_major_attack")
    assert len(major) == len(first) == len(small_run.options) * 121
    assert set(survival.over_all_trials(rows)["curve"]) == {"no_armed_attack"}
    assert set(survival.over_all_trials(rows, curve="no_major_attack")["curve"]) == {"no_major_attack"}
    # A major attack is an armed attack: at every month at least as many deals survive the first.
    assert (major["survivors"].to_numpy() >= first["survivors"].to_numpy()).all()
    fig = survival.survival_figure(rows, over="deal", curve="no_major_attack")
    assert "no major attack" in fig.axes[0].get_ylabel()
    at = survival.survival_at(rows, months=(120,), curve="no_major_attack")
    expected = major[major["t"] == 120].set_index("option")["survival"]
    assert [float(v.split()[0]) for v in at["month 120"]] == [round(float(expected[o]), 3) for o in at.index]
    with pytest.raises(ValueError, match="no survival curve 'no_grey_attack'; the table has: no_armed_attack, "
                                         "no_major_attack"):
        survival.survival_at(rows, curve="no_grey_attack")
    # A table from before there were several curves (no `curve` column) holds the first only.
    old = rows[rows["curve"] == "no_armed_attack"].drop(columns="curve")
    assert len(survival.one_curve(old)) == len(first)
    with pytest.raises(ValueError, match="only the no_armed_attack curve"):
        survival.one_curve(old, "no_major_attack")


def test_frontier_figure(small_run):
    assert_readable(frontier.frontier_figure(frontier.frontier_points(small_run.summary)))


@pytest.mark.parametrize("option", [None, "A"])
def test_sweep_map_figure(option):
    assert_readable(sweep.sweep_map_figure(synthetic_sweep(), "p_no_armed_attack_all", option=option))


def test_sensitivity_figures():
    sobol = pd.DataFrame({"factor": ["challenger.opportunity_rate", "settlement.deal_value"],
                          "S1": [0.5, 0.2], "S1_low": [0.4, 0.1], "S1_high": [0.6, 0.3],
                          "ST": [0.6, 0.3], "ST_low": [0.5, 0.2], "ST_high": [0.7, 0.4]})
    assert_readable(sensitivity.sobol_figure(sobol, output_label="P(deal and no armed attack)"))
    morris = pd.DataFrame({"factor": ["challenger.opportunity_rate", "settlement.deal_value"],
                           "mu_star": [0.2, 0.1], "sigma": [0.05, 0.08]})
    assert_readable(sensitivity.morris_figure(morris, output_label="P(deal and no armed attack)"))
    mixed = pd.concat([sobol.assign(option="a"), sobol.assign(option="b")])
    with pytest.raises(ValueError, match="several values of 'option'"):
        sensitivity.sobol_figure(mixed, output_label="P(deal and no armed attack)")


def test_morris_labels_of_crowded_points_do_not_overlap():
    """Seven factors, five of them crowded near the origin (the Ukraine case's
    Morris screening): every label readable, none on another."""
    morris = pd.DataFrame({
        "factor": ["usa_resolve", "uk_resolve", "art5_usa_ambiguity", "perception_bias", "opportunity_rate",
                   "fortification", "usa_instrument_in_israel_style"],
        "mu_star": [0.0212, 0.0071, 0.0243, 0.0684, 0.1034, 0.0215, 0.0],
        "sigma": [0.0108, 0.0031, 0.0057, 0.0135, 0.0312, 0.0044, 0.0]})
    fig = sensitivity.morris_figure(morris, output_label="P(deal and no armed attack)")
    assert_readable(fig)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]  # the text, without leader lines
    assert len(boxes) == 7
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    frame = ax.get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)


def test_discovery_figures(known_box):
    x, y = known_box
    result = discovery.prim(x, y)
    step = result.choose(0.9)
    _, leaves = discovery.tree_rules(x, y)
    assert_readable(discovery.trajectory_figure(result, chosen=step, final=result.box(step), tree_leaves=leaves))
    assert_readable(discovery.box_figure(result, result.box(step)))


def test_option_colours_are_stable():
    assert style.option_color("budapest") == style.option_color("budapest") == style.BASELINE_GREY
    assert len(set(style.option_colors(style.OPTION_COLORS))) == len(style.OPTION_COLORS)
    assert style.option_color("some_new_option") == style.option_color("some_new_option")


def test_save_writes_a_150_dpi_png(small_run, tmp_path):
    path = save(compare.comparison_figure(small_run.summary), tmp_path / "sub" / "figure.png")
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.5)
    assert matplotlib.rcParams["font.size"] >= 10


# --- several boxes, stability, and plots over an experiment ------------------------------------

@pytest.fixture(scope="module")
def two_boxes():
    """4 uniform factors; failure iff (a > 0.7 and b > 0.7) or (c < 0.25), 3% of labels flipped."""
    rng = np.random.default_rng(2)
    x = pd.DataFrame(rng.uniform(size=(5000, 4)), columns=list("abcd"))
    y = (((x["a"] > 0.7) & (x["b"] > 0.7)) | (x["c"] < 0.25)).to_numpy() ^ (rng.uniform(size=len(x)) < 0.03)
    return x, y


def test_prim_boxes_find_both_regions(two_boxes):
    x, y = two_boxes
    table, boxes = discovery.prim_boxes(x, y, max_boxes=3, min_density=0.9)
    assert len(boxes) >= 2
    restricted = [set(r.split(", ")) for r in table["restricted"]]
    assert restricted[:2] == [{"c"}, {"a", "b"}] or restricted[:2] == [{"a", "b"}, {"c"}]
    assert (table["density"].iloc[:2] > 0.9).all()
    assert table["coverage"].iloc[:2].sum() > 0.85


def test_resampling_stability_separates_signal_from_noise(known_box):
    x, y = known_box
    share = discovery.resampling_stability(x, y, resamples=8, min_density=0.9, seed=1)
    assert share["a"] == 1.0 and share["b"] == 1.0
    assert share[["c", "d", "e"]].max() <= 0.25


@pytest.fixture(scope="module")
def experiment_table():
    """The shape of credsim.experiment's table: points × one option, factors and a metric with its interval."""
    rng = np.random.default_rng(3)
    n = 40
    table = pd.DataFrame({"point": range(n), "guarantors.usa.resolve": rng.uniform(0.2, 1.4, n),
                          "challenger.opportunity_rate": rng.uniform(0.005, 0.02, n), "option": "art5_style",
                          "label": "Article 5-style"})
    table["p_deal"] = 0.3 + 0.4 * table["guarantors.usa.resolve"] / 1.4
    return table


def test_pairs_and_parallel_coordinates_figures(experiment_table):
    factors = ["guarantors.usa.resolve", "challenger.opportunity_rate"]
    fig = experiment_plots.pairs_figure(experiment_table, factors, "p_deal")
    assert_readable(fig)
    assert len([ax for ax in fig.axes if getattr(ax, "_colorbar", None) is None]) == 4
    fig = experiment_plots.parallel_coordinates_figure(experiment_table, [*factors, "p_deal"], "p_deal")
    assert_readable(fig)
    assert len(fig.axes[0].lines) == len(experiment_table) + 3  # one per point, one per axis
    mixed = pd.concat([experiment_table, experiment_table.assign(option="budapest")])
    with pytest.raises(ValueError, match="pass option="):
        experiment_plots.pairs_figure(mixed, factors, "p_deal")


# --- brief-ready rules for the sweep, sensitivity and discovery figures (issue 17) --------------

def _texts(fig) -> str:
    """Every text a reader sees: titles, legends, annotations."""
    parts = [fig._suptitle.get_text() if fig._suptitle else ""]
    for ax in fig.axes:
        parts += [ax.get_title(), *(t.get_text() for t in ax.texts)]
        if ax.get_legend():
            parts += [t.get_text() for t in ax.get_legend().get_texts()]
    parts += [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    return "\n".join(parts)


def test_sweep_maps_name_options_by_label_state_the_finding_and_mark_noise():
    table = synthetic_sweep().assign(std_error=0.005, n=1000)
    labels = {"A": "Alpha treaty", "B": "Beta arms"}
    # At x = 0.5 both options read 0.4: a margin of 0, within the noise there (hollow marker).
    fig = sweep.sweep_map_figure(table, "p_no_armed_attack_all", labels=labels)
    text = _texts(fig)
    assert "better: Alpha treaty" in text and "better: Beta arms" in text, text
    assert "better: A\n" not in text + "\n"
    assert "changes across the grid" in fig.axes[0].get_title()
    assert "hollow: margin within Monte Carlo noise" in text
    hollow = [c for c in fig.axes[0].collections
              if hasattr(c, "get_facecolors") and len(c.get_facecolors()) and (c.get_facecolors()[:, :3] == 1).all()]
    assert hollow, "no hollow marker where the margin is within noise"
    one = sweep.sweep_map_figure(table, "p_no_armed_attack_all", option="A", labels=labels)
    assert one.axes[0].get_title().startswith("Alpha treaty: P(deal and no armed attack) from 0.20 to 0.60")
    assert "0.60" in [t.get_text() for t in one.axes[0].texts], "cells carry their values"


def test_a_conditional_sweep_map_shows_its_n():
    table = synthetic_sweep().assign(metric="p_no_armed_attack", std_error=0.005, n=[800 + i for i in range(30)])
    fig = sweep.sweep_map_figure(table, "p_no_armed_attack", option="A")
    assert "n (trials with a deal) per point and option: 800–828" in fig.axes[0].get_title()


def test_sobol_bars_within_noise_of_zero_are_hatched_and_the_title_names_the_top_factor():
    sobol = pd.DataFrame({"factor": ["challenger.opportunity_rate", "settlement.deal_value"],
                          "S1": [0.5, 0.05], "S1_low": [0.4, -0.1], "S1_high": [0.6, 0.2],
                          "ST": [0.6, 0.1], "ST_low": [0.5, 0.02], "ST_high": [0.7, 0.2]})
    fig = sensitivity.sobol_figure(sobol, output_label="P(deal and no armed attack)")
    assert fig.axes[0].get_title().startswith(style.factor_name("challenger.opportunity_rate") + " explains")
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(hatched) == 1, "only the S1 bar whose interval reaches 0"
    assert style.OKABE_ITO[0] in {matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in fig.axes[0].patches}
