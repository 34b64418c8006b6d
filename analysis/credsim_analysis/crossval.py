"""Cross-validated calibration by importance reweighting (docs/backtest.md).

The engine runs once per (draw, case). The draws of the six calibrated
constants come from a tempered adaptive importance sampler aimed at the
posterior given EVERY case (`tempered_sample`): a first stage from a
defensive mixture of the prior, a recorded calibration posterior and the
posterior of the published figures alone; each later stage from a normal
fitted to the draws so far weighted by prior x likelihood^beta, beta raised
towards 1 as fast as the effective sample size allows. Every draw is then
weighted against the mixture of all the stages' densities (the balance
heuristic), so each fold's posterior is the same draws reweighted by prior x
likelihood of the fold's training cases (and the published figures) over that
mixture; a held-out case's forecast is the weighted mixture of its per-draw
predictions. The held-out case's likelihood never enters its fold's weights;
it shaped only where the draws were put (as full-posterior draws serve
leave-one-out in PSIS-LOO, Vehtari, Gelman & Gabry 2017), which moves its
forecast by Monte Carlo error, not in expectation. Each fold reports its
effective sample size; a fold under COLLAPSED_ESS is flagged loudly and its
weights truncated.

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
STAGES = 8  # of the tempered sampler: the first from the defensive mixture, each later one from the last fit
# Each stage raises beta until the ESS of the draws so far is this share of one
# stage's draws, and proposes from the tempered draws' covariance x STAGE_INFLATE.
# Chosen on a six-dimensional normal likelihood of sd 0.05-0.2 (the sampler's
# test): 0.1 and 1.2 reach beta = 1 within 8 stages of 128 draws, 0.5 or 1.5
# (wider steps' ESS) crawl; the earlier stages in the mixture keep the weights bounded.
STAGE_ESS = 0.1
STAGE_INFLATE = 1.2


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


def any_kind(data: Mapping) -> bool:
    """Whether a case is scored on an attack of any kind (grey included): its
    challenger may make grey attacks (`challenger.stakes.grey` given), as
    models/backtest.cpp decides. Else on an armed (major or limited) attack."""
    return "grey" in (data["challenger"].get("stakes") or {})


def run_case(data: dict, case: cal.Case, trials: int, seed: int) -> dict:
    """One run of a case's one option on one thread: P(attack within the
    horizon) (of any kind where `any_kind`, else armed), the survival curve
    S(0..T) of the first armed attack and P(promise kept | covered attack)
    per guarantor (None when no trial had one)."""
    sc = Scenario.from_dict(data, case.base_dir, case.file_name)
    option = case.data["options"][0]["name"]
    # The binding, not credsim.run: tens of thousands of runs, and Results would
    # parse every run's summary.json. By keyword, so its argument order can change.
    raw = _core.run(sc._core, options=[option], trials=trials, precision=0.0, max_trials=trials, seed=seed,
                    threads=1, trial_rows=False, scenario_file=sc.file_name,
                    progress=ProgressBar("backtest", "trials", False))
    m = {k: (e, n) for k, e, n in zip(raw["summary"]["metric"], raw["summary"]["estimate"], raw["summary"]["n"])}
    # The no_armed_attack curve: an observed attack is an armed one.
    survival = np.asarray(raw["survival"]["survival"], float)[np.asarray(raw["survival"]["curve"]) == "no_armed_attack"]
    honour, honour_n = {}, {}
    for c in case.data["options"][0].get("commitments") or []:
        e, n = m.get(f"p_promise_kept_{c['guarantor']}", (math.nan, 0))
        honour[c["guarantor"]] = float(e) if n > 0 else None
        honour_n[c["guarantor"]] = int(n)
    p_attack = 1.0 - (float(m["p_no_attack_any"][0]) if any_kind(data) else float(survival[-1]))
    return {"p_attack": p_attack, "survival": survival, "honour": honour, "honour_n": honour_n,
            "trials": trials, "any_kind": any_kind(data)}


def timing_probability(survival: np.ndarray, observed: Mapping, any_attack: bool = False) -> float:
    """P(attack in the observed month) = S(m-1) - S(m), or P(no attack through the
    horizon) = S(T). NaN for a case scored on attacks of any kind: S is the
    first armed attack's, so it cannot time a grey one (the timing score leaves it out)."""
    if any_attack:
        return math.nan
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
        out["timing"].append(timing_probability(r["survival"], case.observed, r["any_kind"]))
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


def predictive(draws: Mapping, rows: Sequence[tuple], w: np.ndarray, cases: Sequence[int],
               trials: int | None = None) -> dict:
    """The weighted mixture over draws of each case's forecasts: P(attack), the
    timing probability, and P(honour | covered attack) = sum w pa h / sum w pa.
    P(attack)'s Monte Carlo standard error adds the importance sampler's,
    sum w^2 (p - mean)^2, and the trials' (given `trials`), sum w p (1 - p) / trials:
    the bound for errors fully correlated across draws, as common random
    numbers make them."""
    out = {}
    for c in cases:
        honour = {}
        for r, (rc, g, _) in enumerate(rows):
            if rc != c:
                continue
            h = draws["honour"][:, r]
            mass = np.where(np.isnan(h), 0.0, w * draws["p_attack"][:, c])
            honour[g] = float(np.sum(mass * np.nan_to_num(h)) / mass.sum()) if mass.sum() > 0 else None
        p = draws["p_attack"][:, c]
        mean = float(w @ p)
        var = float(np.sum(w ** 2 * (p - mean) ** 2)) + (float(w @ (p * (1 - p))) / trials if trials else 0.0)
        out[c] = {"p_attack": mean, "p_attack_mc_se": math.sqrt(var), "timing": float(w @ draws["timing"][:, c]),
                  "honour": honour}
    return out


# --- the sampler: tempered adaptive importance sampling on every case ---------------

def concatenate(a: Mapping | None, b: Mapping) -> dict:
    """Two sets of per-draw results (evaluate_draws) as one, a's draws first."""
    return dict(b) if a is None else {k: np.concatenate([a[k], b[k]]) for k in b}


def _tempered_log_weights(ll: np.ndarray, lp: np.ndarray, beta: float) -> np.ndarray:
    return np.where(np.isfinite(ll), beta * np.where(np.isfinite(ll), ll, 0.0), -np.inf) + lp


def next_beta(ll: np.ndarray, lp: np.ndarray, beta: float, target_ess: float) -> float:
    """The largest beta in [beta, 1] whose tempered weights keep an ESS of
    target_ess (1 if even beta = 1 does; bisection otherwise)."""
    if cal.effective_sample_size(_tempered_log_weights(ll, lp, 1.0)) >= target_ess:
        return 1.0
    lo, hi = beta, 1.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if cal.effective_sample_size(_tempered_log_weights(ll, lp, mid)) >= target_ess:
            lo = mid
        else:
            hi = mid
    return lo


def tempered_sample(start: Proposal, evaluate: Callable[[np.ndarray], dict],
                    log_likelihood: Callable[[dict], np.ndarray], draws: int, seed: int,
                    stages: int = STAGES) -> dict:
    """Draws aimed at prior x likelihood (the likelihood of every case and figure).

    Stage 1 draws from `start`; each later stage from N(mean, STAGE_INFLATE x cov)
    of the draws so far weighted by prior x likelihood^beta, with beta raised
    (never lowered) as far as keeps an ESS of STAGE_ESS x one stage's draws:
    a likelihood too sharp for the first stage is approached in steps
    (tempering) instead of collapsing onto one draw. Returns the per-draw
    results, ln prior - ln q (q: the mixture of every stage's density, each
    with its share of the draws; deterministic-mixture weights, Owen & Zhou
    2000) and the stages' betas, ESS and means."""
    dim = len(cal.PARAMETERS)
    per_stage = [draws // stages + (1 if s < draws % stages else 0) for s in range(stages)]
    if min(per_stage) < 2:
        raise ValueError(f"--draws {draws}: at least 2 draws per stage ({stages} stages)")
    densities: list[Callable[[np.ndarray], np.ndarray]] = [start.log_density]
    d, beta, info = None, 0.0, []
    z_new = start.draw(per_stage[0], seed)
    for s in range(stages):
        d = concatenate(d, evaluate(z_new))
        shares = np.array(per_stage[:s + 1], float) / sum(per_stage[:s + 1])
        log_q = np.logaddexp.reduce([math.log(sh) + f(d["z"]) for sh, f in zip(shares, densities)], axis=0)
        lp = log_prior(d["z"]) - log_q
        ll = log_likelihood(d)
        beta = next_beta(ll, lp, beta, STAGE_ESS * per_stage[min(s + 1, stages - 1)])
        log_w = _tempered_log_weights(ll, lp, beta)
        w = cal.normalised(log_w)
        mean = w @ d["z"]
        cov = STAGE_INFLATE * (np.cov(d["z"].T, aweights=w, ddof=0).reshape(dim, dim) + 1e-4 * np.eye(dim))
        info.append({"stage": s + 1, "draws": per_stage[s], "beta": beta,
                     "effective_sample_size": cal.effective_sample_size(log_w),
                     "full_likelihood_ess": cal.effective_sample_size(_tempered_log_weights(ll, lp, 1.0))})
        if s + 1 < stages:
            densities.append(lambda z, m=mean, c=cov: np.atleast_1d(stats.multivariate_normal(m, c).logpdf(z)))
            z_new = mean + _sobol_normal(per_stage[s + 1], dim, seed + 10 + s) @ np.linalg.cholesky(cov).T
    return {"draws": d, "log_prior_over_proposal": lp, "stages": info}
