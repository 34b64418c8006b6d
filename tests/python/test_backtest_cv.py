"""The cross-validated backtest (credsim_analysis.backtest_cv, docs/backtest.md):
reweighting one sample equals a direct refit, a fold never sees its held-out
case (model and baselines), the baselines and scores have known answers, and
`credsim backtest DIR --cv K` writes its files."""
from __future__ import annotations

import json
import math
import shutil
import subprocess

import numpy as np
import pytest

from credsim_analysis import backtest_cv, case_baselines as base, crossval as cv, forecast_scores as fs

# --- reweighting against a direct refit ------------------------------------------

A, B = np.array([-0.5, 0.4, 1.0]), np.array([1.2, -0.8, 0.6])  # case c: P(attack | z) = sigmoid(A_c + B_c z)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _synthetic_draws(proposal: cv.Proposal, n: int) -> dict:
    z = proposal.draw(n, seed=11)
    p = _sigmoid(A + B * z)  # (n, 3); within [0.05, 0.95] for |z| < 4, so the likelihood's clamp never acts
    return {"z": z, "p_attack": p, "timing": p, "honour": np.empty((n, 0)), "renewed_war": np.zeros(n)}


def test_fold_reweighting_equals_a_direct_refit_without_the_held_out_case():
    """One parameter, prior N(0, 1), three cases. The held-out case's predictive
    P(attack) from reweighted draws of a proposal matches the posterior mean of
    sigmoid(A_h + B_h z) computed by quadrature from the training cases alone;
    tolerance: 4 importance-sampling standard errors."""
    proposal = cv.Proposal.normal_with_prior(np.array([0.4]), np.array([[0.8]]), "test")
    draws = _synthetic_draws(proposal, 4096)
    attacked = [True, False, True]
    case_ll = cv.case_log_likelihood(draws, [], attacked, [])
    lp = cv.log_prior(draws["z"]) - proposal.log_density(draws["z"])
    grid = np.linspace(-8, 8, 20001)
    for held in range(3):
        train = [c for c in range(3) if c != held]
        w, ess, collapsed = cv.fold_weights(cv.fold_log_weights(case_ll, np.zeros(len(lp)), lp, train))
        assert not collapsed and ess > 1000
        got = cv.predictive(draws, [], w, [held])[held]["p_attack"]
        post = -0.5 * grid ** 2
        for c in train:
            pc = _sigmoid(A[c] + B[c] * grid)
            post += np.log(pc if attacked[c] else 1 - pc)
        post = np.exp(post - post.max())
        want = float(np.sum(post * _sigmoid(A[held] + B[held] * grid)) / post.sum())
        p_h = draws["p_attack"][:, held]
        se = math.sqrt(float(np.sum(w ** 2 * (p_h - got) ** 2)))
        assert got == pytest.approx(want, abs=4 * se), (held, got, want, se)


def test_a_held_out_outcome_never_enters_its_own_forecast():
    proposal = cv.Proposal.normal_with_prior(np.array([0.4]), np.array([[0.8]]), "test")
    draws = _synthetic_draws(proposal, 512)
    lp = cv.log_prior(draws["z"]) - proposal.log_density(draws["z"])

    def forecast(attacked, held):
        ll = cv.case_log_likelihood(draws, [], attacked, [])
        train = [c for c in range(3) if c != held]
        w, _, _ = cv.fold_weights(cv.fold_log_weights(ll, np.zeros(len(lp)), lp, train))
        return cv.predictive(draws, [], w, [0, 1, 2])

    before, after = forecast([True, False, True], 2), forecast([True, False, False], 2)
    assert before[2]["p_attack"] == after[2]["p_attack"]
    other = forecast([True, True, True], 2)  # flipping a training case does move it: the test can fail
    assert other[2]["p_attack"] != before[2]["p_attack"]


def test_collapsed_weights_are_truncated_and_flagged():
    """399 draws of weight 1 and one of 1000: ESS 1.96; the big one is capped at
    sqrt(400) x the mean weight (20 x 1399 / 400 = 69.95), 69.95 / 468.95 of the total."""
    log_w = np.zeros(400)
    log_w[0] = math.log(1000.0)
    w, ess, collapsed = cv.fold_weights(log_w)
    assert collapsed and ess == pytest.approx(1399 ** 2 / (399 + 1000 ** 2))
    assert w[0] == pytest.approx(69.95 / 468.95) and w.sum() == pytest.approx(1.0)
    w, ess, collapsed = cv.fold_weights(np.zeros(400))
    assert not collapsed and ess == pytest.approx(400) and w[0] == pytest.approx(1 / 400)


def test_folds_split_every_case_once_and_repeat_for_a_seed():
    assert cv.folds(4, "loo") == [[0], [1], [2], [3]]
    three = cv.folds(10, 3, seed=2)
    assert sorted(i for f in three for i in f) == list(range(10)) and [len(f) for f in three] == [4, 3, 3]
    assert cv.folds(10, 3, seed=2) == three
    with pytest.raises(ValueError, match="between 2"):
        cv.folds(3, 4)


# --- baselines and scores -----------------------------------------------------------

def _x(formal, troops, nuclear=False, ratio=0.0):
    return {"formal_treaty": formal, "troops": troops, "nuclear": nuclear, "power_ratio": ratio}


def test_rule_baseline_is_each_groups_laplace_smoothed_share():
    train_x = [_x(True, True), _x(True, True), _x(False, False), _x(True, False)]
    p = base.treaty_and_troops(train_x, [False, False, True, False], [_x(True, True), _x(False, True)])
    assert p.tolist() == pytest.approx([1 / 4, 2 / 4])  # (0+1)/(2+2); (1+1)/(2+2)


def test_logistic_baseline_learns_the_direction_and_stays_finite_on_separable_data():
    train_x = [_x(True, True, True, -1.0), _x(True, True, False, -0.5), _x(False, False, False, 1.0),
               _x(False, False, True, 2.0)]
    model = base.logistic_fit(train_x, [False, False, True, True])
    assert np.all(np.isfinite(model["coef"]))
    p = base.logistic_predict(model, [_x(True, True, False, -1.0), _x(False, False, False, 2.0)])
    assert p[0] < 0.5 < p[1]


def test_features_read_the_case_file(source_dir):
    from credsim_analysis import calibration as cal
    berlin = base.features(cal.load_case(source_dir / "scenarios" / "historical" / "west_berlin_1948.yaml").data)
    assert berlin["formal_treaty"] and berlin["troops"] and berlin["nuclear"]
    kuwait = base.features(cal.load_case(source_dir / "scenarios" / "historical" / "kuwait_1990.yaml").data)
    assert not (kuwait["formal_treaty"] or kuwait["troops"] or kuwait["nuclear"])
    assert kuwait["power_ratio"] > 0  # Iraq outguns Kuwait, and no guarantor is committed


def test_constant_hazard_timing_score():
    h = base.constant_hazard([10, 20], [True, False])
    assert h == pytest.approx(2 / 32)
    assert base.timing_log_score(h, 3, True) == pytest.approx(math.log(h) + 2 * math.log(1 - h))
    assert base.timing_log_score(h, 5, False) == pytest.approx(5 * math.log(1 - h))


def test_timing_leaves_out_cases_scored_on_an_attack_of_any_kind():
    """The survival curve is the first armed attack's: a case scored on an attack
    of any kind (grey included) has no timing probability and is left out."""
    survival = np.array([1.0, 0.9, 0.8])
    assert math.isnan(cv.timing_probability(survival, {"attacked": True, "attack_month": 2}, any_attack=True))
    assert cv.timing_probability(survival, {"attacked": True, "attack_month": 2}) == pytest.approx(0.1)
    with_grey = backtest_cv._timing_scores([0.1, math.nan, 0.8], [0.05] * 3, [2, 27, 2], [True, True, False], seed=1)
    without = backtest_cv._timing_scores([0.1, 0.8], [0.05] * 2, [2, 2], [True, False], seed=1)
    assert with_grey == without and with_grey["n"] == 2


def test_scores_have_known_answers():
    y = [True, False, True, False]
    assert fs.auc([0.9, 0.1, 0.8, 0.8], y) == pytest.approx(0.875)  # one tie of four pairs
    assert fs.auc([0.5, 0.5], [True, True]) is None
    bins = fs.reliability_bins([0.05, 0.15, 0.95, 1.0], y)
    assert [(b["n"], b["observed"]) for b in bins] == [(2, 0.5), (2, 0.5)]
    d = fs.paired_difference([0.9, 0.1, 0.8, 0.2], [0.5] * 4, y)
    assert d["brier"]["difference"] == pytest.approx(np.mean([0.01, 0.01, 0.04, 0.04]) - 0.25)
    assert d["brier"]["bootstrap_95"][1] < 0
    same = fs.paired_difference([0.3, 0.6, 0.2, 0.9], [0.3, 0.6, 0.2, 0.9], y)
    assert same["brier"]["difference"] == 0 and same["brier"]["bootstrap_95"] == [0.0, 0.0]


def test_an_attack_a_commitment_does_not_cover_is_not_triggered():
    """The loader leaves a guarantor out of `honoured` exactly when the recorded
    attack_type is one its commitment does not cover (tests/unit/test_backtest.cpp)."""
    commitment = {"guarantor": "usa", "instrument": "political_assurance"}
    limited = {"attacked": True, "attack_month": 3, "attack_type": "limited", "honoured": {}}
    assert backtest_cv.commitment_verdict(limited, commitment) == "not triggered"
    assert backtest_cv.commitment_verdict({**limited, "honoured": {"usa": False}}, commitment) == "not honoured"
    assert backtest_cv.commitment_verdict({**limited, "honoured": {"usa": True}}, commitment) == "honoured"
    assert backtest_cv.commitment_verdict({"attacked": False}, commitment) == "not tested"


# --- end to end on a small folder ----------------------------------------------------

SMALL = ("czechoslovakia_1938", "kuwait_1990", "poland_1939", "west_berlin_1948")


def _folder(tmp_path, source_dir, flip_kuwait=False, names=SMALL):
    root = tmp_path / ("flipped" if flip_kuwait else "as_recorded")
    (root / "historical").mkdir(parents=True)
    shutil.copy(source_dir / "scenarios" / "instruments.yaml", root / "instruments.yaml")
    for name in names:
        text = (source_dir / "scenarios" / "historical" / f"{name}.yaml").read_text()
        if flip_kuwait and name == "kuwait_1990":
            assert "attacked: true\n  attack_month: 8\n" in text
            text = text.replace("attacked: true\n  attack_month: 8\n", "attacked: false\n")
        (root / "historical" / f"{name}.yaml").write_text(text)
    return root / "historical"


SMALL_RUN = {"draws": 16, "trials": 200, "seed": 3, "workers": 1, "pilot_draws": 32}


def _small_sample(folder, source_dir):
    from credsim_analysis import calibration as cal
    _, cases = backtest_cv.load_cases(folder)
    fortna = cal.load_case(source_dir / "scenarios" / "ukraine.yaml", baseline_only=True)
    return backtest_cv.posterior_sample(cases, fortna, source_dir / "docs" / "calibration.json", **SMALL_RUN)


def _small_backtest(folder, source_dir, sample=None):
    return backtest_cv.backtest(folder, "loo", in_sample_trials=200,
                                calibration=source_dir / "docs" / "calibration.json",
                                fortna_file=source_dir / "scenarios" / "ukraine.yaml", sample=sample, **SMALL_RUN)


def test_flipping_a_held_out_outcome_leaves_its_out_of_fold_forecasts_unchanged(tmp_path, source_dir):
    """Kuwait 1990 attacked or not, reweighting the same engine runs: its
    out-of-fold forecasts (model and every baseline) stay the same, the other
    cases' do not (they train on it). With its own sample (the sampler aims at
    every case's posterior, Kuwait's outcome included) Kuwait's forecast moves
    only by Monte Carlo error: within 4 of the two runs' combined standard errors."""
    folder = _folder(tmp_path, source_dir)
    flipped_folder = _folder(tmp_path, source_dir, flip_kuwait=True)
    sample = _small_sample(folder, source_dir)
    as_recorded = _small_backtest(folder, source_dir, sample)
    flipped = _small_backtest(flipped_folder, source_dir, sample)
    by_name = {c["name"]: c for c in as_recorded["cases"]}, {c["name"]: c for c in flipped["cases"]}
    # Timing is the probability given to what happened, so it follows the outcome; the forecasts do not.
    forecasts = [{k: v for k, v in b["kuwait_1990"]["out_of_fold"].items() if k != "timing"} for b in by_name]
    assert forecasts[0] == forecasts[1]
    assert set(forecasts[0]) == {"model", "model_mc_se", "base_rate", "treaty_and_troops", "logistic"}
    for name in ("czechoslovakia_1938", "poland_1939"):
        for forecaster in ("model", "base_rate", "logistic"):
            assert by_name[0][name]["out_of_fold"][forecaster] != by_name[1][name]["out_of_fold"][forecaster]
    own = {c["name"]: c for c in _small_backtest(flipped_folder, source_dir)["cases"]}["kuwait_1990"]["out_of_fold"]
    mine = forecasts[0]
    assert abs(own["model"] - mine["model"]) <= 4 * math.hypot(own["model_mc_se"], mine["model_mc_se"])
    # Honour rows of cases never attacked are reported, with the model's forecasts.
    berlin = by_name[0]["west_berlin_1948"]["honour"]
    assert [h["observed"] for h in berlin] == ["not tested"] * 3
    assert as_recorded["provenance"]["in_calibration"] == ["czechoslovakia_1938", "kuwait_1990", "poland_1939",
                                                           "west_berlin_1948"]
    assert as_recorded["provenance"]["cases_dir"] == str(folder)


def test_cli_cross_validates_k_folds_and_writes_its_files(cli, tmp_path, source_dir):
    folder = _folder(tmp_path, source_dir)
    out = tmp_path / "out"
    done = subprocess.run([str(cli), "backtest", str(folder), "--cv", "2", "--draws", "16", "--cv-trials", "100",
                           "--trials", "200", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"of the cases in {folder}" in done.stdout and "OUT OF FOLD" in done.stdout
    result = json.loads((out / "backtest_cv.json").read_text())
    assert result["provenance"]["cv"] == "2" and len(result["folds"]) == 2
    assert sorted(n for f in result["folds"] for n in f["held_out"]) == list(SMALL)
    assert (out / "backtest_cv.csv").read_text().count("\n") == 4 + 1 + len(SMALL) + 6  # provenance, header, attack rows, honour rows
    bad = subprocess.run([str(cli), "backtest", str(folder), "--cv", "1"], capture_output=True, text=True)
    assert bad.returncode != 0 and "number of folds >= 2" in bad.stderr


def test_figures_draw_every_case_and_forecaster(tmp_path, source_dir):
    from test_analysis import assert_readable
    from credsim_analysis.backtest_cv_figure import FORECASTERS, LABELS, case_label, cases_figure, reliability_figure

    result = _small_backtest(_folder(tmp_path, source_dir), source_dir)
    reliability = reliability_figure(result)
    assert [ax.get_title().split("\n")[0] for ax in reliability.axes] == [LABELS[f] for f in FORECASTERS]
    cases = cases_figure(result)
    shortest_first = sorted(result["cases"], key=lambda c: (c["month"], c["name"]))
    assert [t.get_text() for t in cases.axes[0].get_yticklabels()][::-1] == [case_label(c) for c in shortest_first]
    assert case_label(shortest_first[0]).endswith(f"({shortest_first[0]['month']} mo, in calibration)")
    assert_readable(reliability)
    assert_readable(cases)
    backtest_cv.write_figures(result, tmp_path)
    assert all((tmp_path / name).stat().st_size > 10_000 for name in backtest_cv.FIGURES)


# --- the tempered sampler, the post-1945 honour check, the committed run -------------

def test_tempered_sampler_reaches_a_sharp_posterior_the_prior_cannot():
    """Six constants, prior N(0, I), a normal likelihood of sd 0.1 around c:
    the posterior is N(c 100/101, I/101). From the prior alone 128 draws keep an
    ESS near 1; the tempered stages reach beta = 1 and the weighted mean matches
    the exact one within 4 importance-sampling standard errors per coordinate."""
    dim = 6
    c = np.array([1.5, -1.0, 0.5, 0.0, 2.0, -0.5])
    start = cv.Proposal(((1.0, np.zeros(dim), np.eye(dim)),), "prior")

    def log_likelihood(d):
        return -0.5 * np.sum(((d["z"] - c) / 0.1) ** 2, axis=1)

    sample = cv.tempered_sample(start, lambda z: {"z": z}, log_likelihood, draws=1024, seed=4, stages=8)
    assert sample["stages"][0]["full_likelihood_ess"] < 5  # the prior alone collapses: the test can fail
    assert sample["stages"][-1]["beta"] == 1.0
    log_w = log_likelihood(sample["draws"]) + sample["log_prior_over_proposal"]
    w = cv.cal.normalised(log_w)
    z = sample["draws"]["z"]
    mean = w @ z
    se = np.sqrt(np.sum(w[:, None] ** 2 * (z - mean) ** 2, axis=0))
    assert cv.cal.effective_sample_size(log_w) > 100
    assert np.all(np.abs(mean - c * 100 / 101) <= 4 * se), (mean, c * 100 / 101, se)


def test_post_1945_honour_share_has_known_answers():
    """Two cases (1950, 1939), rows: (0, a, membership), (0, b, political_assurance),
    (1, c, defense_treaty), (0, d, defense_treaty). Only rows 0 and 3 count
    (formal, from 1945); row 3 had no covered attack (NaN): share = row 0's."""
    from credsim_analysis import calibration as cal, honour_check as hc
    rows = [(0, "a", "membership"), (0, "b", "political_assurance"), (1, "c", "defense_treaty"),
            (0, "d", "defense_treaty")]
    keep = hc.rows_checked(rows, [1950, 1939], cal.FORMAL)
    assert keep == [0, 3]
    assert hc.share(np.array([0.4, 0.9]), np.array([0.3, 0.9, 0.8, np.nan]), rows, keep) == pytest.approx(0.3)
    per_draw = hc.share(np.array([[0.5, 0.1], [0.2, 0.1]]), np.array([[0.2, 0, 0, 0.6], [0.5, 0, 0, 1.0]]), rows, keep)
    assert per_draw.tolist() == pytest.approx([0.4, 0.75])  # (0.5 x 0.2 + 0.5 x 0.6) / 1; (0.2 x 0.5 + 0.2 x 1) / 0.4
    se = hc.share_standard_error([0.5, 0.1], [0.2, None, None, 0.6], [100, 0, 0, 400], rows, keep)
    assert se == pytest.approx(math.sqrt(0.25 * 0.16 / 100 + 0.25 * 0.24 / 400))


def _honour_share_from_cases(result) -> float:
    """The files-as-written post-1945 formal share, recomputed from the per-case output."""
    from credsim_analysis import calibration as cal
    num = den = 0.0
    for c in result["cases"]:
        if int(c["name"].rsplit("_", 1)[1]) < 1945:
            continue
        for h in c["honour"]:
            if h["instrument"] in cal.FORMAL and h["in_sample"] is not None:
                num += c["in_sample"]["p_attack"] * h["in_sample"]
                den += c["in_sample"]["p_attack"]
    return num / den


def test_the_printed_post_1945_honour_share_is_the_computation(tmp_path, source_dir):
    """Two post-1945 formal commitments that history tested (Armenia 2020, the
    Falklands 1982), one never tested (Berlin 1948, three), one pre-1945 case."""
    names = ("armenia_csto_2020", "falklands_1982", "poland_1939", "west_berlin_1948")
    result = _small_backtest(_folder(tmp_path, source_dir, names=names), source_dir)
    check = result["honour_check"]
    assert check["commitments"] == ["armenia_csto_2020:russia", "falklands_1982:uk", "west_berlin_1948:usa",
                                    "west_berlin_1948:uk", "west_berlin_1948:france"]
    assert check["tested"]["commitments"] == ["armenia_csto_2020:russia", "falklands_1982:uk"]
    share = _honour_share_from_cases(result)
    assert check["in_sample"]["share"] == pytest.approx(share, rel=1e-12)
    text = backtest_cv.report(result)
    assert f"files as written: {share:.1%} " in text and "22% of post-1945 defence pacts" in text


def _committed_run(source_dir):
    return json.loads((source_dir / "docs" / "backtest_cv.json").read_text(encoding="utf-8"))


def test_docs_backtest_results_are_rendered_from_the_committed_run(source_dir):
    from credsim_analysis.backtest_cv_doc import results_markdown
    text = (source_dir / "docs" / "backtest.md").read_text(encoding="utf-8")
    begin, end = "<!-- backtest-cv:begin -->", "<!-- backtest-cv:end -->"
    assert text.count(begin) == 1 and text.count(end) == 1
    block = text[text.index(begin) + len(begin):text.index(end)]
    assert block.strip("\n") == results_markdown(_committed_run(source_dir)).strip("\n"), (
        "docs/backtest.md's results are stale: copy a run's backtest_cv.json to docs/backtest_cv.json and run "
        "`/usr/bin/python3 analysis/update_doc_tables.py`")


def test_the_committed_runs_scores_follow_from_its_forecasts(source_dir):
    """docs/backtest_cv.json: the out-of-fold scores and the honour check are
    those of its per-case forecasts (nothing in it was edited by hand), and it
    scored the library as it is now (every case file's sha256)."""
    from credsim_analysis import calibration as cal
    r = _committed_run(source_dir)
    y = [c["attacked"] for c in r["cases"]]
    for name, s in r["out_of_fold"]["attack"].items():
        want = fs.score_set([c["out_of_fold"][name] for c in r["cases"]], y)
        assert (s["brier"], s["log_loss"], s["auc"]) == pytest.approx((want["brier"], want["log_loss"], want["auc"]))
    assert r["honour_check"]["in_sample"]["share"] == pytest.approx(_honour_share_from_cases(r), rel=1e-12)
    # Timing covers exactly the cases scored on an armed attack.
    timed = [c["name"] for c in r["cases"] if c["out_of_fold"]["timing"] is not None]
    assert timed == [c["name"] for c in r["cases"] if c["event"] == "armed attack"]
    assert r["out_of_fold"]["timing"]["n"] == r["in_sample"]["timing"]["n"] == len(timed)
    library = {p.stem: cal.load_case(p).sha256 for p in sorted((source_dir / "scenarios" / "historical").glob("*.yaml"))}
    assert r["provenance"]["scenario_sha256"] == library, (
        "the case files changed since docs/backtest_cv.json was run: rerun `credsim backtest scenarios/historical "
        "--cv loo`, copy its backtest_cv.json to docs/ and run analysis/update_doc_tables.py")


BEFORE_RE_ENCODE = "05bc1e8"  # docs/backtest_cv.json before the cases' re-encode (issue 12, item 7)


def test_the_re_encode_paragraph_quotes_the_runs_before_and_after(source_dir):
    """docs/backtest.md's re-encode table and scores: "after" from
    docs/backtest_cv.json, "before" from the same file at BEFORE_RE_ENCODE."""
    import re
    shown = subprocess.run(["git", "-C", str(source_dir), "show", f"{BEFORE_RE_ENCODE}:docs/backtest_cv.json"],
                           capture_output=True)
    if shown.returncode != 0:
        pytest.skip(f"no git history with commit {BEFORE_RE_ENCODE} here")
    before, after = json.loads(shown.stdout), _committed_run(source_dir)
    text = (source_dir / "docs" / "backtest.md").read_text(encoding="utf-8")
    part = text[text.index("**The re-encode (issue 12, item 7)"):text.index("**What would fix it")]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| [^|]+ \| (armed attack|any attack) \| (yes|no) \| "
                      r"([0-9.]+) → ([0-9.]+) \| ([0-9.]+) → ([0-9.]+) \|$", part, re.M)
    assert len(rows) == 8
    old = {c["name"]: c for c in before["cases"]}
    new = {c["name"]: c for c in after["cases"]}
    for name, event, attacked, ins0, ins1, oof0, oof1 in rows:
        assert (new[name]["event"], new[name]["attacked"]) == (event, attacked == "yes"), name
        assert [ins0, ins1, oof0, oof1] == [f"{x:.2f}" for x in (
            old[name]["in_sample"]["p_attack"], new[name]["in_sample"]["p_attack"],
            old[name]["out_of_fold"]["model"], new[name]["out_of_fold"]["model"])], name
    part, text = " ".join(part.split()), " ".join(text.split())  # prose: line breaks are spaces
    brier = lambda r, where: f"{r[where]['attack']['model']['brier']:.3f}"
    assert (f"from {brier(before, 'in_sample')} to {brier(after, 'in_sample')} in sample and from "
            f"{brier(before, 'out_of_fold')} to {brier(after, 'out_of_fold')} out of fold") in part
    h0, h1 = before["out_of_fold"]["honour"], after["out_of_fold"]["honour"]
    assert f"scored on {h1['model']['n']} commitments, not {h0['model']['n']}" in part
    assert f"Brier {h1['model']['brier']:.3f} against {h1['base_rate']['brier']:.3f}" in part
    for name in ("base_rate", "treaty_and_troops", "logistic"):
        assert before["out_of_fold"]["attack"][name]["brier"] == pytest.approx(after["out_of_fold"]["attack"][name]["brier"])
    ess = [f["effective_sample_size"] for f in after["folds"]]
    assert f"effective sample size of {min(ess):.0f} or more (median {float(np.median(ess)):.0f})" in text
    gap = after["out_of_fold"]["attack"]["base_rate"]["model_minus_this"]["brier"]
    assert f"worse by {gap['difference']:.3f}" in text
