"""Cross-validated calibration by importance reweighting (docs/backtest.md).

The engine runs once per (draw, case): draws of the six calibrated constants
from a FIXED proposal (a defensive mixture of the prior, the recorded
posterior of docs/calibration.json and the posterior of the published figures
alone, from a pilot that runs no historical case), each case run at each draw. Every fold's
posterior is then the same draws reweighted by prior x likelihood of the
fold's training cases (and the published figures) over the proposal density;
a held-out case's forecast is the weighted mixture of its predictions across
draws. Because the proposal is fixed before any case is scored and the
held-out case's likelihood never enters its fold's weights, a held-out outcome
cannot move its own forecast. This is a reweighting of one sample, not a fresh
sampler per fold: each fold reports its effective sample size, and a fold
whose ESS falls below COLLAPSED_ESS is flagged and its weights truncated.

The module knows no files beyond the scenarios and the calibration record it
is given, and no threads: the draws are shared between worker processes.
"""
from __future__ import annotations

import json
import math
import multiprocessing
import pathlib
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
from scipy import stats

from credsim import Scenario, _core
from credsim.progress import ProgressBar

from . import calibration as cal

PRIOR_SHARE = 0.25  # of the proposal's draws come from the prior (defensive mixture)
INFLATE = 1.5  # the recorded posterior's covariance is widened so before it proposes
COLLAPSED_ESS = 20.0  # a fold with fewer effective draws is flagged


# --- folds ---------------------------------------------------------------------

def folds(n: int, scheme: str | int, seed: int = 1) -> list[list[int]]:
    """'loo': one case per fold. k: the cases dealt round-robin into k folds in
    a seeded random order (each fold's cases sorted)."""
    if scheme == "loo":
        return [[i] for i in range(n)]
    k = int(scheme)
    if not 2 <= k <= n:
        raise ValueError(f"--cv {k}: the number of folds must be between 2 and the number of cases ({n})")
    order = np.random.default_rng(seed).permutation(n)
    return [sorted(int(i) for i in order[f::k]) for f in range(k)]


# --- the proposal ------------------------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    """A mixture of normals in z-space, (share, mean, cov) each; the first is the prior N(0, I)."""
    components: tuple
    source: str

    @staticmethod
    def normal_with_prior(mean: np.ndarray, cov: np.ndarray, source: str) -> "Proposal":
        dim = len(mean)
        return Proposal(((PRIOR_SHARE, np.zeros(dim), np.eye(dim)), (1 - PRIOR_SHARE, mean, cov)), source)

    @staticmethod
    def build(path: pathlib.Path | None, pilot: tuple[np.ndarray, np.ndarray] | None = None) -> "Proposal":
        """The prior (PRIOR_SHARE), and the rest split between the calibration
        record's posterior and the literature-only pilot posterior (each a normal,
        covariance x INFLATE), whichever are given."""
        dim = len(cal.PARAMETERS)
        parts, names = [], []
        if path is not None and pathlib.Path(path).is_file():
            parts.append(recorded_posterior(pathlib.Path(path)))
            names.append(f"the posterior of {path}")
        if pilot is not None:
            parts.append(pilot)
            names.append("the published figures' posterior (pilot)")
        rest = (1 - PRIOR_SHARE) / len(parts) if parts else 0.0
        components = ((PRIOR_SHARE if parts else 1.0, np.zeros(dim), np.eye(dim)),) + \
            tuple((rest, mean, INFLATE * cov + 1e-9 * np.eye(dim)) for mean, cov in parts)
        return Proposal(components, f"{PRIOR_SHARE:.0%} prior, " + " and ".join(names) + f" (covariance x {INFLATE})"
                        if parts else "the prior")

    def draw(self, n: int, seed: int) -> np.ndarray:
        """Scrambled Sobol' normals, round(share n) from each component (the last takes the rest)."""
        dim = len(self.components[0][1])
        counts = [int(round(share * n)) for share, _, _ in self.components[:-1]]
        counts.append(n - sum(counts))
        return np.vstack([mean + _sobol_normal(k, dim, seed + i) @ np.linalg.cholesky(cov).T
                          for i, (k, (_, mean, cov)) in enumerate(zip(counts, self.components))])

    def log_density(self, z: np.ndarray) -> np.ndarray:
        return np.logaddexp.reduce([math.log(share) + np.atleast_1d(stats.multivariate_normal(mean, cov).logpdf(z))
                                    for share, mean, cov in self.components if share > 0], axis=0)


def recorded_posterior(path: pathlib.Path) -> tuple[np.ndarray, np.ndarray]:
    """A calibration record's posterior (median, 90% interval, correlations of the
    log constants) as a normal in z = log(value / v1) / sdlog."""
    record = json.loads(path.read_text())
    post, corr = record["posterior"], record["posterior_correlation"]
    dim = len(cal.PARAMETERS)
    mean, sd = np.zeros(dim), np.ones(dim)
    for i, p in enumerate(cal.PARAMETERS):
        q = post[p.name]
        mean[i] = math.log(q["median"] / p.v1) / p.sdlog
        sd[i] = math.log(q["q95"] / q["q05"]) / (2 * stats.norm.ppf(0.95) * p.sdlog)
    r = np.array([[corr[a][b] for b in cal.NAMES] for a in cal.NAMES])
    return mean, np.outer(sd, sd) * r


def _figure_terms(theta: Sequence[Mapping], renewed_war: np.ndarray) -> np.ndarray:
    """The support-gap and renewed-war terms of the calibration (no case enters
    them). A draw under which no trial reached a deal has no P(attack | deal):
    it gets no weight."""
    target = {t.name: t for t in cal.LITERATURE}
    gap = np.array([t["membership_audience_cost"] / t["decision_noise"] for t in theta])
    ll = -0.5 * ((gap - target["support_gap"].value) / target["support_gap"].se) ** 2 \
        - 0.5 * ((renewed_war - target["renewed_war"].value) / target["renewed_war"].se) ** 2
    return np.where(np.isnan(ll), -np.inf, ll)


def literature_pilot(fortna: cal.Case, n: int, trials: int, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Where the published figures alone put the constants: n prior draws, each
    run on the Fortna case only, weighted by the support-gap and renewed-war
    terms; their weighted mean and covariance, and the ESS. No case's outcome
    enters, so a proposal built on it cannot carry a held-out outcome."""
    z = _sobol_normal(n, len(cal.PARAMETERS), seed + 100)
    theta = [cal.theta_of(x) for x in z]
    renewed = np.array([run_case(cal.apply(fortna, t), fortna, trials, seed)["p_attack"] for t in theta])
    log_w = _figure_terms(theta, renewed)
    w = cal.normalised(log_w)
    mean = w @ z
    # A floor of 0.1 on every sd: a pilot of few effective draws must not propose a flat sliver.
    cov = np.cov(z.T, aweights=w, ddof=0) + 0.01 * np.eye(z.shape[1])
    return mean, cov, cal.effective_sample_size(log_w)


def _sobol_normal(n: int, dim: int, seed: int) -> np.ndarray:
    """The first n of 2^k scrambled Sobol' normals (2^k >= n keeps the sequence's balance)."""
    if n == 0:
        return np.empty((0, dim))
    return cal._sobol_normal(1 << (n - 1).bit_length(), dim, seed)[:n]


def log_prior(z: np.ndarray) -> np.ndarray:
    return np.atleast_1d(stats.multivariate_normal(np.zeros(z.shape[1]), np.eye(z.shape[1])).logpdf(z))


# --- the engine runs ---------------------------------------------------------------

def honour_rows(cases: Sequence[cal.Case]) -> list[tuple[int, str, str]]:
    """(case index, guarantor, instrument) of every commitment, in case and option order."""
    return [(i, c["guarantor"], c["instrument"])
            for i, case in enumerate(cases) for c in case.data["options"][0].get("commitments") or []]


def run_case(data: dict, case: cal.Case, trials: int, seed: int) -> dict:
    """One run of a case's one option on one thread: P(attack within the
    horizon), the survival curve S(0..T) and P(promise kept | covered attack)
    per guarantor (None when no trial had one)."""
    sc = Scenario.from_dict(data, case.base_dir, case.file_name)
    option = case.data["options"][0]["name"]
    # The binding, not credsim.run: tens of thousands of runs, and Results would
    # parse every run's summary.json. By keyword, so its argument order can change.
    raw = _core.run(sc._core, options=[option], trials=trials, precision=0.0, max_trials=trials, seed=seed,
                    threads=1, trial_rows=False, scenario_file=sc.file_name,
                    progress=ProgressBar("backtest", "trials", False))
    m = {k: (e, n) for k, e, n in zip(raw["summary"]["metric"], raw["summary"]["estimate"], raw["summary"]["n"])}
    survival = np.asarray(raw["survival"]["survival"], float)
    honour = {}
    for c in case.data["options"][0].get("commitments") or []:
        e, n = m.get(f"p_promise_kept_{c['guarantor']}", (math.nan, 0))
        honour[c["guarantor"]] = float(e) if n > 0 else None
    return {"p_attack": 1.0 - float(survival[-1]), "survival": survival, "honour": honour}


def timing_probability(survival: np.ndarray, observed: Mapping) -> float:
    """P(attack in the observed month) = S(m-1) - S(m), or P(no attack through the horizon) = S(T)."""
    if observed["attacked"]:
        m = int(observed["attack_month"])
        return float(survival[m - 1] - survival[m])
    return float(survival[-1])


_WORK: dict = {}


def _evaluate_draw(d: int) -> tuple[int, dict]:
    w = _WORK
    theta = cal.theta_of(w["z"][d])
    out = {"p_attack": [], "timing": [], "honour": []}
    for case in w["cases"]:
        r = run_case(cal.apply(case, theta), case, w["trials"], w["seed"])
        out["p_attack"].append(r["p_attack"])
        out["timing"].append(timing_probability(r["survival"], case.observed))
        out["honour"] += [r["honour"][g] for g in (c["guarantor"] for c in case.data["options"][0].get("commitments") or [])]
    out["renewed_war"] = run_case(cal.apply(w["fortna"], theta), w["fortna"], w["trials"], w["seed"])["p_attack"]
    return d, out


def evaluate_draws(cases: Sequence[cal.Case], fortna: cal.Case, z: np.ndarray, trials: int, seed: int,
                   workers: int = 2, progress: Callable[[int, int], None] | None = None) -> dict:
    """Every case (and the Fortna case) at every draw, shared among `workers`
    processes; the result does not depend on their number."""
    _WORK.update(cases=list(cases), fortna=fortna, z=z, trials=trials, seed=seed)
    n = len(z)
    pa, timing = np.empty((n, len(cases))), np.empty((n, len(cases)))
    honour, renewed = np.empty((n, len(honour_rows(cases)))), np.empty(n)

    def store(d, out):
        pa[d], timing[d], renewed[d] = out["p_attack"], out["timing"], out["renewed_war"]
        honour[d] = [math.nan if h is None else h for h in out["honour"]]

    done = 0
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for d, out in pool.imap_unordered(_evaluate_draw, range(n), chunksize=4):
                store(d, out)
                done += 1
                if progress:
                    progress(done, n)
    else:
        for d in range(n):
            store(*_evaluate_draw(d))
            if progress:
                progress(d + 1, n)
    _WORK.clear()
    return {"z": z, "p_attack": pa, "timing": timing, "honour": honour, "renewed_war": renewed}


# --- likelihood and reweighting -------------------------------------------------------

def _bernoulli_ll(p: np.ndarray, y: bool) -> np.ndarray:
    q = np.clip(p, cal.FLOOR, 1 - cal.FLOOR)
    return np.log(q if y else 1 - q)


def case_log_likelihood(draws: Mapping, rows: Sequence[tuple], attacked: Sequence[bool],
                        honoured: Sequence[bool | None]) -> np.ndarray:
    """(draws x cases) log-likelihood of each case's outcomes, as the
    calibration's: the attack, and the honour of each commitment of an
    attacked case whose outcome is recorded (None: not tested, or not triggered)."""
    ll = np.column_stack([_bernoulli_ll(draws["p_attack"][:, c], bool(y)) for c, y in enumerate(attacked)]) \
        if len(attacked) else np.zeros((len(draws["z"]), 0))
    for r, (c, _, _) in enumerate(rows):
        if attacked[c] and honoured[r] is not None:
            h = draws["honour"][:, r]
            ll[:, c] += np.where(np.isnan(h), 0.0, _bernoulli_ll(np.nan_to_num(h, nan=0.5), bool(honoured[r])))
    return ll


def literature_log_likelihood(draws: Mapping, rows: Sequence[tuple], eras: Sequence[float | None],
                              train: Sequence[int]) -> np.ndarray:
    """The three published-figure terms of the calibration for each draw, the
    honour-rate term over the training cases' formal commitments only."""
    target = {t.name: t for t in cal.LITERATURE}
    theta = [cal.theta_of(z) for z in draws["z"]]
    ll = _figure_terms(theta, draws["renewed_war"])
    num = np.zeros(len(theta))
    era = np.zeros(len(theta))
    den = np.zeros(len(theta))
    keep = set(train)
    for r, (c, _, instrument) in enumerate(rows):
        if c not in keep or instrument not in cal.FORMAL or eras[c] is None:
            continue
        h = draws["honour"][:, r]
        pa = np.where(np.isnan(h), 0.0, draws["p_attack"][:, c])
        num += pa * np.nan_to_num(h)
        era += pa * eras[c]
        den += pa
    ok = den > 1e-9
    share = np.divide(num, den, out=np.zeros_like(num), where=ok)
    aim = np.divide(era, den, out=np.zeros_like(era), where=ok)
    ll += np.where(ok, -0.5 * ((share - aim) / target["honour_formal"].se) ** 2, 0.0)
    return ll


def fold_log_weights(case_ll: np.ndarray, literature_ll: np.ndarray, log_prior_over_proposal: np.ndarray,
                     train: Sequence[int]) -> np.ndarray:
    """log (prior x likelihood of the training cases and figures / proposal) per draw."""
    return case_ll[:, list(train)].sum(axis=1) + literature_ll + log_prior_over_proposal


def fold_weights(log_w: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Normalised weights, their effective sample size, and whether they
    collapsed (ESS < COLLAPSED_ESS). Collapsed weights are truncated at
    sqrt(D) times their mean (truncated importance sampling, Ionides 2008):
    less variance for a little bias, and the fold is flagged."""
    ess = cal.effective_sample_size(log_w)
    w = cal.normalised(log_w)
    if ess >= COLLAPSED_ESS:
        return w, ess, False
    w = np.minimum(w, math.sqrt(len(w)) / len(w))
    return w / w.sum(), ess, True


def predictive(draws: Mapping, rows: Sequence[tuple], w: np.ndarray, cases: Sequence[int]) -> dict:
    """The weighted mixture over draws of each case's forecasts: P(attack), the
    timing probability, and P(honour | covered attack) = sum w pa h / sum w pa."""
    out = {}
    for c in cases:
        honour = {}
        for r, (rc, g, _) in enumerate(rows):
            if rc != c:
                continue
            h = draws["honour"][:, r]
            mass = np.where(np.isnan(h), 0.0, w * draws["p_attack"][:, c])
            honour[g] = float(np.sum(mass * np.nan_to_num(h)) / mass.sum()) if mass.sum() > 0 else None
        out[c] = {"p_attack": float(w @ draws["p_attack"][:, c]), "timing": float(w @ draws["timing"][:, c]),
                  "honour": honour}
    return out
