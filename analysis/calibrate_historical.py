#!/usr/bin/python3
"""Calibrate two global constants of credsim against the historical case
library (scenarios/historical) and one published figure, with a holdout.

    PYTHONPATH=build/release/python:analysis /usr/bin/python3 analysis/calibrate_historical.py

What it fits, on a grid (docs/calibration.md explains why and what it means):
  s  globals.decision_noise: the guarantors' logit noise (default 1);
  k  a common scale on every commitment's audience cost (default 1 = the presets
     and overrides as written; each is replaced by k times its mean, so a
     distribution becomes a constant at the scaled mean).
Objective (log-likelihood, higher is better), on the TRAINING cases only:
  - each case: attacked within the horizon ~ Bernoulli(P(attack)), P clamped to [0.01, 0.99];
  - each attacked case's commitment: honoured ~ Bernoulli(P(honour | attack)), same clamp;
  - the literature: the model's mean P(honour | attack) of formal defence commitments
    (membership, defense_treaty) over all cases against 41% honoured for defense pacts
    1816-2003 (Berkemeier & Fuhrmann 2018), a normal term with an assumed SE of 0.05.
Uncertainty: profile likelihood on the grid (values within 2 * delta logL <= 3.84).
The HOLDOUT cases are scored separately, at the defaults and at the fitted values.
Every run uses the same seed and trials, so grid points differ only by the parameters.
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib

import numpy as np

import credsim

ROOT = pathlib.Path(__file__).resolve().parents[1]
CASES = ROOT / "scenarios" / "historical"
HOLDOUT = ("georgia_bucharest_2008", "south_korea_1953", "south_vietnam_1973")  # chosen before any fit
S_GRID = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
K_GRID = (0.1, 0.25, 0.5, 1.0, 1.5, 2.0)
FLOOR = 0.01
LIT_HONOUR, LIT_SE = 0.41, 0.05
FORMAL = ("membership", "defense_treaty")


def dist_mean(v) -> float:
    if not isinstance(v, dict):
        return float(v)
    if "value" in v:
        return float(v["value"])
    d = v["dist"]
    if d == "triangular":
        return (v["low"] + v["mode"] + v["high"]) / 3.0
    if d == "uniform":
        return (v["low"] + v["high"]) / 2.0
    if d == "beta":
        lo, hi = v.get("low", 0.0), v.get("high", 1.0)
        return lo + (hi - lo) * v["a"] / (v["a"] + v["b"])
    if d in ("normal", "truncated_normal"):
        return float(v["mean"])
    raise ValueError(f"no mean for {v}")


def load_cases():
    presets = json.loads(credsim._core.yaml_to_json(str(ROOT / "scenarios" / "instruments.yaml")))["instruments"]
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        sc = credsim.Scenario.from_file(path)
        data = sc.to_dict()
        option = data["options"][0]
        audience = [dist_mean(c.get("audience_cost", presets[c["instrument"]].get("audience_cost", 0.0)))
                    for c in option.get("commitments") or []]
        cases.append({"name": sc.name, "scenario": sc, "observed": data["observed"], "option": option,
                      "audience": audience})
    return cases


def predict(case, s: float, k: float, trials: int, seed: int):
    data = case["scenario"].to_dict()
    data.setdefault("globals", {})["decision_noise"] = s
    for j, a in enumerate(case["audience"]):
        data["options"][0]["commitments"][j]["audience_cost"] = k * a
    sc = credsim.Scenario.from_dict(data, case["scenario"].base_dir, case["scenario"].file_name)
    r = credsim.run(sc, trials=trials, seed=seed)
    m = r.summary.set_index("metric")["estimate"]
    out = {"p_attack": 1.0 - float(m["p_deterred"]), "honour": []}
    for j, c in enumerate(case["option"].get("commitments") or []):
        name = f"p_honour_{j}_{c['guarantor']}_{c['instrument']}"
        p = m.get(name)
        out["honour"].append((c["guarantor"], c["instrument"], None if p is None or math.isnan(p) else float(p)))
    return out


def bernoulli_ll(p: float, y: bool) -> float:
    q = min(max(p, FLOOR), 1.0 - FLOOR)
    return math.log(q if y else 1.0 - q)


def case_terms(case, pred):
    """(log-likelihood, [(p, y)] attack pairs, [(p, y)] honour pairs) of one case."""
    ob = case["observed"]
    ll = bernoulli_ll(pred["p_attack"], ob["attacked"])
    attack = [(pred["p_attack"], ob["attacked"])]
    honour = []
    if ob["attacked"]:
        for g, _, p in pred["honour"]:
            if p is not None:
                y = bool(ob["honoured"][g])
                ll += bernoulli_ll(p, y)
                honour.append((p, y))
    return ll, attack, honour


def literature_term(preds) -> tuple[float, float]:
    ps = [p for pred in preds for _, inst, p in pred["honour"] if inst in FORMAL and p is not None]
    mean = float(np.mean(ps))
    return mean, -0.5 * ((mean - LIT_HONOUR) / LIT_SE) ** 2


def scores(pairs):
    if not pairs:
        return float("nan"), float("nan")
    p = np.array([a for a, _ in pairs])
    y = np.array([1.0 if b else 0.0 for _, b in pairs])
    q = np.clip(p, FLOOR, 1 - FLOOR)
    return float(np.mean((p - y) ** 2)), float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def profile_interval(grid, values, axis):
    """Grid values whose profile logL is within 3.84/2 of the best; '(edge)' when the set touches the grid's end."""
    best = values.max()
    prof = values.max(axis=1 - axis)
    inside = [g for g, v in zip(grid, prof) if 2 * (best - v) <= 3.84]
    lo = f"{min(inside):g}" + (" (grid edge)" if min(inside) == grid[0] else "")
    hi = f"{max(inside):g}" + (" (grid edge)" if max(inside) == grid[-1] else "")
    return lo, hi, prof


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-literature", action="store_true", help="fit to the training cases only")
    args = ap.parse_args()

    cases = load_cases()
    train = [c for c in cases if c["name"] not in HOLDOUT]
    hold = [c for c in cases if c["name"] in HOLDOUT]
    ll = np.zeros((len(S_GRID), len(K_GRID)))
    lit = np.zeros_like(ll)
    preds = {}
    for i, s in enumerate(S_GRID):
        for j, k in enumerate(K_GRID):
            pr = {c["name"]: predict(c, s, k, args.trials, args.seed) for c in cases}
            preds[(s, k)] = pr
            mean, term = literature_term(list(pr.values()))
            lit[i, j] = mean
            ll[i, j] = sum(case_terms(c, pr[c["name"]])[0] for c in train) + (0.0 if args.no_literature else term)

    i, j = np.unravel_index(np.argmax(ll), ll.shape)
    s_hat, k_hat = S_GRID[i], K_GRID[j]
    s_lo, s_hi, s_prof = profile_interval(S_GRID, ll, 0)
    k_lo, k_hi, k_prof = profile_interval(K_GRID, ll, 1)

    print(f"# Calibration run ({'cases only' if args.no_literature else 'cases + literature term'}): {len(train)} training cases, holdout {', '.join(HOLDOUT)}; "
          f"seed {args.seed}, {args.trials} trials per case and grid point; credsim {credsim.__version__}\n")
    print("Training log-likelihood, rows s = decision_noise, columns k = audience-cost scale\n")
    print("| s \\ k | " + " | ".join(f"{k:g}" for k in K_GRID) + " |")
    print("|---|" + "---|" * len(K_GRID))
    for a, s in enumerate(S_GRID):
        print(f"| {s:g} | " + " | ".join(f"{ll[a, b]:.2f}" for b in range(len(K_GRID))) + " |")
    print("\nModel's mean P(honour | attack) of formal defence commitments (target 0.41)\n")
    print("| s \\ k | " + " | ".join(f"{k:g}" for k in K_GRID) + " |")
    print("|---|" + "---|" * len(K_GRID))
    for a, s in enumerate(S_GRID):
        print(f"| {s:g} | " + " | ".join(f"{lit[a, b]:.2f}" for b in range(len(K_GRID))) + " |")
    print(f"\nFitted: decision_noise s = {s_hat:g} (profile 95% on the grid: {s_lo} .. {s_hi}), "
          f"audience-cost scale k = {k_hat:g} (profile 95% on the grid: {k_lo} .. {k_hi}); "
          f"logL {ll[i, j]:.2f} vs {ll[S_GRID.index(1.0), K_GRID.index(1.0)]:.2f} at the defaults (1, 1).")
    print("Profile logL over s: " + ", ".join(f"{s:g}: {v:.2f}" for s, v in zip(S_GRID, s_prof)))
    print("Profile logL over k: " + ", ".join(f"{k:g}: {v:.2f}" for k, v in zip(K_GRID, k_prof)))

    print("\nScores (Brier, log loss), in and out of sample\n")
    print("| cases | values | attack Brier | attack log loss | honour Brier | honour log loss |")
    print("|---|---|---|---|---|---|")
    for label, group in (("training", train), ("holdout", hold)):
        for vals in ((1.0, 1.0), (s_hat, k_hat)):
            pr = preds[vals]
            a_pairs, h_pairs = [], []
            for c in group:
                _, a, h = case_terms(c, pr[c["name"]])
                a_pairs += a
                h_pairs += h
            ab, al = scores(a_pairs)
            hb, hl = scores(h_pairs)
            tag = "defaults (1, 1)" if vals == (1.0, 1.0) else f"fitted ({vals[0]:g}, {vals[1]:g})"
            print(f"| {label} ({len(group)}) | {tag} | {ab:.3f} | {al:.3f} | {hb:.3f} | {hl:.3f} |")

    print("\nPer-case predictions at the fitted values (P(attack); P(honour | attack) per guarantor)\n")
    for c in cases:
        pr = preds[(s_hat, k_hat)][c["name"]]
        hon = ", ".join(f"{g} {p:.2f}" if p is not None else f"{g} -" for g, _, p in pr["honour"])
        split = "holdout" if c["name"] in HOLDOUT else "train"
        print(f"- {c['name']} ({split}): P(attack) {pr['p_attack']:.3f}, attacked {c['observed']['attacked']}; "
              f"honour: {hon or 'none'}")


if __name__ == "__main__":
    main()
