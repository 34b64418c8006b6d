"""`credsim backtest DIR --cv loo|K`: the backtest with in-sample and
out-of-fold scores (docs/backtest.md).

    python -m credsim_analysis.backtest_cv scenarios/historical --cv loo

In-sample: each case as written (the applied calibrated constants), the
baselines fitted on every case. Out of fold: the calibration refitted without
the fold by importance reweighting (credsim_analysis.crossval), the baselines
fitted on the other folds. Scores: attack within the window (Brier, log loss,
AUC, reliability; each baseline's paired difference from the model with a
bootstrap interval), timing (log probability of the observed attack month or
of no attack through the window) and honour per commitment.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import sys
import tempfile
from typing import Mapping, Sequence

import numpy as np

import credsim

from . import calibration as cal
from . import case_baselines as base
from . import crossval as cv
from . import forecast_scores as fs
from . import honour_check as hc
from .backtest_cv_doc import WORST, losses_to_rule

ROOT = pathlib.Path(__file__).resolve().parents[2]
PILOT_DRAWS = 512  # prior draws of the published-figures pilot (one run of the Fortna case each)
TIMING_FLOOR = 1e-4  # a timing probability is floored so before its log: one miss costs at most ln(1e4)


def _year(name: str) -> float | None:
    try:
        return float(name.rsplit("_", 1)[1])
    except (IndexError, ValueError):
        return None


def _unlisted_crises(cases: Sequence[cal.Case], record: Mapping) -> list[str]:
    """Cases whose written opportunity rate is not the applied calm rate, yet
    that calibration.apply treats as calm (they lack a CRISIS_MULTIPLE)."""
    calm = record.get("applied", {}).get("calm_opportunity_rate")
    if calm is None:
        return []
    return [c.name for c in cases if c.name not in cal.CRISIS_MULTIPLE
            and abs(cal._mode(c.data["challenger"]["opportunity_rate"]) / calm - 1) > 0.01]


def commitment_verdict(observed: Mapping, commitment: Mapping) -> str:
    """What happened to one commitment: honoured, not honoured, not triggered
    (attacked, but the loader let its guarantor out of `honoured`: the recorded
    `attack_type` is one its commitment does not cover) or not tested (no attack)."""
    if not observed["attacked"]:
        return "not tested"
    honoured = observed.get("honoured") or {}
    if commitment["guarantor"] not in honoured:
        return "not triggered"
    return "honoured" if honoured[commitment["guarantor"]] else "not honoured"


def _scored(kind_pairs: Mapping[str, Sequence[float]], y: Sequence[bool], seed: int) -> dict:
    """Scores of the model and each baseline, and each baseline's paired difference from the model."""
    out = {name: fs.score_set(p, y) for name, p in kind_pairs.items()}
    for name, p in kind_pairs.items():
        if name != "model":
            out[name]["model_minus_this"] = fs.paired_difference(kind_pairs["model"], p, y, seed=seed)
    return out


def _timing_scores(model: Sequence[float], hazard: Sequence[float], months, attacked, seed: int) -> dict:
    """Over the cases with a timing probability (NaN: scored on attacks of any kind, which the
    armed-attack survival curve cannot time; crossval.timing_probability)."""
    timed = [i for i, p in enumerate(model) if not math.isnan(p)]
    m = np.log(np.maximum(np.asarray([model[i] for i in timed], float), TIMING_FLOOR))
    h = np.array([base.timing_log_score(hazard[i], months[i], attacked[i]) for i in timed])
    d = m - h
    rng = np.random.default_rng(seed)
    boot = d[rng.integers(0, len(d), size=(2000, len(d)))].mean(axis=1)
    return {"n": len(timed), "model_mean_log_probability": float(m.mean()), "constant_hazard_mean_log_probability": float(h.mean()),
            "model_minus_hazard": float(d.mean()), "std_error": float(d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else None,
            "bootstrap_95": [float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))]}


def _progress_over_stages(progress, total: int):
    """A per-stage progress callback (done, stage total) as one count over every stage."""
    offset = [0]

    def stage(done, n):
        if progress:
            progress(offset[0] + done, total)
        if done == n:
            offset[0] += n
    return stage


def posterior_sample(cases: Sequence[cal.Case], fortna: cal.Case, calibration: pathlib.Path, draws: int,
                     trials: int, seed: int, workers: int = 2, progress=None,
                     pilot_draws: int = PILOT_DRAWS) -> dict:
    """The engine runs of the out-of-fold refit: draws aimed at the posterior
    given every case (crossval.tempered_sample), each case run at each draw.
    Depends on the cases' outcomes only through where the draws go."""
    rows, attacked, honoured, eras = _outcomes(cases)
    everyone = list(range(len(cases)))
    pilot_mean, pilot_cov, pilot_ess = cv.literature_pilot(fortna, pilot_draws, trials, seed)
    start = cv.Proposal.build(calibration, (pilot_mean, pilot_cov))
    tick = _progress_over_stages(progress, draws)

    def evaluate(z):
        return cv.evaluate_draws(cases, fortna, z, trials, seed, workers, tick)

    def log_likelihood(d):
        return cv.case_log_likelihood(d, rows, attacked, honoured).sum(axis=1) + \
            cv.literature_log_likelihood(d, rows, eras, everyone)

    sample = cv.tempered_sample(start, evaluate, log_likelihood, draws, seed)
    return {**sample, "trials": trials, "start": _shown(start.source), "pilot_effective_sample_size": pilot_ess}


def _shown(text: str) -> str:
    """Paths inside the source tree relative to it: a record that does not name the machine it ran on."""
    return text.replace(str(ROOT) + "/", "")


def _outcomes(cases: Sequence[cal.Case]) -> tuple[list, list, list, list]:
    """Honour rows, attacked per case, honoured per row (None: not scored) and each case's era honour figure."""
    rows = cv.honour_rows(cases)
    attacked = [bool(c.observed["attacked"]) for c in cases]
    commitments = [com for c in cases for com in c.data["options"][0].get("commitments") or []]
    honoured = [{"honoured": True, "not honoured": False}.get(commitment_verdict(cases[c].observed, com))
                for (c, _, _), com in zip(rows, commitments)]
    eras = [None if _year(c.name) is None else cal.era_honour(int(_year(c.name))) for c in cases]
    return rows, attacked, honoured, eras


def _honour_check(cases, rows, verdicts, as_written, d, full_w) -> dict:
    """Berkemeier & Fuhrmann's 22% beside the model's post-1945 formal honour share (honour_check)."""
    years = [None if _year(c.name) is None else int(_year(c.name)) for c in cases]
    keep = hc.rows_checked(rows, years, cal.FORMAL)
    pa = [r["p_attack"] for r in as_written]
    h = [as_written[c]["honour"][g] for c, g, _ in rows]
    hn = [as_written[c]["honour_n"][g] for c, g, _ in rows]
    tested = [r for r in keep if verdicts[r] in ("honoured", "not honoured")]
    kept = sum(verdicts[r] == "honoured" for r in tested)
    out = {"target": hc.TARGET, "since": hc.SINCE,
           "commitments": [f"{cases[rows[r][0]].name}:{rows[r][1]}" for r in keep]}
    if not keep:
        return out
    h_nan = np.array([math.nan if v is None else v for v in h])
    per_draw = hc.share(d["p_attack"], d["honour"], rows, keep)
    ok = ~np.isnan(per_draw)
    w = full_w[ok] / full_w[ok].sum() if ok.any() else None
    out |= {
        "in_sample": {"share": float(hc.share(np.array(pa), h_nan, rows, keep)),
                      "standard_error": hc.share_standard_error(pa, h, hn, rows, keep)},
        "refit_all_cases": None if w is None else
        {q: cal.weighted_quantile(per_draw[ok], w, level) for q, level in (("q05", .05), ("median", .5), ("q95", .95))},
        "tested": {"commitments": [f"{cases[rows[r][0]].name}:{rows[r][1]}" for r in tested],
                   "honoured": int(kept), "n": len(tested),
                   "jeffreys_90": hc.jeffreys_interval(int(kept), len(tested)),
                   "model_in_sample": float(hc.share(np.array(pa), h_nan, rows, tested)) if tested else None},
    }
    return out


def load_cases(folder: pathlib.Path) -> tuple[list[pathlib.Path], list[cal.Case]]:
    """The folder's case files, sorted, and their cases; every one must record what happened."""
    files = sorted(pathlib.Path(folder).glob("*.yaml"))
    if not files:
        raise ValueError(f"'{folder}' has no .yaml case files")
    cases = [cal.load_case(p) for p in files]
    for p, c in zip(files, cases):
        if not c.observed:
            raise ValueError(f"{p}: not a historical case (no 'observed:' section)")
    return files, cases


SATURATED_RATE = 0.5  # opportunities per month: calibration.apply's cap on any case's rate


def _opportunity_or_choice(cases: Sequence[cal.Case], theta: Mapping[str, float], trials: int, seed: int) -> list:
    """Why a case's P(attack) is what it is, at the constants every case wants
    (their medians): P(attack) as refitted, and with the challenger given an
    opportunity at SATURATED_RATE a month. If even then it stays low, the
    challenger is choosing not to attack (deterrence, costs, its precision);
    if it rises, the case lacks opportunities (the calm rate, the crisis multiple)."""
    saturated = {**theta, "calm_opportunity_rate": 1.0}  # every case's rate capped at SATURATED_RATE
    return [{"p_attack": cv.run_case(cal.apply(c, theta), c, trials, seed)["p_attack"],
             "p_attack_saturated": cv.run_case(cal.apply(c, saturated), c, trials, seed)["p_attack"],
             "opportunity_rate": min(theta["calm_opportunity_rate"] * (theta["crisis_factor"] * cal.CRISIS_MULTIPLE[c.name]
                                                                       if c.name in cal.CRISIS_MULTIPLE else 1.0),
                                     SATURATED_RATE)}
            for c in cases]


def backtest(folder: pathlib.Path, scheme: str | int = "loo", draws: int = 1024, trials: int = 500,
             in_sample_trials: int = 4000, seed: int = 1, calibration: pathlib.Path | None = None,
             fortna_file: pathlib.Path | None = None, workers: int = 2, progress=None,
             pilot_draws: int = PILOT_DRAWS, sample: Mapping | None = None) -> dict:
    """`sample`: the engine runs of a previous posterior_sample to reuse (a test
    reweights one sample under other outcomes); by default drawn here."""
    files, cases = load_cases(folder)
    fortna = cal.load_case(fortna_file or ROOT / "scenarios" / "ukraine.yaml", baseline_only=True)
    calibration = calibration if calibration is not None else ROOT / "docs" / "calibration.json"
    record = json.loads(calibration.read_text()) if calibration.is_file() else {}
    in_calibration = set(record.get("training_cases", []))

    n = len(cases)
    rows, attacked, honoured, eras = _outcomes(cases)
    months = [int(c.observed["attack_month"]) if a else int(c.data["horizon"]) for c, a in zip(cases, attacked)]
    x = [base.features(c.data) for c in cases]
    commitments = [com for c in cases for com in c.data["options"][0].get("commitments") or []]
    verdicts = [commitment_verdict(cases[c].observed, com) for (c, _, _), com in zip(rows, commitments)]

    # In sample: the files as written, baselines on every case.
    as_written = [cv.run_case(c.data, c, in_sample_trials, seed) for c in cases]
    ins = {"model": [r["p_attack"] for r in as_written], **base.attack_baselines(x, attacked, x)}
    ins_timing = [cv.timing_probability(r["survival"], c.observed, r["any_kind"]) for r, c in zip(as_written, cases)]
    ins_honour = [as_written[c]["honour"][g] for c, g, _ in rows]

    # Out of fold: one set of engine runs, aimed at every case's posterior, reweighted per fold.
    if sample is None:
        sample = posterior_sample(cases, fortna, calibration, draws, trials, seed, workers, progress, pilot_draws)
    d, lp = sample["draws"], sample["log_prior_over_proposal"]
    z = d["z"]
    case_ll = cv.case_log_likelihood(d, rows, attacked, honoured)
    everyone = list(range(n))
    full_w = cv.fold_log_weights(case_ll, cv.literature_log_likelihood(d, rows, eras, everyone), lp, everyone)
    refit = cv.predictive(d, rows, cal.normalised(full_w), everyone)
    # Where every case puts the constants: a diagnostic of the model the cases want.
    refit_posterior = {p.name: {q: cal.weighted_quantile(p.value(z[:, k]), cal.normalised(full_w), level)
                                for q, level in (("q05", 0.05), ("median", 0.5), ("q95", 0.95))}
                       for k, p in enumerate(cal.PARAMETERS)}

    mechanism = _opportunity_or_choice(cases, {k: q["median"] for k, q in refit_posterior.items()}, trials, seed)

    oof = {name: np.empty(n) for name in ("model", *base.ATTACK_BASELINES)}
    oof_timing, hazard, oof_mc_se = np.empty(n), np.empty(n), np.empty(n)
    oof_honour, honour_rate = [None] * len(rows), [None] * len(rows)
    fold_rows = []
    for f, held in enumerate(cv.folds(n, scheme, seed)):
        train = [i for i in everyone if i not in held]
        log_w = cv.fold_log_weights(case_ll, cv.literature_log_likelihood(d, rows, eras, train), lp, train)
        w, ess, collapsed = cv.fold_weights(log_w)
        pred = cv.predictive(d, rows, w, held, sample["trials"])
        fitted = base.attack_baselines([x[i] for i in train], [attacked[i] for i in train], [x[i] for i in held])
        h = base.constant_hazard([months[i] for i in train], [attacked[i] for i in train])
        scored_train = [honoured[r] for r, (c, _, _) in enumerate(rows) if c in train and honoured[r] is not None]
        rate = float(np.mean(scored_train)) if scored_train else 0.5
        for j, i in enumerate(held):
            oof["model"][i] = pred[i]["p_attack"]
            for name, p in fitted.items():
                oof[name][i] = p[j]
            oof_timing[i], hazard[i], oof_mc_se[i] = pred[i]["timing"], h, pred[i]["p_attack_mc_se"]
        for r, (c, g, _) in enumerate(rows):
            if c in held:
                oof_honour[r], honour_rate[r] = pred[c]["honour"][g], rate
        fold_rows.append({"fold": f, "held_out": [cases[i].name for i in held], "effective_sample_size": ess,
                          "collapsed": collapsed})

    # Honour scored where a covered attack came and the model forecast one.
    def honour_scores(model_p, rate_p):
        keep = [r for r in range(len(rows)) if honoured[r] is not None and model_p[r] is not None]
        y = [honoured[r] for r in keep]
        return _scored({"model": [model_p[r] for r in keep], "base_rate": [rate_p[r] for r in keep]}, y, seed) \
            if keep else {}

    y = np.array(attacked, float)
    # The Monte Carlo error of the out-of-fold Brier, from each forecast's (cases' errors taken as independent).
    brier_mc_se = float(np.sqrt(np.sum((2 * (oof["model"] - y) * oof_mc_se) ** 2)) / n)
    all_rate = np.mean([h for h in honoured if h is not None]) if any(h is not None for h in honoured) else 0.5
    hazard_all = base.constant_hazard(months, attacked)
    result = {
        "provenance": {"command": "backtest --cv", "cases_dir": str(folder), "cv": str(scheme),
                       "seed": seed, "draws": draws, "trials_per_draw": trials, "in_sample_trials": in_sample_trials,
                       "version": credsim.__version__, "proposal": sample["start"],
                       "pilot_effective_sample_size": sample["pilot_effective_sample_size"],
                       "sampler_stages": sample["stages"],
                       "calibration_record": _shown(str(calibration)) if record else None,
                       "in_calibration": sorted(in_calibration & {c.name for c in cases}),
                       "not_in_calibration": sorted({c.name for c in cases} - in_calibration),
                       "full_refit_effective_sample_size": cal.effective_sample_size(full_w),
                       "refit_all_cases_posterior": refit_posterior,
                       "scenario_sha256": {c.name: c.sha256 for c in cases},
                       "rate_not_refitted": _unlisted_crises(cases, record)},
        "features": {c.name: xi for c, xi in zip(cases, x)},
        "folds": fold_rows,
        "cases": [],
        "in_sample": {"attack": _scored(ins, attacked, seed),
                      "attack_refit_all_cases": fs.score_set([refit[i]["p_attack"] for i in everyone], attacked),
                      "timing": _timing_scores(ins_timing, [hazard_all] * n, months, attacked, seed),
                      "honour": honour_scores(ins_honour, [all_rate] * len(rows))},
        "out_of_fold": {"attack": _scored({k: list(v) for k, v in oof.items()}, attacked, seed),
                        "timing": _timing_scores(oof_timing, hazard, months, attacked, seed),
                        "honour": honour_scores(oof_honour, honour_rate),
                        "model_brier_monte_carlo_se": brier_mc_se,
                        "by_window": _by_window(months, attacked, oof)},
        "honour_check": _honour_check(cases, rows, verdicts, as_written, d, cal.normalised(full_w)),
    }
    for i, c in enumerate(cases):
        result["cases"].append({
            "name": c.name, "file": files[i].name, "in_calibration": c.name in in_calibration,
            "attacked": attacked[i], "month": months[i],
            "event": "any attack" if as_written[i]["any_kind"] else "armed attack",
            "in_sample": {"p_attack": ins["model"][i], "timing": _number_or_none(ins_timing[i]),
                          **{k: float(ins[k][i]) for k in base.ATTACK_BASELINES}},
            "out_of_fold": {k: float(oof[k][i]) for k in oof} | {"timing": _number_or_none(oof_timing[i]),
                                                                 "model_mc_se": float(oof_mc_se[i])},
            "refit_median": mechanism[i],
            "honour": [{"guarantor": g, "instrument": inst, "observed": verdicts[r],
                        "in_sample": ins_honour[r], "out_of_fold": oof_honour[r]}
                       for r, (ci, g, inst) in enumerate(rows) if ci == i],
        })
    return result


def _number_or_none(x: float) -> float | None:
    """JSON has no NaN: a missing number is null."""
    return None if math.isnan(x) else float(x)


WINDOWS = ((1, 12, "acute: window of 12 months or less"), (13, 60, "13 to 60 months"),
           (61, 10 ** 9, "long: over 60 months"))


def _by_window(months, attacked, oof) -> list[dict]:
    """Cases grouped by how long they were watched (the observed attack month, or the
    horizon): attacked share, each forecaster's mean forecast and Brier."""
    out = []
    for lo, hi, label in WINDOWS:
        idx = [i for i, m in enumerate(months) if lo <= m <= hi]
        if not idx:
            continue
        y = np.array([attacked[i] for i in idx], float)
        out.append({"window": label, "n": len(idx), "attacked": int(y.sum()),
                    **{k: {"mean_forecast": float(np.mean(v[idx])), "brier": float(np.mean((v[idx] - y) ** 2))}
                       for k, v in oof.items()}})
    return out


# --- text ---------------------------------------------------------------------------

def _f(x, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _score_table(title: str, scores: Mapping) -> list[str]:
    lines = [title, f"  {'forecast':<20}{'Brier':<9}{'log loss':<10}{'AUC':<7}model - this: Brier [95% bootstrap], "
             "log loss [95%]"]
    for name, s in scores.items():
        diff = s.get("model_minus_this")
        text = ""
        if diff:
            b, l = diff["brier"], diff["log_loss"]
            text = (f"{_f(b['difference'])} [{_f(b['bootstrap_95'][0])}, {_f(b['bootstrap_95'][1])}], "
                    f"{_f(l['difference'])} [{_f(l['bootstrap_95'][0])}, {_f(l['bootstrap_95'][1])}]")
        lines.append(f"  {name:<20}{_f(s['brier']):<9}{_f(s['log_loss']):<10}{_f(s['auc']):<7}{text}")
    return lines


def _verdicts(scores: Mapping, what: str) -> list[str]:
    model, lines = scores["model"], []
    for name, s in scores.items():
        if name == "model":
            continue
        b = s["model_minus_this"]["brier"]
        beats = model["brier"] < s["brier"] and model["log_loss"] < s["log_loss"]
        clear = beats and b["bootstrap_95"] is not None and b["bootstrap_95"][1] < 0
        lines.append(f"{what}: the model {'BEATS' if beats else 'does NOT beat'} '{name}' (Brier {_f(model['brier'])} "
                     f"vs {_f(s['brier'])})" + (": clearly (the 95% interval excludes 0)" if clear else
                                                 ": not distinguishable with this few cases" if beats else "") + ".")
    return lines


def _reliability(title: str, scores: Mapping) -> list[str]:
    lines = [title]
    for name, s in scores.items():
        bins = ", ".join(f"[{b['low']:.1f},{b['high']:.1f}) n={b['n']} {b['mean_forecast']:.2f}->{b['observed']:.2f}"
                         for b in s["reliability"])
        lines.append(f"  {name:<20}{bins}")
    return lines


def _window_table(groups: Sequence[Mapping]) -> list[str]:
    lines = ["By how long the case was watched (observed attack month, or the window): attacked / cases; "
             "mean forecast (Brier)"]
    for g in groups:
        lines.append(f"  {g['window']:<38}{g['attacked']:>2} / {g['n']:<4}" + "  ".join(
            f"{k} {g[k]['mean_forecast']:.2f} ({g[k]['brier']:.3f})" for k in ("model", "treaty_and_troops",
                                                                               "logistic", "base_rate")))
    return lines


def _percent(x) -> str:
    return "- (no covered attack in any trial)" if x is None or math.isnan(x) else f"{x:.1%}"


def honour_check_lines(h: Mapping) -> list[str]:
    """Berkemeier & Fuhrmann's post-1945 honour rate beside the model's (honour_check)."""
    head = (f"Berkemeier & Fuhrmann (2018): {h['target']:.0%} of post-{h['since']} defence pacts honoured when "
            f"invoked. The model, over the {len(h['commitments'])} formal commitments of cases from {h['since']} "
            "on, each weighted by its case's P(attack):")
    if "in_sample" not in h:
        return [head + " none in these cases."]
    i, rf, t = h["in_sample"], h["refit_all_cases"], h["tested"]
    lines = [head, "  files as written: no covered attack in any trial" if math.isnan(i["share"]) else
             f"  files as written: {i['share']:.1%} (Monte Carlo SE {i['standard_error']:.1%})"]
    if rf:
        lines.append(f"  refitted on every case: median {rf['median']:.1%} [90%: {rf['q05']:.1%}, {rf['q95']:.1%}]")
    if t["n"]:
        lines.append(f"  the {t['n']} of them that history tested: {t['honoured']} honoured "
                     f"({t['honoured'] / t['n']:.0%}, Jeffreys 90% {t['jeffreys_90'][0]:.0%}-{t['jeffreys_90'][1]:.0%}); "
                     f"the model, as written, on those: {_percent(t['model_in_sample'])}")
    return lines


def report(r: Mapping) -> str:
    p = r["provenance"]
    ess_all = [f["effective_sample_size"] for f in r["folds"]]
    lines = [f"Backtest with cross-validation ({p['cv']}) of the cases in {p['cases_dir']}",
             f"In the calibration ({p['calibration_record'] or 'no record'}): {', '.join(p['in_calibration']) or 'none'}",
             f"Not in it: {', '.join(p['not_in_calibration']) or 'none'}",
             f"Out of fold: {p['draws']} draws of the constants in {len(p['sampler_stages'])} tempered stages aimed at "
             f"the posterior given every case, the first from {p['proposal']}; {p['trials_per_draw']} trials per "
             f"case and draw, seed {p['seed']}; each fold reweights them.",
             "  stages (beta, ESS at beta, ESS with every case at beta = 1): " + "; ".join(
                 f"{st['stage']}: {st['beta']:.3g}, {st['effective_sample_size']:.0f}, {st['full_likelihood_ess']:.0f}"
                 for st in p["sampler_stages"]),
             f"  ESS per fold: min {min(ess_all):.0f}, median {float(np.median(ess_all)):.0f}, max {max(ess_all):.0f} "
             f"of {p['draws']} draws (every case: {p['full_refit_effective_sample_size']:.0f})", ""]
    lines.append(f"{'case':<26}{'calib.':<7}{'attacked':<10}{'P(attack) in / out':<20}{'rule':<7}{'logit':<7}"
                 f"{'P(timing) in / out':<20}ESS")
    ess = {name: f["effective_sample_size"] for f in r["folds"] for name in f["held_out"]}
    for c in r["cases"]:
        i, o = c["in_sample"], c["out_of_fold"]
        lines.append(f"{c['name']:<26}{'yes' if c['in_calibration'] else 'no':<7}"
                     f"{('mo ' + str(c['month'])) if c['attacked'] else 'no':<10}"
                     f"{_f(i['p_attack']) + ' / ' + _f(o['model']):<20}{_f(o['treaty_and_troops'], 2):<7}"
                     f"{_f(o['logistic'], 2):<7}{_f(i['timing']) + ' / ' + _f(o['timing']):<20}{ess[c['name']]:.0f}")
    lines += ["", "Honour per commitment: P(promise kept | a covered attack), in sample / out of fold, and what happened"]
    for c in r["cases"]:
        for h in c["honour"]:
            lines.append(f"  {c['name']:<26}{h['guarantor']:<10}{h['instrument']:<22}"
                         f"{_f(h['in_sample']) + ' / ' + _f(h['out_of_fold']):<16}{h['observed']}")
        if not c["honour"]:
            lines.append(f"  {c['name']:<26}(no commitment)")
    for label, key in (("IN SAMPLE (files as written; baselines fitted on every case)", "in_sample"),
                       ("OUT OF FOLD (calibration and baselines fitted without the scored case's fold)", "out_of_fold")):
        s = r[key]
        lines += ["", label, ""]
        lines += _score_table(f"Attack within the window ({len(r['cases'])} cases)", s["attack"])
        lines += _reliability("Reliability (bin: n, mean forecast -> share attacked)", s["attack"])
        t = s["timing"]
        lines.append(f"Timing ({t['n']} cases scored on an armed attack), mean ln P(observed month, or no attack "
                     f"through the window): model "
                     f"{t['model_mean_log_probability']:.3f}, constant hazard {t['constant_hazard_mean_log_probability']:.3f}; "
                     f"model - hazard {t['model_minus_hazard']:+.3f} [{t['bootstrap_95'][0]:+.3f}, {t['bootstrap_95'][1]:+.3f}]")
        if "model_brier_monte_carlo_se" in s:
            lines.append(f"Monte Carlo standard error of the model's out-of-fold Brier (draws and trials): "
                         f"{s['model_brier_monte_carlo_se']:.4f}")
            lines += _window_table(s["by_window"])
        if s["honour"]:
            lines += _score_table(f"Honour when a covered attack came ({s['honour']['model']['n']} commitments)",
                                  s["honour"])
        lines += _verdicts(s["attack"], "Attack")
        if s["honour"]:
            lines += _verdicts(s["honour"], "Honour")
    if "attack_refit_all_cases" in r["in_sample"]:
        lines.append(f"\n(The same draws weighted by every case: attack Brier "
                     f"{_f(r['in_sample']['attack_refit_all_cases']['brier'])}.)")
    post = p["refit_all_cases_posterior"]
    lines.append("Constants with every case (weighted draws; median [5%, 95%]): " + "; ".join(
        f"{name} {q['median']:.3g} [{q['q05']:.3g}, {q['q95']:.3g}]" for name, q in post.items()))
    lines.append("\nWhere the model loses most Brier to the rule (out of fold), and at the constants every case wants: "
                 "opportunities a month, P(attack), P(attack) with an opportunity every 2 months")
    for d, c in losses_to_rule(r)[:WORST]:
        m = c["refit_median"]
        lines.append(f"  {c['name']:<26}{'attacked' if c['attacked'] else 'not attacked':<14}{c['month']:>4} mo  "
                     f"model {c['out_of_fold']['model']:.2f} rule {c['out_of_fold']['treaty_and_troops']:.2f}  "
                     f"{d:+.3f}   {m['opportunity_rate']:.3f}  {m['p_attack']:.2f}  {m['p_attack_saturated']:.2f}")
    lines += honour_check_lines(r["honour_check"])
    weak = [f for f in r["folds"] if f["collapsed"]]
    if weak:
        lines.append(f"WARNING (importance sampling): {len(weak)} fold(s) kept fewer than {cv.COLLAPSED_ESS:.0f} effective draws "
                     f"({', '.join('+'.join(f['held_out']) for f in weak)}): their forecasts rest on few draws "
                     "(weights truncated at sqrt(draws) x their mean); rerun with more --draws.")
    if p["rate_not_refitted"]:
        lines.append(f"WARNING: written at an opportunity rate other than the calm rate, but not in "
                     f"calibration.CRISIS_MULTIPLE, so the refits run them at the calm rate: "
                     f"{', '.join(p['rate_not_refitted'])}.")
    return "\n".join(lines) + "\n"


def _write(path: pathlib.Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def case_csv(r: Mapping) -> str:
    out = [f"# credsim backtest --cv {r['provenance']['cv']}", f"# cases_dir: {r['provenance']['cases_dir']}",
           f"# seed: {r['provenance']['seed']}", f"# version: {r['provenance']['version']}",
           "case,row,guarantor,instrument,in_calibration,observed,month,in_sample,out_of_fold,"
           "oof_base_rate,oof_treaty_and_troops,oof_logistic,in_sample_timing,oof_timing"]
    for c in r["cases"]:
        i, o = c["in_sample"], c["out_of_fold"]
        out.append(f"{c['name']},attack,,,{int(c['in_calibration'])},{int(c['attacked'])},{c['month']},"
                   f"{i['p_attack']!r},{o['model']!r},{o['base_rate']!r},{o['treaty_and_troops']!r},{o['logistic']!r},"
                   f"{'' if i['timing'] is None else repr(i['timing'])},"
                   f"{'' if o['timing'] is None else repr(o['timing'])}")
        for h in c["honour"]:
            out.append(f"{c['name']},honour,{h['guarantor']},{h['instrument']},{int(c['in_calibration'])},"
                       f"{h['observed']},,{'' if h['in_sample'] is None else repr(h['in_sample'])},"
                       f"{'' if h['out_of_fold'] is None else repr(h['out_of_fold'])},,,,,")
    return "\n".join(out) + "\n"


FIGURES = ("backtest_cv_reliability.png", "backtest_cv_cases.png")


def write_figures(r: Mapping, out: pathlib.Path) -> None:
    from .backtest_cv_figure import cases_figure, reliability_figure
    from .style import save
    for name, make in zip(FIGURES, (reliability_figure, cases_figure)):
        tmp = out / f".{name}.tmp.png"
        save(make(r), tmp)
        os.replace(tmp, out / name)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="credsim backtest DIR --cv", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=pathlib.Path)
    ap.add_argument("--cv", default="loo", help="loo, or a number of folds K")
    ap.add_argument("--draws", type=int, default=1024, help="draws of the constants (engine runs per case)")
    ap.add_argument("--cv-trials", type=int, default=500, help="trials per case and draw")
    ap.add_argument("--trials", type=int, default=4000, help="trials per case, in sample")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="processes sharing the draws")
    ap.add_argument("--calibration", type=pathlib.Path, default=ROOT / "docs" / "calibration.json")
    ap.add_argument("--fortna-scenario", type=pathlib.Path, default=ROOT / "scenarios" / "ukraine.yaml")
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("results") / "backtest")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    scheme = a.cv if a.cv == "loo" else (int(a.cv) if a.cv.isdigit() else ap.error("--cv: loo or a number of folds"))
    if a.draws < 2 * cv.STAGES or a.cv_trials < 100 or a.workers < 1:
        ap.error(f"--draws must be >= {2 * cv.STAGES} (two per sampler stage), --cv-trials >= 100, --workers >= 1")

    def progress(done, total):
        if sys.stderr.isatty() and not a.quiet:
            print(f"\r  draw {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        r = backtest(a.dir, scheme, a.draws, a.cv_trials, a.trials, a.seed, a.calibration, a.fortna_scenario,
                     a.workers, progress)
    except KeyboardInterrupt:
        print("\ninterrupted: nothing written", file=sys.stderr)
        return 130
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    _write(a.out / "backtest_cv.json", json.dumps(r, indent=1, default=float) + "\n")
    _write(a.out / "backtest_cv.csv", case_csv(r))
    write_figures(r, a.out)
    if not a.quiet:
        print(report(r) + f"\nWrote backtest_cv.json backtest_cv.csv {' '.join(FIGURES)}\n   to {a.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
