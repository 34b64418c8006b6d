"""A plain, vectorised NumPy Monte Carlo of the v2 model: the reference that
issue 15 times credsim against.

What an able analyst would write in a notebook instead of using credsim:
arrays over a batch of trials (and over the options, stacked), a Python loop
over the months of the horizon and nothing per trial in Python. It follows
the model as `models/credibility_model.cpp` and `models/model_equations.cpp`
implement it, with the plain estimator (each trial's 0/1 outcomes), and reads
every parameter from the scenario file and its presets. Its random numbers
are its own (a NumPy Generator): the same law as credsim's, not the same bits,
so the two agree within their standard errors, not digit for digit
(tests/python/test_numpy_reference.py).

Covered: the settlement stage (red lines, the challenger's inclusive value of
its later options, the protégé's reservation), ratification with fallbacks,
ambiguous readings, troop engagement, the leader/follower response menu in
expectation (what the challenger weighs) and as realised coins (the wars),
escalation and nuclear use, government turnover and elections (successor
resolve, new perception error), protégé growth with aid, challenger growth,
repeated attacks (limited wars go on, a major one ends the trial), a Gaussian
copula over the uncertain parameters. Features the Ukraine case does not use
raise NotImplementedError: events, crises, interims / effective_from,
erosion of interest, aid stocks, learning, time-varying opportunity rates,
grey attacks, credibility months, scenario-level `instruments:` overrides,
several commitments of one guarantor in one option, `discrete`/`bernoulli`
distributions.

    from credsim_analysis.numpy_reference import load, simulate
    result = simulate(load("scenarios/ukraine.yaml"), trials=20000, seed=1)
    result.summary()          # {option: {metric: (estimate, std_error, n)}}
"""
from __future__ import annotations

import dataclasses
import pathlib
from typing import Any

import numpy as np
import yaml
from scipy import special

MAJOR, LIMITED = 0, 1
ATTACKS = ("major", "limited")
RESPONSES = {"none": 0, "sanctions": 1, "arms_surge": 2, "combat": 3}
NO_GUARANTEE = "no_guarantee"

# The headline metrics of models/outcome_layout.cpp (its `headline` flag), and
# which of them are taken over the trials with a deal only.
HEADLINE = ("p_deal", "p_no_armed_attack", "p_no_armed_attack_all", "p_armed_defence", "p_armed_defence_perceived",
            "defence_delivered", "deterrence_added", "territory_lost", "p_great_power_war", "p_nuclear_use")
PROBABILITIES = ("p_deal", "p_no_armed_attack", "p_no_armed_attack_all", "p_great_power_war", "p_nuclear_use")
GIVEN_DEAL = ("p_no_armed_attack", "deterrence_added")

_GLOBAL_DEFAULTS = {"weak_reading_weight": 0.25, "blood_price": 3.0, "decision_noise": 1.7, "troop_scale": 5100.0,
                    "contest_exponent": 1.0, "aid_surge_share": 0.3, "nuclear_use_prob": 0.05,
                    "unprompted_share": 0.25, "war_territory_rate": 0.0}
_COMMITMENT_DEFAULTS = {"audience_cost": 0.0, "ambiguity": 0.0, "ratification": 1.0, "share": 0.0, "sanctions": 0.0,
                        "aid": 0.0, "red_line": 0.0, "troops": 0.0, "exposure.major": 0.0,
                        "exposure.limited": 0.0, "troop_power": 0.0}
_UNSUPPORTED = {  # key -> why the reference stops there
    "events": "scheduled events", "crises": "scheduled crises", "instruments": "scenario-level instrument overrides",
    "challenger.learning_rate": "learning", "challenger.opportunity_half_life": "a time-varying opportunity rate",
    "challenger.crisis_multiplier": "crisis multipliers", "challenger.stakes.grey": "grey attacks",
    "globals.credibility_months": "credibility months",
}


def _not_implemented(what: str, where: str) -> NotImplementedError:
    return NotImplementedError(f"{where}: {what} is not implemented in the NumPy reference (the Ukraine case does "
                               "not use it); use credsim")


# -- parameters ---------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Draw:
    """An uncertain parameter: drawn once per trial, shared by every place that reads it."""
    path: str


class _Reader:
    """Reads numeric leaves (a number, {value: x} or {dist: ...}) and collects the distributions by key path."""

    def __init__(self) -> None:
        self.uncertain: dict[str, dict] = {}

    def number(self, node: Any, path: str, default: float | None = None) -> float | Draw:
        if node is None:
            if default is None:
                raise ValueError(f"{path}: missing")
            return float(default)
        if isinstance(node, bool):
            raise ValueError(f"{path}: is true/false, but must be a number")
        if isinstance(node, (int, float)):
            return float(node)
        if isinstance(node, dict) and "value" in node:
            return float(node["value"])
        if isinstance(node, dict) and "dist" in node:
            if node["dist"] in ("discrete", "bernoulli"):
                raise _not_implemented(f"the '{node['dist']}' distribution", path)
            self.uncertain.setdefault(path, node)
            return Draw(path)
        raise ValueError(f"{path}: must be a number, {{value: ...}} or {{dist: ...}}")


def quantile(spec: dict, u: np.ndarray) -> np.ndarray:
    """F^{-1}(u) of a scenario distribution (docs/scenario-format.md)."""
    kind = spec["dist"]
    if kind == "triangular":
        lo, mode, hi = (float(spec[k]) for k in ("low", "mode", "high"))
        cut = (mode - lo) / (hi - lo)
        return np.where(u < cut, lo + np.sqrt(u * (hi - lo) * (mode - lo)),
                        hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mode)))
    if kind == "normal":
        return float(spec["mean"]) + float(spec["sd"]) * special.ndtri(u)
    if kind == "truncated_normal":
        mean, sd = float(spec["mean"]), float(spec["sd"])
        a, b = special.ndtr((float(spec["low"]) - mean) / sd), special.ndtr((float(spec["high"]) - mean) / sd)
        return mean + sd * special.ndtri(a + u * (b - a))
    if kind == "beta":
        lo, hi = float(spec.get("low", 0.0)), float(spec.get("high", 1.0))
        return lo + (hi - lo) * special.betaincinv(float(spec["a"]), float(spec["b"]), u)
    if kind == "uniform":
        return float(spec["low"]) + u * (float(spec["high"]) - float(spec["low"]))
    if kind == "lognormal":
        return np.exp(float(spec["meanlog"]) + float(spec["sdlog"]) * special.ndtri(u))
    raise _not_implemented(f"the '{kind}' distribution", "dist")


@dataclasses.dataclass
class Commitment:
    guarantor: int
    fields: dict[str, Any]           # numeric leaves: float or Draw
    covers: tuple[bool, bool]        # major, limited
    response: int
    weak_response: int
    fallback: "Commitment | None"    # what stands when not ratified (ratification < 1 only)


@dataclasses.dataclass
class Scenario:
    name: str
    horizon: int
    globals: dict[str, Any]
    settlement: dict[str, Any]
    challenger: dict[str, Any]
    protege: dict[str, Any]
    guarantors: list[dict[str, Any]]
    options: list[tuple[str, list[Commitment], int]]  # name, commitments, leader
    uncertain: dict[str, dict]       # key path -> distribution
    correlations: list[tuple[str, str, float]]


def load(path: str | pathlib.Path) -> Scenario:
    """Reads a scenario file and its presets as credsim's loader does, for the features listed above."""
    path = pathlib.Path(path)
    doc = yaml.safe_load(path.read_text())
    for key, what in _UNSUPPORTED.items():
        node: Any = doc
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            raise _not_implemented(what, f"{path}: {key}")
    presets_file = path.parent / doc.get("presets", "instruments.yaml")
    presets = yaml.safe_load(presets_file.read_text())["instruments"] if presets_file.exists() else {}
    r = _Reader()
    g_in = doc.get("globals") or {}
    globals_ = {k: r.number(g_in.get(k), f"globals.{k}", d) for k, d in _GLOBAL_DEFAULTS.items()}
    loss = g_in.get("territory_loss") or {}
    globals_["territory_loss"] = [r.number(loss.get(a), f"globals.territory_loss.{a}", d)
                                  for a, d in zip(ATTACKS, (0.20, 0.03))]
    globals_["repeated_attacks"] = bool(g_in.get("repeated_attacks", False))

    s_in = doc["settlement"]
    settlement = {"enabled": bool(s_in.get("enabled", True))}
    if settlement["enabled"]:
        for k in ("deal_value", "continue_value"):
            settlement[k] = r.number(s_in.get(k), f"settlement.{k}")

    c_in = doc["challenger"]
    challenger: dict[str, Any] = {"nuclear": bool(c_in["nuclear"])}
    for k in ("strength", "growth", "strength_max", "cost_per_power", "nuclear_war_cost", "perception_bias",
              "perception_noise", "precision", "opportunity_rate"):
        challenger[k] = r.number(c_in.get(k), f"challenger.{k}")
    for k in ("stakes", "war_cost", "escalation"):
        challenger[k] = [r.number(c_in[k].get(a), f"challenger.{k}.{a}") for a in ATTACKS]

    p_in = doc["protege"]
    protege: dict[str, Any] = {k: r.number(p_in.get(k), f"protege.{k}")
                               for k in ("strength", "growth", "decay", "aid_efficiency", "fortification")}
    protege["has_reservation"] = "reservation" in p_in
    protege["reservation"] = r.number(p_in.get("reservation"), "protege.reservation", 0.0)
    protege["precision"] = r.number(p_in.get("precision"), "protege.precision", 10.0)

    guarantors, ids = [], []
    for gid, g_node in doc["guarantors"].items():
        where = f"guarantors.{gid}"
        for k in ("interest_half_life", "aid_stock"):
            if k in g_node:
                raise _not_implemented("erosion of interest" if k == "interest_half_life" else "aid stocks",
                                       f"{where}.{k}")
        g = {"id": gid, "nuclear": bool(g_node["nuclear"])}
        for k, d in (("capability", None), ("interest", None), ("resolve", None), ("turnover_hazard", 0.0),
                     ("war_cost", None), ("escalation_aversion", 0.0), ("reputation", 0.0), ("sanctions_cost", 0.0),
                     ("surge_cost", 0.0), ("sanctions_bite", 0.0), ("follow", 0.0)):
            g[k] = r.number(g_node.get(k), f"{where}.{k}", d)
        succ = g_node["successor_resolve"]  # drawn at each change of government, not once per trial
        g["successor"] = succ if isinstance(succ, dict) and "dist" in succ else {"value": _Reader().number(succ, "")}
        el = g_node.get("elections")
        g["elections"] = None if el is None else (int(el["first"]), int(el["interval"]),
                                                  r.number(el["change_prob"], f"{where}.elections.change_prob"))
        guarantors.append(g)
        ids.append(gid)

    def instrument(spec: dict, base_path: str) -> Commitment:
        name = spec["instrument"]
        preset = presets[name]
        fields = {}
        for leaf, d in _COMMITMENT_DEFAULTS.items():
            key = leaf.split(".")
            own = spec.get(key[0])
            pre = preset.get(key[0])
            if len(key) == 2:
                own = own.get(key[1]) if isinstance(own, dict) else None
                pre = pre.get(key[1]) if isinstance(pre, dict) else None
            # An override in the commitment has the commitment's key path; the preset's field is shared.
            fields[leaf] = (r.number(own, f"{base_path}.{leaf}") if own is not None
                            else r.number(pre, f"instruments.{name}.{leaf}", d))
        covers = spec.get("covers", preset.get("covers", ["major", "limited"]))
        if "grey" in covers:
            raise _not_implemented("grey attacks", f"{base_path}.covers")
        response = RESPONSES[spec.get("response", preset.get("response", "sanctions"))]
        weak = spec.get("weak_response", preset.get("weak_response"))
        c = Commitment(ids.index(spec["guarantor"]), fields, ("major" in covers, "limited" in covers), response,
                       response if weak is None else RESPONSES[weak], None)
        if fields["ratification"] != 1.0:
            fb = spec.get("fallback", preset.get("fallback", "political_assurance"))
            c.fallback = instrument({"instrument": fb, "guarantor": spec["guarantor"]}, base_path + ".fallback")
            c.fallback.fields["ratification"] = 1.0
        return c

    capability = [g["capability"] for g in guarantors]
    if any(isinstance(x, Draw) for x in capability):
        raise _not_implemented("an uncertain capability (it picks the leader)", "guarantors")
    options = []
    for o in doc["options"]:
        commitments = []
        for j, spec in enumerate(o.get("commitments") or []):
            where = f"options.{o['name']}.commitments[{j}]"
            if "effective_from" in spec or "interim" in spec:
                raise _not_implemented("timing (effective_from, interim)", where)
            commitments.append(instrument(spec, where))
        if len({c.guarantor for c in commitments}) != len(commitments):
            raise _not_implemented("several commitments of one guarantor in one option", f"options.{o['name']}")
        if "leader" in o:
            leader = ids.index(o["leader"])
        else:  # the committed guarantor with the largest capability (the first of equals), else of all
            cands = [c.guarantor for c in commitments] or list(range(len(guarantors)))
            leader = max(cands, key=lambda g: (capability[g], -cands.index(g)))
        options.append((o["name"], commitments, leader))
    if NO_GUARANTEE not in [o[0] for o in options]:
        options.append((NO_GUARANTEE, [], max(range(len(guarantors)), key=lambda g: (capability[g], -g))))
    correlations = [(c["between"][0], c["between"][1], float(c["rho"])) for c in doc.get("correlations") or []]
    return Scenario(doc["name"], int(doc["horizon"]), globals_, settlement, challenger, protege, guarantors, options,
                    r.uncertain, correlations)


def draw_uncertain(s: Scenario, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One value per trial of every uncertain parameter: a Gaussian copula (the correlations) over the marginals."""
    paths = list(s.uncertain)
    corr = np.eye(len(paths))
    for a, b, rho in s.correlations:
        i, j = paths.index(a), paths.index(b)
        corr[i, j] = corr[j, i] = rho
    z = rng.standard_normal((n, len(paths))) @ np.linalg.cholesky(corr).T
    u = special.ndtr(z)
    return {p: quantile(s.uncertain[p], u[:, i]) for i, p in enumerate(paths)}


# -- the model ------------------------------------------------------------------

def _win(gamma: Any, s_c: Any, s_d: Any) -> np.ndarray:
    """Tullock contest: S_C^gamma / (S_C^gamma + S_D^gamma)."""
    a, d = np.power(s_c, gamma), np.power(s_d, gamma)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(a + d > 0, a / (a + d), 0.5)


class _Batch:
    """One batch of trials, every option at once: commitment fields are arrays (options x trials)."""

    def __init__(self, s: Scenario, n: int, rng: np.random.Generator) -> None:
        self.s, self.n, self.rng = s, n, rng
        draws = draw_uncertain(s, n, rng)
        v = lambda x: draws[x.path] if isinstance(x, Draw) else x  # noqa: E731
        values = lambda d: {k: [v(y) for y in x] if isinstance(x, list) else v(x) for k, x in d.items()}  # noqa: E731
        self.gl, self.st, self.ch, self.pr = (values(d) for d in (s.globals, s.settlement, s.challenger, s.protege))
        self.gu = [values(g) for g in s.guarantors]
        for g in self.gu:
            if g["elections"] is not None:
                first, interval, p = g["elections"]
                g["elections"] = (first, interval, v(p))
        O, G = len(s.options), len(s.guarantors)
        self.O, self.G = O, G
        # Commitment fields per guarantor, options x trials; a guarantor without a
        # commitment in an option has a null one (no promise, nothing to engage).
        names = ("audience_cost", "ambiguity", "share", "sanctions", "aid", "red_line", "troop_power")
        slots = []
        for g in range(G):
            f = {k: np.zeros((O, n)) for k in names}
            f["engage"] = np.zeros((2, O, n))
            f["covers"] = np.zeros((2, O, n), dtype=bool)
            f["response"] = np.zeros((O, n), dtype=np.int8)
            f["weak_response"] = np.zeros((O, n), dtype=np.int8)
            slots.append(f)
        tau = lambda c: -np.expm1(-v(c.fields["troops"]) / self.gl["troop_scale"])  # noqa: E731
        for o, (_, commitments, _) in enumerate(s.options):
            for c in commitments:
                f = slots[c.guarantor]
                parts = [(c, np.ones(n, dtype=bool))]
                if c.fallback is not None:
                    ok = rng.random(n) < v(c.fields["ratification"])
                    parts = [(c, ok), (c.fallback, ~ok)]
                for part, mask in parts:
                    for k in names:
                        f[k][o] = np.where(mask, v(part.fields[k]), f[k][o])
                    for a, attack in enumerate(ATTACKS):
                        f["engage"][a, o] = np.where(mask, tau(part) * v(part.fields[f"exposure.{attack}"]),
                                                     f["engage"][a, o])
                        f["covers"][a, o] = np.where(mask, part.covers[a], f["covers"][a, o])
                    f["response"][o] = np.where(mask, part.response, f["response"][o])
                    f["weak_response"][o] = np.where(mask, part.weak_response, f["weak_response"][o])
        for g, f in enumerate(slots):
            gu = self.gu[g]
            f["bite"] = np.maximum(gu["sanctions_bite"], f["sanctions"])
            f["combat_power"] = np.maximum(self.gl["unprompted_share"], f["share"]) * gu["capability"]
            # States in expectation: readings only where some commitment is ambiguous,
            # engagement only where some troops may meet the attack.
            f["any_weak"] = bool(np.any(f["ambiguity"] > 0))
            f["any_engaged"] = [bool(np.any(f["engage"][a] > 0)) for a in range(2)]
        self.slots = slots
        self.leader = np.array([leader for _, _, leader in s.options])
        self.leads = [g for g in range(G) if np.any(self.leader == g)]
        self.red_lines = sum(f["red_line"] for f in slots)

    # -- stage 5: a guarantor's response -------------------------------------

    def _rung_values(self, g, covered, rows, resolve, own_defence, sel, weak, engaged):
        """v_k - cost_k for k = 1..3 (no follow term) of guarantor g, whose commitment covers the attack
        where `covered`; options x rows (sel: those of the commitment fields, rows: of the trial fields)."""
        gl = {k: _sub(x, rows) for k, x in self.gl.items() if not isinstance(x, (list, bool))}
        gu = {k: _sub(x, rows) for k, x in self.gu[g].items() if k not in ("id", "successor", "elections")}
        f = self.slots[g]
        cp = f["combat_power"][sel]
        promised = np.where(covered, np.where(weak, f["weak_response"][sel], f["response"][sel]), 0)
        audience = f["audience_cost"][sel]
        bonus = np.where(weak, gl["weak_reading_weight"] * audience, audience) + gu["reputation"]
        value = resolve * gu["interest"]
        surge = gl["aid_surge_share"] * cp
        with np.errstate(invalid="ignore", divide="ignore"):
            e_surge = np.where(surge > 0, surge / (surge + own_defence), 0.0)
            e_combat = np.where(cp > 0, cp / (cp + own_defence), 0.0)
        nuclear = 1.0 if self.ch["nuclear"] else 0.0
        return [np.where(promised == 1, bonus, 0.0) - gu["sanctions_cost"],
                value * e_surge + np.where(promised == 2, bonus, 0.0) - gu["surge_cost"],
                value * e_combat + np.where(promised == 3, bonus, 0.0) + engaged * gl["blood_price"]
                - gu["war_cost"] * (1.0 + gu["escalation_aversion"] * nuclear)]

    def _respond(self, g, rows, values, leader_rung, uniforms=None):
        """Rung probabilities given the leader's rung (None: the leader itself, or a guarantor that follows
        nobody), or with `uniforms` the realised response (the highest rung taken)."""
        follow, noise = _sub(self.gu[g]["follow"], rows), _sub(self.gl["decision_noise"], rows)
        p = []
        for k, v in enumerate(values, start=1):
            if leader_rung is not None:
                v = v + follow * np.where(leader_rung >= k, 1.0, -1.0)
            p.append(special.expit(v / noise))
        if uniforms is None:
            return p
        return np.where(uniforms[2] < p[2], 3, np.where(uniforms[1] < p[1], 2, np.where(uniforms[0] < p[0], 1, 0)))

    def expected_defence(self, a: int, rows, resolve, s_p):
        """What an attack of type a meets, in expectation over the guarantors' readings, engagement and
        responses (the leader first, the others given its response): P(armed defence), E[power],
        E[sanctions bite], P(great-power war); options x rows."""
        sel = (slice(None), rows)
        own_defence = _sub(self.pr["fortification"], rows) * s_p
        psi, nu = _sub(self.ch["escalation"][a], rows), _sub(self.gl["aid_surge_share"], rows)
        # Per leader response k: the leader's own part of {r_L = k} and the followers' given it.
        lead_parts = [{"na": 0.0, "p": 0.0, "b": 0.0, "ne": 0.0, "pk": 0.0} for _ in range(4)]
        foll = [{"na": 1.0, "p": 0.0, "b": 0.0, "ne": 1.0} for _ in range(4)]
        for g in range(self.G):
            f, gu = self.slots[g], self.gu[g]
            weak_states = (False, True) if f["any_weak"] else (False,)
            eng_states = (False, True) if f["any_engaged"][a] else (False,)
            alpha, pe = f["ambiguity"][sel], f["engage"][a][sel]
            cp, tp, bite = f["combat_power"][sel], f["troop_power"][sel], f["bite"][sel]
            r, covered = resolve[:, g], f["covers"][a][sel]
            states = []
            for weak in weak_states:
                for eng in eng_states:
                    w = (alpha if weak else 1.0 - alpha) * (pe if eng else 1.0 - pe)
                    tp_s = tp if eng else 0.0
                    calm_t = np.exp(-psi * tp_s) if gu["nuclear"] else 1.0
                    calm_c = np.exp(-psi * cp) if gu["nuclear"] else 1.0
                    states.append((w, eng, tp_s, calm_t, calm_c,
                                   self._rung_values(g, covered, rows, r, own_defence, sel, weak, eng)))
            is_leader = (self.leader == g)[:, None]
            if g in self.leads:  # its own part of each joint event {leader's response = k}
                for w, eng, tp_s, calm_t, calm_c, values in states:
                    d = _distribution(self._respond(g, rows, values, None))
                    for k in range(4):
                        wd = np.where(is_leader, w * d[k], 0.0)
                        part = lead_parts[k]
                        part["pk"] = part["pk"] + wd
                        if k != 3 and not eng:
                            part["na"] = part["na"] + wd
                        part["p"] = part["p"] + wd * ((nu * cp if k == 2 else cp if k == 3 else 0.0) + tp_s)
                        if k > 0:
                            part["b"] = part["b"] + wd * bite
                        part["ne"] = part["ne"] + wd * calm_t * (calm_c if k == 3 else 1.0)
            if np.all(is_leader):
                continue
            follows = gu["follow"] != 0
            rung_sets = []  # per state: its rungs given each leader response (one set if it follows nobody)
            for *_, values in states:
                if follows:  # +follow on the rungs at or below the leader's, -follow above: two sets of three
                    up, down = self._respond(g, rows, values, 3), self._respond(g, rows, values, 0)
                    rung_sets.append([[up[i] if k > i else down[i] for i in range(3)] for k in range(4)])
                else:
                    rung_sets.append([self._respond(g, rows, values, None)])
            for k in (range(4) if follows else (None,)):
                na = p = b = ne = 0.0
                for (w, eng, tp_s, calm_t, calm_c, _), rungs in zip(states, rung_sets):
                    d = _distribution(rungs[k or 0])
                    if not eng:
                        na = na + w * (1.0 - d[3])
                    p = p + w * (d[2] * nu * cp + d[3] * cp + tp_s)
                    b = b + w * (1.0 - d[0]) * bite
                    ne = ne + w * calm_t * (1.0 - d[3] + d[3] * calm_c)
                for kk in (range(4) if k is None else (k,)):
                    foll[kk]["na"] = foll[kk]["na"] * np.where(is_leader, 1.0, na)
                    foll[kk]["p"] = foll[kk]["p"] + np.where(is_leader, 0.0, p)
                    foll[kk]["b"] = foll[kk]["b"] + np.where(is_leader, 0.0, b)
                    foll[kk]["ne"] = foll[kk]["ne"] * np.where(is_leader, 1.0, ne)
        no_armed = no_esc = power = bite = 0.0
        for k in range(4):
            own, fo = lead_parts[k], foll[k]
            no_armed = no_armed + own["na"] * fo["na"]
            no_esc = no_esc + own["ne"] * fo["ne"]
            power = power + own["p"] + own["pk"] * fo["p"]
            bite = bite + own["b"] + own["pk"] * fo["b"]
        return np.clip(1.0 - no_armed, 0.0, 1.0), power, bite, np.clip(1.0 - no_esc, 0.0, 1.0)

    def attack_utility(self, a, rows, s_c, s_p, defence):
        """EU(a) = P_win V_a - c_a - kappa E[power] - E[bite] - N P(great-power war)."""
        _, power, bite, p_gp = defence
        ch = self.ch
        p_win = _win(_sub(self.gl["contest_exponent"], rows), s_c, _sub(self.pr["fortification"], rows) * s_p + power)
        return (p_win * _sub(ch["stakes"][a], rows) - _sub(ch["war_cost"][a], rows)
                - _sub(ch["cost_per_power"], rows) * power - bite - _sub(ch["nuclear_war_cost"], rows) * p_gp)

    def choice(self, rows, eu):
        """Multinomial logit over none / major / limited, and the inclusive value (log-sum-exp)."""
        lam = _sub(self.ch["precision"], rows)
        x = [lam * e for e in eu]
        top = np.maximum(0.0, np.maximum(x[0], x[1]))
        ex = [np.exp(xi - top) for xi in x]
        total = np.exp(-top) + ex[0] + ex[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            iv = np.where(lam != 0, (top + np.log(total)) / lam, 0.0)
        return ex[0] / total, ex[1] / total, iv

    def war(self, pairs_o, pairs_r, a, s_c, s_p, resolve):
        """The realised war for (option, trial) pairs: readings, engagement, responses (leader first),
        then who wins, great-power war and nuclear use."""
        gl, rng, m = self.gl, self.rng, len(pairs_r)
        sel = (pairs_o, pairs_r)
        own_defence = _sub(self.pr["fortification"], pairs_r) * s_p
        psi = np.where(a == MAJOR, _sub(self.ch["escalation"][MAJOR], pairs_r),
                       _sub(self.ch["escalation"][LIMITED], pairs_r))
        stances, draws = [], []
        for g in range(self.G):
            f = self.slots[g]
            weak = rng.random(m) < f["ambiguity"][sel]
            engaged = rng.random(m) < np.where(a == MAJOR, f["engage"][MAJOR][sel], f["engage"][LIMITED][sel])
            covered = np.where(a == MAJOR, f["covers"][MAJOR][sel], f["covers"][LIMITED][sel])
            stances.append((weak, engaged, self._rung_values(g, covered, pairs_r, resolve[:, g], own_defence, sel,
                                                             weak, engaged)))
            draws.append(rng.random((3, m)))
        leader = self.leader[pairs_o]
        r_lead = np.zeros(m, dtype=np.int64)
        for g in self.leads:
            r_lead = np.where(leader == g, self._respond(g, pairs_r, stances[g][2], None, draws[g]), r_lead)
        defender = own_defence.copy()
        nuclear_power = np.zeros(m)
        for g in range(self.G):
            f = self.slots[g]
            r = np.where(leader == g, r_lead, self._respond(g, pairs_r, stances[g][2], r_lead, draws[g]))
            cp = f["combat_power"][sel]
            tp = np.where(stances[g][1], f["troop_power"][sel], 0.0)
            defender += np.where(r == 3, cp, np.where(r == 2, gl["aid_surge_share"] * cp, 0.0)) + tp
            if self.gu[g]["nuclear"]:
                nuclear_power += tp + np.where(r == 3, cp, 0.0)
        u = rng.random((3, m))
        p_win = _win(_sub(gl["contest_exponent"], pairs_r), s_c, defender)
        wins = u[0] < p_win
        great_power = u[1] < -np.expm1(-psi * nuclear_power)
        nuclear = great_power & (u[2] < np.minimum(1.0, _sub(gl["nuclear_use_prob"], pairs_r) * 2.0 * (1.0 - p_win)))
        return wins, great_power, nuclear

    # -- one batch --------------------------------------------------------------

    def run(self) -> dict[str, np.ndarray]:
        s, n, O, G, T, rng = self.s, self.n, self.O, self.G, self.s.horizon, self.rng
        gl, ch, pr = self.gl, self.ch, self.pr
        all_rows = slice(None)
        resolve = np.stack([np.broadcast_to(g["resolve"], (n,)) for g in self.gu], axis=1).astype(float)
        z = rng.standard_normal((n, G))
        h0 = np.broadcast_to(ch["opportunity_rate"], (n,))
        s_c = np.broadcast_to(np.asarray(ch["strength"], dtype=float), (n,)).copy()
        s_p = np.broadcast_to(np.asarray(pr["strength"], dtype=float), (O, n)).copy()
        repeated = gl["repeated_attacks"]
        none = [name for name, _, _ in s.options].index(NO_GUARANTEE)
        ended = np.zeros((O, n), dtype=bool)
        attacked = np.zeros((O, n), dtype=bool)
        great_power = np.zeros((O, n), dtype=bool)
        nuclear = np.zeros((O, n), dtype=bool)
        territory = np.zeros((O, n))
        out: dict[str, np.ndarray] = {}
        for t in range(1, T + 1):
            # Politics: turnover and elections bring a new government (resolve) and a new perception error.
            for g, gu in enumerate(self.gu):
                change = rng.random(n) < gu["turnover_hazard"] if np.any(gu["turnover_hazard"] > 0) else None
                el = gu["elections"]
                if el is not None and t >= el[0] and (t - el[0]) % el[1] == 0:
                    at_election = rng.random(n) < el[2]
                    change = at_election if change is None else change | at_election
                if change is None or not change.any():
                    continue
                idx = np.flatnonzero(change)
                succ = gu["successor"]
                resolve[idx, g] = (quantile(succ, rng.random(len(idx))) if "dist" in succ else succ["value"])
                z[idx, g] = rng.standard_normal(len(idx))
            s_c = np.minimum(ch["strength_max"], np.maximum(0.0, s_c + ch["growth"]))
            s_p = np.maximum(0.0, s_p * (1.0 - pr["decay"]) + pr["growth"] + pr["aid_efficiency"] * self._aid(resolve))
            # The challenger's view of each government's resolve: r exp(beta + sigma z).
            seen = resolve * np.exp(_col(ch["perception_bias"]) + _col(ch["perception_noise"]) * z)
            if t == 1:
                deal = self._settle(s_c, s_p, resolve, seen, out, all_rows)
                # Only a trial with a deal needs the option's attack path: what follows counts only under
                # the deal (credsim runs it in every trial for its learning comparisons; without learning,
                # erosion or stocks nothing here depends on it). no_guarantee's runs in every trial:
                # deterrence added compares each option with it on the same trials.
                runs = deal.copy()
                runs[none] = True
                ended |= ~runs
            opportunity = rng.random(n) < h0
            rows = np.flatnonzero(opportunity & ~ended.all(axis=0))
            if rows.size == 0:
                continue
            sp_r, sc_r = s_p[:, rows], s_c[rows]
            eu = [self.attack_utility(a, rows, sc_r, sp_r,
                                      self.expected_defence(a, rows, seen[rows], sp_r)) for a in (MAJOR, LIMITED)]
            p_major, p_limited, _ = self.choice(rows, eu)
            u = rng.random(rows.size)
            attack = (u < p_major + p_limited) & ~ended[:, rows]
            if not attack.any():
                continue
            po, pi = np.nonzero(attack)
            pr_rows = rows[pi]
            a = np.where(u[pi] < p_major[po, pi], MAJOR, LIMITED)
            wins, gp, nuc = self.war(po, pr_rows, a, s_c[pr_rows], s_p[po, pr_rows], resolve[pr_rows])
            attacked[po, pr_rows] = True
            great_power[po, pr_rows] |= gp
            nuclear[po, pr_rows] |= nuc
            loss = np.where(a == MAJOR, _sub(gl["territory_loss"][MAJOR], pr_rows),
                            _sub(gl["territory_loss"][LIMITED], pr_rows))
            territory[po, pr_rows] += np.where(wins, loss, 0.0)
            # A major attack ends the trial; so does any armed attack in the single-war model.
            ended[po, pr_rows] |= (a == MAJOR) | (not repeated)
        deal = out["deal"]
        out["attacked"] = attacked
        out["territory_lost"] = np.where(deal, np.minimum(1.0, territory), out.pop("territory_no_deal"))
        out["great_power_war"] = deal & great_power
        out["nuclear_use"] = deal & nuclear
        out["deterrence_added"] = (~attacked).astype(float) - (~attacked[none]).astype(float)
        return out

    def _aid(self, resolve):
        """Aid flowing this month: each commitment's aid while its guarantor's resolve lasts (at most 1)."""
        total = 0.0
        for g, f in enumerate(self.slots):
            if np.any(f["aid"] != 0):
                total = total + f["aid"] * np.minimum(1.0, resolve[:, g])
        return total

    def _settle(self, s_c1, s_p1, resolve, seen, out, rows):
        """Month 1: what a major attack would meet (truly and as seen), and the deal."""
        truth = self.expected_defence(MAJOR, rows, resolve, s_p1)
        seen_major = self.expected_defence(MAJOR, rows, seen, s_p1)
        out["armed_defence"], out["armed_defence_perceived"] = truth[0], seen_major[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["defence_delivered"] = np.where(truth[1] <= 0, 0.0, np.minimum(truth[1] / s_c1, 1e6))
        pr, st, ch = self.pr, self.st, self.ch
        p_win = _win(self.gl["contest_exponent"], s_c1, pr["fortification"] * s_p1)
        out["territory_no_deal"] = np.minimum(1.0, 2.0 * p_win * self.gl["war_territory_rate"] * self.s.horizon)
        if not st["enabled"]:
            out["deal"] = np.ones((self.O, self.n), dtype=bool)
            return out["deal"]
        eu = [self.attack_utility(MAJOR, rows, s_c1, s_p1, seen_major),
              self.attack_utility(LIMITED, rows, s_c1, s_p1, self.expected_defence(LIMITED, rows, seen, s_p1))]
        _, _, iv = self.choice(rows, eu)
        omega = ch["opportunity_rate"] * self.s.horizon  # expected opportunities: the weight of the future
        value = st["deal_value"] - self.red_lines + omega * iv
        p_challenger = special.expit(ch["precision"] * (value - st["continue_value"]))
        p_protege = (special.expit(pr["precision"] * (truth[0] - pr["reservation"])) if pr["has_reservation"]
                     else np.ones_like(truth[0]))
        u_c, u_p = self.rng.random(self.n), self.rng.random(self.n)
        out["deal"] = (u_c < p_challenger) & (u_p < p_protege)
        return out["deal"]


def _sub(x, rows):
    """x at the given trials when it is drawn per trial, else x itself."""
    return x[rows] if np.ndim(x) > 0 else x


def _col(x):
    """A per-trial array as a column (trials x 1), a constant as itself."""
    return x[:, None] if np.ndim(x) > 0 else x


def _distribution(p):
    """P(response = k), k = 0..3, from the three independent rung probabilities (the highest taken)."""
    d3 = p[2]
    d2 = p[1] * (1.0 - p[2])
    d1 = p[0] * (1.0 - p[1]) * (1.0 - p[2])
    return (1.0 - p[0]) * (1.0 - p[1]) * (1.0 - p[2]), d1, d2, d3


# -- results ------------------------------------------------------------------------

@dataclasses.dataclass
class Result:
    options: list[str]
    trials: dict[str, np.ndarray]  # per-trial outcome arrays, options x trials

    def per_trial(self, option: str, metric: str) -> np.ndarray:
        """Metric `metric`'s per-trial values for `option` (given-deal metrics: the trials with a deal only)."""
        o = self.options.index(option)
        t = self.trials
        deal = t["deal"][o]
        values = {
            "p_deal": deal,
            "p_no_armed_attack": ~t["attacked"][o],
            "p_no_armed_attack_all": deal & ~t["attacked"][o],
            "p_armed_defence": t["armed_defence"][o],
            "p_armed_defence_perceived": t["armed_defence_perceived"][o],
            "defence_delivered": t["defence_delivered"][o],
            "deterrence_added": t["deterrence_added"][o],
            "territory_lost": t["territory_lost"][o],
            "p_great_power_war": t["great_power_war"][o],
            "p_nuclear_use": t["nuclear_use"][o],
        }[metric].astype(float)
        return values[deal] if metric in GIVEN_DEAL else values

    def summary(self) -> dict[str, dict[str, tuple[float, float, int]]]:
        """{option: {metric: (estimate, standard error, trials counted)}} for the headline metrics, the
        errors as credsim's summary.csv gives them (binomial for probabilities, sd/sqrt(n) for means)."""
        table: dict[str, dict[str, tuple[float, float, int]]] = {}
        for option in self.options:
            row = {}
            for metric in HEADLINE:
                x = self.per_trial(option, metric)
                n = x.size
                mean = float(x.mean()) if n else float("nan")
                if metric in PROBABILITIES:
                    se = float(np.sqrt(mean * (1.0 - mean) / n)) if n else float("nan")
                else:
                    se = float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
                row[metric] = (mean, se, n)
            table[option] = row
        return table


def simulate(scenario: Scenario, trials: int, seed: int = 1, batch: int = 20000) -> Result:
    """`trials` trials of every option of the scenario, in batches of `batch` (memory), seed `seed`."""
    rng = np.random.default_rng(seed)
    parts = []
    done = 0
    while done < trials:
        n = min(batch, trials - done)
        parts.append(_Batch(scenario, n, rng).run())
        done += n
    trials_out = {k: np.concatenate([p[k] for p in parts], axis=-1) for k in parts[0]}
    return Result([name for name, _, _ in scenario.options], trials_out)
