"""The results section of docs/backtest.md, rendered from a cross-validated
backtest's backtest_cv.json (`analysis/update_doc_tables.py` writes it from
docs/backtest_cv.json; tests/python/test_backtest_cv.py re-renders and
compares), so that no number in the section can drift from the run."""
from __future__ import annotations

import math
from typing import Mapping

import numpy as np

NAMES = {"model": "credsim model", "treaty_and_troops": "rule: treaty and troops → no attack",
         "logistic": "logistic regression", "base_rate": "base rate"}
WORST = 10  # cases listed where the model loses most to the rule


def _f(x, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _interval(d: Mapping) -> str:
    lo, hi = d["bootstrap_95"] if d["bootstrap_95"] else (None, None)
    return f"{d['difference']:+.3f} [{_f(lo)}, {_f(hi)}]"


def losses_to_rule(r: Mapping) -> list[tuple[float, Mapping]]:
    """(model's Brier - the rule's, case), out of fold, largest loss first."""
    loss = []
    for c in r["cases"]:
        y = 1.0 if c["attacked"] else 0.0
        o = c["out_of_fold"]
        loss.append(((o["model"] - y) ** 2 - (o["treaty_and_troops"] - y) ** 2, c))
    return sorted(loss, key=lambda t: -t[0])


def results_markdown(r: Mapping) -> str:
    p, oof, ins = r["provenance"], r["out_of_fold"], r["in_sample"]
    ess = [f["effective_sample_size"] for f in r["folds"]]
    stages = p["sampler_stages"]
    n = len(r["cases"])
    out = [f"`credsim backtest {p['cases_dir']} --cv {p['cv']}`: {n} cases, seed {p['seed']}, "
           f"{p['draws']} draws in {len(stages)} tempered stages (final β {stages[-1]['beta']:.3g}), "
           f"{p['trials_per_draw']} trials per case and draw, credsim {p['version']}. "
           f"ESS per fold: min {min(ess):.0f}, median {float(np.median(ess)):.0f}, max {max(ess):.0f} "
           f"(every case: {p['full_refit_effective_sample_size']:.0f}); {sum(f['collapsed'] for f in r['folds'])} "
           f"fold(s) under the floor. Monte Carlo standard error of the model's out-of-fold Brier: "
           f"{oof['model_brier_monte_carlo_se']:.4f}.", "",
           f"| attack within the window ({n} cases) | Brier | log loss | AUC | model − this, Brier [95% bootstrap] "
           "| model − this, log loss [95%] |", "|---|---|---|---|---|---|",
           f"| credsim model, in sample (files as written) | {_f(ins['attack']['model']['brier'])} | "
           f"{_f(ins['attack']['model']['log_loss'])} | {_f(ins['attack']['model']['auc'])} | | |"]
    for name, s in oof["attack"].items():
        diff = s.get("model_minus_this")
        out.append(f"| {NAMES[name]}, out of fold | {_f(s['brier'])} | {_f(s['log_loss'])} | {_f(s['auc'])} | "
                   + (f"{_interval(diff['brier'])} | {_interval(diff['log_loss'])} |" if diff else " | |"))
    out += ["", "Out-of-fold reliability (bins of the forecast: cases, mean forecast → share attacked):", "",
            "| forecaster | bins |", "|---|---|"]
    for name, s in oof["attack"].items():
        out.append(f"| {NAMES[name]} | " + "; ".join(
            f"[{b['low']:.1f}, {b['high']:.1f}): {b['n']}, {b['mean_forecast']:.2f} → {b['observed']:.2f}"
            for b in s["reliability"]) + " |")
    out += ["", "By how long each case was watched (the observed attack month, or the window), out of fold: "
            "mean forecast (Brier)", "", "| window | attacked / cases | " + " | ".join(NAMES[k] for k in NAMES)
            + " |", "|---|---|" + "---|" * len(NAMES)]
    for g in oof["by_window"]:
        out.append(f"| {g['window']} | {g['attacked']} / {g['n']} | " + " | ".join(
            f"{g[k]['mean_forecast']:.2f} ({g[k]['brier']:.3f})" for k in NAMES) + " |")
    t = oof["timing"]
    untimed = len(r["cases"]) - t["n"]
    out += ["", f"Timing, out of fold ({t['n']} cases"
            + (f"; the {untimed} scored on an attack of any kind have no timing: the survival curve is the first "
               "armed attack's" if untimed else "") + "): mean ln P(observed month, or no attack through the window) "
            f"{t['model_mean_log_probability']:.2f} for the model, {t['constant_hazard_mean_log_probability']:.2f} for "
            f"the constant hazard (difference {t['model_minus_hazard']:+.2f}, 95% bootstrap "
            f"{t['bootstrap_95'][0]:+.2f} to {t['bootstrap_95'][1]:+.2f})."]
    h = oof["honour"]
    if h:
        out.append(f"Honour, out of fold ({h['model']['n']} commitments honoured or not): Brier "
                   f"{_f(h['model']['brier'])} against {_f(h['base_rate']['brier'])} for the training base rate "
                   f"(difference {_interval(h['base_rate']['model_minus_this']['brier'])}).")
    out += ["", f"The {WORST} cases where the model loses most Brier to the rule, out of fold; and, at the constants "
            "every case wants (their medians), the case's opportunity rate, its P(attack), and its P(attack) were "
            "the challenger given an opportunity every two months (the rate's cap): if that stays low, the "
            "challenger chooses not to attack; if it rises, the case lacks opportunities:", "",
            "| case | attacked (month) | window | model | rule | logistic | model − rule, Brier | refit: opportunities "
            "a month | refit: P(attack) | refit: P(attack), an opportunity every 2 months |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for d, c in losses_to_rule(r)[:WORST]:
        o = c["out_of_fold"]
        out.append(f"| {c['name']} | {'yes (' + str(c['month']) + ')' if c['attacked'] else 'no'} | "
                   f"{c['month']} mo | {o['model']:.2f} | {o['treaty_and_troops']:.2f} | {o['logistic']:.2f} | {d:+.3f} | "
                   f"{c['refit_median']['opportunity_rate']:.3f} | {c['refit_median']['p_attack']:.2f} | "
                   f"{c['refit_median']['p_attack_saturated']:.2f} |")
    hc = r["honour_check"]
    out += ["", "Post-1945 honour rate (issue 14, item 5): " + _honour_text(hc)]
    post = p["refit_all_cases_posterior"]
    out += ["", "The constants every case wants (the same draws weighted by all the cases; median [5%, 95%]): "
            + "; ".join(f"{k} {q['median']:.3g} [{q['q05']:.3g}, {q['q95']:.3g}]" for k, q in post.items())
            + f". Refitted so, the in-sample attack Brier is {ins['attack_refit_all_cases']['brier']:.3f}."]
    return "\n".join(out) + "\n"


def _honour_text(h: Mapping) -> str:
    head = (f"Berkemeier & Fuhrmann (2018) find {h['target']:.0%} of post-{h['since']} defence pacts honoured when "
            f"invoked. The model's share over the {len(h['commitments'])} formal commitments of cases from "
            f"{h['since']} on, each weighted by its case's P(attack) as the calibration's honour term is")
    if "in_sample" not in h:
        return head + ": none in these cases."
    i, rf, t = h["in_sample"], h["refit_all_cases"], h["tested"]
    text = f"{head}: " + ("no covered attack in any trial with the files as written" if math.isnan(i["share"]) else
                          f"{i['share']:.1%} (Monte Carlo SE {i['standard_error']:.1%}) with the files as written")
    if rf:
        text += f"; {rf['median']:.1%} (90%: {rf['q05']:.1%} to {rf['q95']:.1%}) refitted on every case"
    if t["n"]:
        text += (f". History tested {t['n']} of them ({', '.join(t['commitments'])}): {t['honoured']} honoured; "
                 f"the model, as written, gives those {t['model_in_sample']:.1%}" if t["model_in_sample"] is not None and
                 not math.isnan(t["model_in_sample"]) else "")
    return text + "."
