#include "models/fast_model.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "models/model_equations.hpp"
#include "models/outcome_layout.hpp"
#include "sim/rng.hpp"

// Why each piece is shaped the way it is, and what it bought: models/PERFORMANCE.md.

namespace credsim::model {
namespace {

using sim::Purpose;
using sim::RngStream;

constexpr int kNever = kNoEvent;

// The reference's rules for extreme but legal parameters (model_equations.hpp:
// weighted(), net_of()), bit-neutral for ordinary values: a zero weight ignores
// what it weighs (0 * inf = 0), an infinite benefit against an infinite cost is
// indifference (inf - inf = 0). Own names: the header's may be in scope.
inline double times0(double w, double x) { return w == 0.0 || x == 0.0 ? 0.0 : w * x; }
inline double net(double benefit, double cost) {
  return std::isinf(benefit) && std::isinf(cost) && (benefit > 0.0) == (cost > 0.0) ? 0.0 : benefit - cost;
}

// Same war sub-streams as the reference: (guarantor, rank in the option).
std::uint32_t war_slot(std::size_t guarantor, std::size_t rank) {
  return static_cast<std::uint32_t>(1 + guarantor * 64 + rank);
}
constexpr std::uint32_t kWarOutcomeSlot = 0;

// One commitment's constants for this trial (flat over the selected options).
struct Commit {
  std::size_t g = 0;
  std::array<bool, kAttackTypes> covers{};
  bool combat = false;
  bool escalates = false;      // combat commitment of a nuclear guarantor (P_esc term)
  bool needs_engaged = false;  // some covered attack type may meet its troops
  double ambiguity = 0.0;
  std::array<double, kAttackTypes> engage{};  // tau_j * exposure_a
  double interest = 0.0, reputation = 0.0, audience = 0.0, audience_weak = 0.0, war = 0.0;
  double power = 0.0, sanctions = 0.0, troop_power = 0.0, aid = 0.0;
};

// What the challenger expects to meet, per attack type, in one political epoch.
struct Sums {
  std::array<double, kAttackTypes> power{}, troop_power{}, sanctions{}, no_escalation{};
};

struct OptionState {
  bool alive = false;  // dealt and not attacked yet
  bool has_aid = false;
  std::size_t aid_begin = 0, aid_end = 0;  // its commitments with aid, in FastWorkspace::aid_list
  int attack_time = 0;
  int attack_type = kMajor;
  long version = -1;  // sum of its guarantors' epoch indices when `sums` was computed
  Sums sums;
  int sp_t = 0;       // protege strength known after period sp_t ...
  double sp = 0.0;    // ... equal to this
};

// Spare room at the end of the logistic batch.
constexpr Eigen::Index kBatchPad = 8;

struct FastWorkspace : sim::Workspace {
  Parameters params;  // the base, with this trial's draws written over the uncertain fields
  std::vector<double> uniforms;
  std::vector<Commit> commit;
  std::vector<Eigen::Index> truth_at, seen_at;  // [commitment] first of its terms in `batch`
  std::vector<Eigen::Index> deal_at;            // [option]
  std::vector<int> q_epoch;                     // [commitment] guarantor epoch of q_hat
  std::vector<std::array<double, kAttackTypes>> q_hat;  // [commitment] perceived P(honour) per type
  Eigen::ArrayXd batch;                         // arguments, then values, of the logistic
  Eigen::Index n_batch = 0;
  // Politics, [g * stride + k] with stride = T + 1: change times, and per epoch
  // (0 = the government at t = 0, k = after the k-th change) resolve and r_hat,
  // filled on first use.
  std::vector<int> n_changes;
  std::vector<int> change;
  std::vector<double> resolve, resolve_hat;
  std::vector<unsigned char> known;  // bit 0: resolve, bit 1: resolve_hat
  // (1 - delta)^k and sum_{i<k} (1 - delta)^i, k = 0..T+1, kept while delta is unchanged.
  double table_decay = std::numeric_limits<double>::quiet_NaN();
  Eigen::ArrayXd pow_a, geo;
  // hazard inversion: periods as doubles, and per-period scratch (padded to whole packets)
  Eigen::ArrayXd period, sc, sp, pm, pl, hz;
  std::vector<OptionState> state;
  std::vector<std::size_t> stale;  // options whose perceived defence needs recomputing
  std::vector<std::size_t> aid_list;  // commitments with aid != 0, grouped by option
  std::vector<std::size_t> rank;
  FastModelCounts counts;
};

// The per-trial constants of one commitment.
void derive_commitment(const Parameters& p, const Commitment& c, Commit& d, FastModelCounts* counts) {
  const Globals& gl = p.globals;
  const Guarantor& gu = p.guarantors[c.guarantor];
  d.g = c.guarantor;
  d.covers = c.covers;
  d.combat = c.response == Response::combat;
  d.escalates = d.combat && gu.nuclear;
  d.ambiguity = c.ambiguity;
  // tau_j exactly as engagement_probability() computes it, once for both types.
  double tau = 0.0;
  if (c.troops != 0.0) {
    tau = -std::expm1(-c.troops / gl.troop_scale);
    if (counts) ++counts->exps;
  }
  d.needs_engaged = false;
  for (int a = 0; a < kAttackTypes; ++a) {
    d.engage[a] = tau * c.exposure[a];
    d.needs_engaged = d.needs_engaged || (c.covers[a] && d.engage[a] > 0.0);
  }
  d.interest = gu.interest;
  d.reputation = gu.reputation;
  d.audience = c.audience_cost;
  d.audience_weak = gl.weak_reading_weight * c.audience_cost;
  d.war = d.combat ? gu.war_cost * (1.0 + gu.escalation_aversion * (p.challenger.nuclear ? 1.0 : 0.0)) : 0.0;
  d.power = commitment_power(gl, c, gu);
  d.sanctions = c.sanctions;
  d.troop_power = c.troop_power;
  d.aid = c.aid;
}

// The same for every commitment of the selected options, flat.
void derive_commitments(const Parameters& p, const std::vector<std::size_t>& selected, std::vector<Commit>& out) {
  std::size_t k = 0;
  for (std::size_t o : selected)
    for (const Commitment& c : p.options[o].commitments) derive_commitment(p, c, out[k++], nullptr);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_commit(const Commit& a, const Commit& b) {
  bool same = a.g == b.g && a.covers == b.covers && a.combat == b.combat && a.escalates == b.escalates &&
              a.needs_engaged == b.needs_engaged;
  for (int i = 0; i < kAttackTypes; ++i) same = same && same_bits(a.engage[i], b.engage[i]);
  for (auto [x, y] : {std::pair{a.ambiguity, b.ambiguity}, {a.interest, b.interest}, {a.reputation, b.reputation},
                      {a.audience, b.audience}, {a.audience_weak, b.audience_weak}, {a.war, b.war},
                      {a.power, b.power}, {a.sanctions, b.sanctions}, {a.troop_power, b.troop_power},
                      {a.aid, b.aid}})
    same = same && same_bits(x, y);
  return same;
}

}  // namespace

int next_event(double u, double log_stay, int from, int horizon) {
  const double x = std::log(u) / log_stay;
  if (!(x <= static_cast<double>(horizon - from))) return kNoEvent;  // also h = 0: x = +inf
  return from + std::max(1, static_cast<int>(std::ceil(x)));
}

// One trial: the draws shared by every option, then each option on them.
class FastTrial {
 public:
  FastTrial(const FastCredibilityModel& m, FastWorkspace& ws, std::uint64_t seed, std::uint64_t trial)
      : m_(m), ws_(ws), p_(ws.params), seed_(seed), trial_(trial), T_(ws.params.horizon),
        stride_(static_cast<std::size_t>(ws.params.horizon) + 1) {}

  void run(sim::TrialRecord& out);

 private:
  void draw_parameters();
  void draw_politics();
  void strength_tables();

  int epoch_at(std::size_t g, int t) const {
    const int* c = &ws_.change[g * stride_];
    const int n = ws_.n_changes[g];
    int e = 0;
    while (e < n && c[e] <= t) ++e;
    return e;
  }
  // First period of epoch e + 1 (kNever if e is the last).
  int epoch_end(std::size_t g, int e) const {
    return e < ws_.n_changes[g] ? ws_.change[g * stride_ + static_cast<std::size_t>(e)] : kNever;
  }
  long version(std::size_t o, int t) const {
    long v = 0;
    for (std::size_t g : m_.options_[o].guarantors) v += epoch_at(g, t);
    return v;
  }
  double resolve(std::size_t g, int e);
  double resolve_hat(std::size_t g, int e);

  // The logistic function is evaluated in batches: arguments are appended,
  // then flush() turns them all into values.
  Eigen::Index push(double x) {
    ws_.batch[ws_.n_batch] = x;
    return ws_.n_batch++;
  }
  void flush();
  Eigen::Index push_honour_terms(const Commit& c, double r);
  double expected_honour(const Commit& c, int a, Eigen::Index at) const;
  void push_perceived(std::size_t o, int t);
  void sum_perceived(std::size_t o, long version);

  double challenger_strength(int t) const {
    return t == 1 ? sc1_ : std::min(p_.challenger.strength_max, std::max(0.0, sc1_ + p_.challenger.growth * (t - 1)));
  }
  double segment_aid(std::size_t o, int t, int& next_break);
  double protege_strength(std::size_t o, int t);
  double attack_utility(std::size_t o, int a, double s_c, double s_p) const;

  void sample_by_thinning();
  void sample_by_hazard_inversion();
  void hazard_inversion(std::size_t o, double e_hazard, double u_type);
  void finish_option(std::size_t o, sim::TrialRecord& out);

  const FastCredibilityModel& m_;
  FastWorkspace& ws_;
  Parameters& p_;
  std::uint64_t seed_, trial_;
  int T_;
  std::size_t stride_;
  double sc1_ = 0.0;  // challenger strength after period 1
  std::size_t n_alive_ = 0;
};

void FastTrial::draw_parameters() {
  // As the reference, minus its per-trial copy of the whole scenario: every
  // target assigns its field each trial, so the workspace copy needs no reset.
  const Scenario& s = m_.scenario_;
  if (s.uncertain.empty()) return;
  RngStream stream(seed_, trial_, Purpose::parameters);
  s.copula.sample_uniforms(stream, ws_.uniforms);
  for (std::size_t i = 0; i < s.uncertain.size(); ++i) {
    const auto& u = s.uncertain[i];
    const double x = u.distribution.quantile(ws_.uniforms[i]);
    for (const auto& target : u.targets) target(p_, x);
  }
}

// Event-driven politics: per guarantor, the periods where its government changes.
void FastTrial::draw_politics() {
  for (std::size_t g : m_.used_guarantors_) {
    const Guarantor& gu = p_.guarantors[g];
    int* changes = &ws_.change[g * stride_];
    int n = 0;

    // Unscheduled turnover: Bernoulli(h) every period = geometric gaps,
    // P(gap = k) = (1 - h)^(k-1) h, by inversion: ceil(log u / log(1 - h)).
    const double h = gu.turnover_hazard;
    const double log_stay = (h > 0.0 && h < 1.0) ? std::log1p(-h) : 0.0;
    RngStream turnover(seed_, trial_, Purpose::politics, static_cast<std::uint32_t>(g));
    const auto next_turnover = [&](int from) {
      if (!(h > 0.0)) return kNever;
      if (h >= 1.0) return from + 1;
      ws_.counts.uniforms += 1;
      ws_.counts.logs += 1;
      return next_event(turnover.uniform(), log_stay, from, T_);
    };
    if (h > 0.0 && h < 1.0) ++ws_.counts.logs;  // log1p(-h)

    // Scheduled elections: one uniform each from their own sub-stream, so the
    // k-th election always meets the k-th uniform whatever the turnover did.
    const Elections& el = gu.elections;
    RngStream elections(seed_, trial_, Purpose::politics, FastCredibilityModel::kElectionSubstream |
                                                             static_cast<std::uint32_t>(g));
    int t_election = kNever;
    if (el.scheduled && el.interval > 0) {
      long long first = el.first;
      if (first < 1) first += (1 - first + el.interval - 1) / el.interval * static_cast<long long>(el.interval);
      if (first <= T_) t_election = static_cast<int>(first);
    }

    int t_turnover = next_turnover(0);
    for (;;) {
      const int t = std::min(t_turnover, t_election);
      if (t > T_) break;
      bool change = false;
      if (t == t_turnover) {
        change = true;
        t_turnover = next_turnover(t);
      }
      if (t == t_election) {
        ++ws_.counts.uniforms;
        change = (elections.uniform() < el.change_prob) || change;
        t_election = el.interval > T_ - t ? kNever : t + el.interval;
      }
      if (change) changes[n++] = t;
    }
    ws_.n_changes[g] = n;
    std::fill_n(&ws_.known[g * stride_], static_cast<std::size_t>(n) + 1, 0);
  }
}

// Resolve of g's government in epoch e: the k-th change takes the k-th
// successor draw, as in the reference; drawn only when some option needs it.
double FastTrial::resolve(std::size_t g, int e) {
  const std::size_t i = g * stride_ + static_cast<std::size_t>(e);
  if (!(ws_.known[i] & 1)) {
    const Guarantor& gu = p_.guarantors[g];
    if (e == 0) {
      ws_.resolve[i] = gu.resolve;
    } else {
      RngStream successor(seed_, trial_, Purpose::successor, static_cast<std::uint32_t>(g));
      successor.discard(static_cast<std::uint64_t>(e - 1));
      ws_.resolve[i] = gu.successor_resolve.quantile(successor.uniform());
      ++ws_.counts.uniforms;
      ++ws_.counts.quantiles;
    }
    ws_.known[i] |= 1;
  }
  return ws_.resolve[i];
}

// r_hat = r exp(beta + sigma z), z the (e+1)-th perception draw of g.
double FastTrial::resolve_hat(std::size_t g, int e) {
  const std::size_t i = g * stride_ + static_cast<std::size_t>(e);
  if (!(ws_.known[i] & 2)) {
    const Challenger& ch = p_.challenger;
    double z = 0.0;
    if (ch.perception_noise != 0.0) {  // else z is multiplied by 0: no need to draw it
      RngStream perception(seed_, trial_, Purpose::perception, static_cast<std::uint32_t>(g));
      perception.discard(static_cast<std::uint64_t>(e));
      z = perception.normal();
      ++ws_.counts.normals;
    }
    ws_.resolve_hat[i] = perceived_resolve(ch, resolve(g, e), z);
    ++ws_.counts.exps;
    ws_.known[i] |= 2;
  }
  return ws_.resolve_hat[i];
}

// glibc's exp (dispatched to its FMA version on this hardware) one value at a
// time: faster than Eigen's vectorised exp on the SSE2 baseline (PERFORMANCE.md),
// and bitwise the reference's logistic().
void FastTrial::flush() {
  double* x = ws_.batch.data();
  for (Eigen::Index i = 0; i < ws_.n_batch; ++i) x[i] = model::logistic(x[i]);
  ws_.counts.exps += static_cast<std::uint64_t>(ws_.n_batch);
}

// U / s for the (reading, engagement) pairs c can meet, with the arithmetic of
// honour_utility(); they do not depend on the attack type, so both types share them.
Eigen::Index FastTrial::push_honour_terms(const Commit& c, double r) {
  const Globals& gl = p_.globals;
  const Eigen::Index at = ws_.n_batch;
  for (int weak = 0; weak <= 1; ++weak) {
    const double w_reading = weak ? c.ambiguity : 1.0 - c.ambiguity;
    if (w_reading == 0.0) continue;
    const double audience = weak ? c.audience_weak : c.audience;
    double u = times0(r, c.interest) + c.reputation + audience + 0.0;
    if (c.combat) u = net(u, c.war);
    push(u / gl.decision_noise);
    if (c.needs_engaged) {
      double ue = times0(r, c.interest) + c.reputation + audience + gl.blood_price;
      if (c.combat) ue = net(ue, c.war);
      push(ue / gl.decision_noise);
    }
  }
  return at;
}

// expected_honour() from the flushed terms pushed at `at`.
double FastTrial::expected_honour(const Commit& c, int a, Eigen::Index at) const {
  if (!c.covers[a]) return 0.0;
  const double e = c.engage[a];
  double q = 0.0;
  for (int weak = 0; weak <= 1; ++weak) {
    const double w_reading = weak ? c.ambiguity : 1.0 - c.ambiguity;
    if (w_reading == 0.0) continue;
    const double q_free = ws_.batch[at++];
    double q_engaged = 0.0;
    if (c.needs_engaged) q_engaged = ws_.batch[at++];
    if (!(e > 0.0)) q_engaged = 0.0;
    q += w_reading * ((1.0 - e) * q_free + e * q_engaged);
  }
  return q;
}

// The perceived honour terms of option o's commitments at t, for those whose
// guarantor changed government since their q_hat was computed.
void FastTrial::push_perceived(std::size_t o, int t) {
  const auto& info = m_.options_[o];
  for (std::size_t j = info.first; j < info.first + info.count; ++j) {
    const Commit& c = ws_.commit[j];
    const int e = epoch_at(c.g, t);
    if (ws_.q_epoch[j] == e) {
      ws_.seen_at[j] = -1;
      continue;
    }
    ws_.q_epoch[j] = e;
    ws_.seen_at[j] = push_honour_terms(c, resolve_hat(c.g, e));
  }
}

// The perceived defence of option o (PerceivedDefence::add's arithmetic), from flushed terms.
void FastTrial::sum_perceived(std::size_t o, long v) {
  const auto& info = m_.options_[o];
  OptionState& st = ws_.state[o];
  st.version = v;
  Sums& s = st.sums;
  s = Sums{};
  s.no_escalation.fill(1.0);
  for (std::size_t j = info.first; j < info.first + info.count; ++j) {
    const Commit& c = ws_.commit[j];
    auto& q_hat = ws_.q_hat[j];
    if (ws_.seen_at[j] >= 0)
      for (int a = 0; a < kAttackTypes; ++a) q_hat[a] = expected_honour(c, a, ws_.seen_at[j]);
    for (int a = 0; a < kAttackTypes; ++a) {
      const double q = q_hat[a];
      s.power[a] += q * c.power;
      s.troop_power[a] += c.engage[a] * c.troop_power;
      s.sanctions[a] += q * c.sanctions;
      if (c.escalates) s.no_escalation[a] *= 1.0 - q;
    }
  }
}

void FastTrial::strength_tables() {
  const double d = p_.protege.decay;
  if (d == ws_.table_decay) return;  // parameters constant across trials: computed once per workspace
  const double a = 1.0 - d;
  ws_.pow_a[0] = 1.0;
  ws_.geo[0] = 0.0;
  for (Eigen::Index k = 1; k < ws_.pow_a.size(); ++k) {
    ws_.pow_a[k] = ws_.pow_a[k - 1] * a;
    ws_.geo[k] = ws_.geo[k - 1] * a + 1.0;
  }
  ws_.table_decay = d;
}

// Aid flowing in period t under option o, and the first later period where it may change.
double FastTrial::segment_aid(std::size_t o, int t, int& next_break) {
  const OptionState& st = ws_.state[o];
  double aid = 0.0;
  next_break = kNever;
  for (std::size_t i = st.aid_begin; i < st.aid_end; ++i) {
    const Commit& c = ws_.commit[ws_.aid_list[i]];
    const int e = epoch_at(c.g, t);
    aid += c.aid * std::min(1.0, resolve(c.g, e));
    next_break = std::min(next_break, epoch_end(c.g, e));
  }
  return aid;
}

// S_P after period t. Between changes of the aid it receives, the recursion
// s <- max(0, a s + c) (a = 1 - delta in [0, 1]) is affine and monotone, so
// s(k) = max(0, a^k s(0) + c sum_{i<k} a^i) exactly: one step per segment.
// Calls for one option must come with non-decreasing t.
double FastTrial::protege_strength(std::size_t o, int t) {
  OptionState& st = ws_.state[o];
  const Protege& pr = p_.protege;
  const double a = 1.0 - pr.decay;
  if (!st.has_aid && a >= 0.0 && a <= 1.0)  // one segment from t = 0
    return std::max(0.0, pr.strength * ws_.pow_a[t] + pr.growth * ws_.geo[t]);
  while (st.sp_t < t) {
    int next_break = kNever;
    const double aid = segment_aid(o, st.sp_t + 1, next_break);
    const int end = std::min(t, next_break == kNever ? T_ : next_break - 1);
    const int k = end - st.sp_t;
    const double c = pr.growth + pr.aid_efficiency * aid;
    if (a >= 0.0 && a <= 1.0) {
      st.sp = std::max(0.0, st.sp * ws_.pow_a[k] + c * ws_.geo[k]);
    } else {  // outside the loader's range: step period by period
      for (int i = 0; i < k; ++i) st.sp = std::max(0.0, st.sp * a + c);
    }
    st.sp_t = end;
  }
  return st.sp;
}

// lambda EU(a) with attack_probability()'s arithmetic.
double FastTrial::attack_utility(std::size_t o, int a, double s_c, double s_p) const {
  const Sums& s = ws_.state[o].sums;
  const Challenger& ch = p_.challenger;
  const Globals& gl = p_.globals;
  const double s_d = times0(p_.protege.fortification, s_p) + s.power[a] + s.troop_power[a];
  // gamma = 1 with a finite positive sum is a / (a + d) in win_probability(), without its pow calls.
  const double sum = s_c + s_d;
  const double p_win = gl.contest_exponent == 1.0 && sum > 0.0 && std::isfinite(sum) ? s_c / sum
                                                                                      : win_probability(gl, s_c, s_d);
  const double p_esc = 1.0 - s.no_escalation[a];
  const double eu = p_win * ch.stakes[a] - ch.war_cost[a] - times0(ch.cost_per_power, s.power[a]) - s.sanctions[a] -
                    times0(ch.nuclear_war_cost * ch.escalation[a], p_esc);
  return times0(ch.precision, eu);
}

// Thinning: candidate periods form a Bernoulli(p_bar) process (geometric gaps);
// a candidate t is an attack of option o when v p_bar < p_major(t) + p_limited(t),
// major when v p_bar < p_major(t). Per period: P(major) = p_bar p_major / p_bar,
// independently of the past, exactly the reference's law. Candidates and v are
// shared by every option (common random numbers: an option whose attack
// probabilities are higher at every t is attacked no later).
void FastTrial::sample_by_thinning() {
  const double h0 = p_.challenger.opportunity_rate;
  const double p_bar = std::min(1.0, 2.0 * h0);
  if (!(p_bar > 0.0) || n_alive_ == 0) return;
  RngStream decision(seed_, trial_, Purpose::decision);
  const double log_stay = p_bar < 1.0 ? std::log1p(-p_bar) : 0.0;
  ++ws_.counts.logs;
  int t = 0;
  while (n_alive_ > 0) {
    if (p_bar >= 1.0) {
      ++t;
    } else {
      t = next_event(decision.uniform(), log_stay, t, T_);
      ++ws_.counts.uniforms;
      ++ws_.counts.logs;
    }
    if (t > T_) break;
    const double x = decision.uniform() * p_bar;
    ++ws_.counts.uniforms;

    // The perceived defence of options whose guarantors changed government since last time.
    ws_.n_batch = 0;
    ws_.stale.clear();
    for (std::size_t o = 0; o < ws_.state.size(); ++o) {
      if (!ws_.state[o].alive || version(o, t) == ws_.state[o].version) continue;
      ws_.stale.push_back(o);
      push_perceived(o, t);
    }
    if (!ws_.stale.empty()) {
      flush();
      for (std::size_t o : ws_.stale) sum_perceived(o, version(o, t));
    }

    // p_a = h_0 logistic(lambda EU(a)) for every option still at risk, in one batch.
    ws_.n_batch = 0;
    const double s_c = challenger_strength(t);
    for (std::size_t o = 0; o < ws_.state.size(); ++o) {
      if (!ws_.state[o].alive) continue;
      const double s_p = protege_strength(o, t);
      for (int a = 0; a < kAttackTypes; ++a) push(attack_utility(o, a, s_c, s_p));
    }
    flush();
    Eigen::Index i = 0;
    for (std::size_t o = 0; o < ws_.state.size(); ++o) {
      OptionState& st = ws_.state[o];
      if (!st.alive) continue;
      const double p_major = h0 * ws_.batch[i];
      const double p_limited = h0 * ws_.batch[i + 1];
      i += 2;
      if (x < p_major + p_limited) {
        st.alive = false;
        st.attack_time = t;
        st.attack_type = x < p_major ? kMajor : kLimited;
        --n_alive_;
      }
    }
  }
}

void FastTrial::sample_by_hazard_inversion() {
  if (n_alive_ == 0) return;
  RngStream decision(seed_, trial_, Purpose::decision);
  const double e_hazard = -std::log(decision.uniform());
  const double u_type = decision.uniform();
  ws_.counts.uniforms += 2;
  ++ws_.counts.logs;
  for (std::size_t o = 0; o < ws_.state.size(); ++o)
    if (ws_.state[o].alive) hazard_inversion(o, e_hazard, u_type);
}

// Attack at the first t with sum_{s<=t} -log(1 - p(s)) >= E, E ~ Exp(1):
// P(no attack by t) = exp(-H(t)) = prod (1 - p(s)); major with probability
// p_major(t) / p(t). Within an epoch of the option (no government change of
// its guarantors) the perceived defence and the aid are constant and the
// strength paths closed-form, so the periods are evaluated as arrays.
void FastTrial::hazard_inversion(std::size_t o, double e_hazard, double u_type) {
  using Arr = Eigen::Map<Eigen::ArrayXd, Eigen::Aligned16>;
  const auto& info = m_.options_[o];
  OptionState& st = ws_.state[o];
  const Challenger& ch = p_.challenger;
  const Globals& gl = p_.globals;
  const Protege& pr = p_.protege;
  const double a_decay = 1.0 - pr.decay;
  double hazard = 0.0;
  int cur = 1;
  while (cur <= T_) {
    int end = T_;
    for (std::size_t g : info.guarantors) {
      const int next = epoch_end(g, epoch_at(g, cur));
      if (next != kNever) end = std::min(end, next - 1);
    }
    const long v = version(o, cur);
    if (v != st.version) {
      ws_.n_batch = 0;
      push_perceived(o, cur);
      flush();
      sum_perceived(o, v);
    }
    const Sums& s = st.sums;
    const int n = end - cur + 1;
    const Eigen::Index n_pad = (n + 1) & ~1;  // whole packets: every element takes the same (SIMD) path
    Arr sc(ws_.sc.data(), n_pad), sp(ws_.sp.data(), n_pad), pm(ws_.pm.data(), n_pad), pl(ws_.pl.data(), n_pad),
        hz(ws_.hz.data(), n_pad);

    const double sp0 = protege_strength(o, cur - 1);
    int next_break = kNever;
    const double c = pr.growth + pr.aid_efficiency * segment_aid(o, cur, next_break);
    if (a_decay >= 0.0 && a_decay <= 1.0) {
      sp = (sp0 * ws_.pow_a.segment(1, n_pad) + c * ws_.geo.segment(1, n_pad)).max(0.0);
    } else {
      double x = sp0;
      for (Eigen::Index i = 0; i < n_pad; ++i) sp[i] = x = std::max(0.0, x * a_decay + c);
    }
    sc = (sc1_ + ch.growth * (ws_.period.segment(cur, n_pad) - 1.0)).max(0.0).min(ch.strength_max);
    for (int a = 0; a < kAttackTypes; ++a) {
      Arr& pa = a == kMajor ? pm : pl;
      pa = pr.fortification * sp + s.power[a] + s.troop_power[a];  // S_D
      if (gl.contest_exponent == 1.0) {
        pa = (sc + pa > 0.0).select(sc / (sc + pa), 0.5);
      } else {
        for (Eigen::Index i = 0; i < n_pad; ++i) pa[i] = win_probability(gl, sc[i], pa[i]);
      }
      const double rest = ch.war_cost[a] + ch.cost_per_power * s.power[a] + s.sanctions[a] +
                          ch.nuclear_war_cost * ch.escalation[a] * (1.0 - s.no_escalation[a]);
      pa = ch.opportunity_rate / (1.0 + (-ch.precision * (pa * ch.stakes[a] - rest)).exp());
    }
    hz = -(-(pm + pl)).log1p();
    ws_.counts.exps += 2 * static_cast<std::uint64_t>(n);
    ws_.counts.logs += static_cast<std::uint64_t>(n);
    for (int i = 0; i < n; ++i) {
      hazard += hz[i];
      if (hazard >= e_hazard) {
        st.alive = false;
        st.attack_time = cur + i;
        st.attack_type = u_type * (pm[i] + pl[i]) < pm[i] ? kMajor : kLimited;
        --n_alive_;
        st.sp = sp[i];
        st.sp_t = cur + i;
        return;
      }
    }
    st.sp = sp[n - 1];
    st.sp_t = end;
    cur = end + 1;
  }
}

// Outcome metrics and the war stage: the reference's code, on this trial's draws.
void FastTrial::finish_option(std::size_t o, sim::TrialRecord& out) {
  const OptionState& st = ws_.state[o];
  const int attack_time = st.attack_time;
  out.set_survival(o, true, attack_time);
  out.set(o, kDeterred, attack_time == 0);
  out.set(o, kPeace, attack_time == 0);
  out.set(o, kMajorAttack, attack_time != 0 && st.attack_type == kMajor);
  if (attack_time == 0) {
    out.set(o, kTerritoryLost, 0.0);
    out.set(o, kGreatPowerWar, 0.0);
    out.set(o, kNuclearUse, 0.0);
    return;
  }

  const Option& opt = p_.options[m_.options_[o].scenario_index];
  const Globals& gl = p_.globals;
  const int a = st.attack_type;
  const double s_c = challenger_strength(attack_time);
  double defender = p_.protege.fortification * protege_strength(o, attack_time);
  bool great_power_war = false;
  bool any_honoured = false;
  std::fill(ws_.rank.begin(), ws_.rank.end(), 0);
  for (std::size_t j = 0; j < opt.commitments.size(); ++j) {
    const Commitment& c = opt.commitments[j];
    const std::size_t g = c.guarantor;
    const Guarantor& gu = p_.guarantors[g];
    RngStream war(seed_, trial_, Purpose::war, war_slot(g, ws_.rank[g]++));
    const bool weak = war.uniform() < c.ambiguity;
    const bool engaged = war.uniform() < ws_.commit[m_.options_[o].first + j].engage[a];
    const double p_honour = c.covers[a] ? honour_probability(p_, c, resolve(g, epoch_at(g, attack_time)), weak, engaged)
                                        : 0.0;
    const bool honoured = war.uniform() < p_honour;
    ws_.counts.uniforms += 3;
    ws_.counts.exps += c.covers[a] ? 1 : 0;
    out.set(o, commitment_metric(j, kCommitHonour), honoured);
    any_honoured = any_honoured || honoured;
    if (honoured) defender += commitment_power(gl, c, gu);
    if (engaged) defender += c.troop_power;
    if (gu.nuclear && ((honoured && c.response == Response::combat) || engaged)) great_power_war = true;
  }
  RngStream outcome(seed_, trial_, Purpose::war, kWarOutcomeSlot);
  const bool challenger_wins = outcome.uniform() < win_probability(gl, s_c, defender);
  const bool nuclear_use = great_power_war && outcome.uniform() < gl.nuclear_use_prob;
  ws_.counts.uniforms += great_power_war ? 2 : 1;

  out.set(o, kHonour, any_honoured);
  out.set(o, kChallengerWins, challenger_wins);
  out.set(o, kAttackMonth, attack_time);
  out.set(o, kTerritoryLost, challenger_wins ? gl.territory_loss[a] : 0.0);
  out.set(o, kGreatPowerWar, great_power_war);
  out.set(o, kNuclearUse, nuclear_use);
}

void FastTrial::run(sim::TrialRecord& out) {
  ++ws_.counts.trials;
  draw_parameters();
  for (std::size_t k : m_.varying_commitments_) {
    const auto& ref = m_.commitment_ref_[k];
    derive_commitment(p_, p_.options[ref.first].commitments[ref.second], ws_.commit[k], &ws_.counts);
  }
  draw_politics();
  strength_tables();
  const Challenger& ch = p_.challenger;
  sc1_ = std::min(ch.strength_max, std::max(0.0, ch.strength + ch.growth));

  const double u_deal = RngStream(seed_, trial_, Purpose::settlement).uniform();
  ++ws_.counts.uniforms;

  // Every logistic of t = 1 in one batch: true and perceived honour terms, and the deal.
  ws_.n_batch = 0;
  ws_.aid_list.clear();
  for (std::size_t o = 0; o < m_.options_.size(); ++o) {
    const auto& info = m_.options_[o];
    OptionState& st = ws_.state[o];
    st = OptionState{};
    st.sp = p_.protege.strength;
    st.aid_begin = ws_.aid_list.size();
    for (std::size_t j = info.first; j < info.first + info.count; ++j) {
      const Commit& c = ws_.commit[j];
      const int e = epoch_at(c.g, 1);
      ws_.truth_at[j] = c.covers[kMajor] ? push_honour_terms(c, resolve(c.g, e)) : -1;
      ws_.seen_at[j] = push_honour_terms(c, resolve_hat(c.g, e));
      ws_.q_epoch[j] = e;
      if (c.aid != 0.0) ws_.aid_list.push_back(j);
    }
    st.aid_end = ws_.aid_list.size();
    st.has_aid = st.aid_end > st.aid_begin;
    if (p_.settlement.enabled) {
      // deal_acceptance()'s arithmetic
      double red_lines = 0.0;
      for (const auto& c : p_.options[info.scenario_index].commitments) red_lines += c.red_line;
      ws_.deal_at[o] = push(times0(ch.precision, p_.settlement.deal_value - red_lines - p_.settlement.continue_value));
    }
  }
  flush();

  // Credibility at t = 1, the first epoch's perceived defence, and the settlement.
  n_alive_ = 0;
  for (std::size_t o = 0; o < m_.options_.size(); ++o) {
    const auto& info = m_.options_[o];
    OptionState& st = ws_.state[o];
    sum_perceived(o, version(o, 1));
    double cred_sum = 0.0, perceived_sum = 0.0;
    for (std::size_t j = 0; j < info.count; ++j) {
      const Commit& c = ws_.commit[info.first + j];
      const double truth = c.covers[kMajor] ? expected_honour(c, kMajor, ws_.truth_at[info.first + j]) : 0.0;
      const double seen = ws_.q_hat[info.first + j][kMajor];
      out.set(o, commitment_metric(j, kCommitCredibility), truth);
      out.set(o, commitment_metric(j, kCommitPerceived), seen);
      cred_sum += truth;
      perceived_sum += seen;
    }
    const double n_commit = static_cast<double>(info.count);
    const double cred = info.count ? cred_sum / n_commit : 0.0;
    const double perceived = info.count ? perceived_sum / n_commit : 0.0;
    out.set(o, kCredibility, cred);
    out.set(o, kPerceived, perceived);
    out.set(o, kCredibilityGap, perceived - cred);

    const bool deal = !p_.settlement.enabled || u_deal < ws_.batch[ws_.deal_at[o]];
    out.set(o, kDeal, deal);
    if (!deal) {
      out.set(o, kPeace, 0.0);
      out.set_survival(o, false, 0);
      continue;
    }
    st.alive = true;
    ++n_alive_;
  }

  if (m_.config_.sampler == AttackSampler::thinning)
    sample_by_thinning();
  else
    sample_by_hazard_inversion();

  for (std::size_t o = 0; o < m_.options_.size(); ++o) {
    const OptionState& st = ws_.state[o];
    if (st.alive || st.attack_time > 0) finish_option(o, out);
  }
}

FastCredibilityModel::FastCredibilityModel(Scenario scenario, const std::vector<std::string>& options,
                                           FastModelConfig config)
    : scenario_(std::move(scenario)), config_(config) {
  selected_ = select_options(scenario_, options);
  layout_ = outcome_layout(scenario_, selected_);
  std::vector<bool> used(scenario_.base.guarantors.size(), false);
  for (std::size_t o : selected_) {
    OptionInfo info;
    info.scenario_index = o;
    info.first = commitments_;
    info.count = scenario_.base.options[o].commitments.size();
    for (const auto& c : scenario_.base.options[o].commitments) {
      if (std::find(info.guarantors.begin(), info.guarantors.end(), c.guarantor) == info.guarantors.end())
        info.guarantors.push_back(c.guarantor);
      used[c.guarantor] = true;
    }
    for (std::size_t j = 0; j < info.count; ++j) commitment_ref_.emplace_back(o, j);
    commitments_ += info.count;
    options_.push_back(std::move(info));
  }
  for (std::size_t g = 0; g < used.size(); ++g)
    if (used[g]) used_guarantors_.push_back(g);

  // Which fields an uncertain parameter writes is hidden in its targets: write
  // NaN through them and see which derived commitment constants move.
  std::vector<Commit> base(commitments_), probe(commitments_);
  derive_commitments(scenario_.base, selected_, base);
  std::vector<bool> varies(commitments_, false);
  for (const auto& u : scenario_.uncertain) {
    Parameters p = scenario_.base;
    for (const auto& target : u.targets) target(p, std::numeric_limits<double>::quiet_NaN());
    derive_commitments(p, selected_, probe);
    for (std::size_t k = 0; k < commitments_; ++k) varies[k] = varies[k] || !same_commit(base[k], probe[k]);
  }
  for (std::size_t k = 0; k < commitments_; ++k)
    if (varies[k]) varying_commitments_.push_back(k);
}

std::unique_ptr<sim::Workspace> FastCredibilityModel::make_workspace() const {
  auto ws = std::make_unique<FastWorkspace>();
  const auto T = static_cast<std::size_t>(scenario_.base.horizon);
  const std::size_t G = scenario_.base.guarantors.size();
  const std::size_t stride = T + 1;
  ws->params = scenario_.base;
  ws->uniforms.resize(scenario_.uncertain.size());
  ws->commit.resize(commitments_);
  derive_commitments(ws->params, selected_, ws->commit);  // final but for varying_commitments_
  ws->truth_at.resize(commitments_);
  ws->seen_at.resize(commitments_);
  ws->deal_at.resize(options_.size());
  ws->q_epoch.resize(commitments_);
  ws->q_hat.resize(commitments_);
  // At most 4 terms per commitment for the truth, 4 for the perception, 2 per option.
  ws->batch.setZero(static_cast<Eigen::Index>(8 * commitments_ + 2 * options_.size()) + kBatchPad);
  ws->n_changes.assign(G, 0);
  ws->change.assign(G * stride, 0);
  ws->resolve.assign(G * stride, 0.0);
  ws->resolve_hat.assign(G * stride, 0.0);
  ws->known.assign(G * stride, 0);
  // Tables and scratch run one past T + 1: the padded SIMD tail reads them.
  const auto n_table = static_cast<Eigen::Index>(T + 3);
  ws->pow_a.setZero(n_table);
  ws->geo.setZero(n_table);
  ws->period = Eigen::ArrayXd::LinSpaced(n_table, 0.0, static_cast<double>(n_table - 1));
  for (auto* a : {&ws->sc, &ws->sp, &ws->pm, &ws->pl, &ws->hz}) a->setZero(n_table);
  ws->state.resize(options_.size());
  ws->stale.reserve(options_.size());
  ws->aid_list.reserve(commitments_);
  ws->rank.resize(G);
  return ws;
}

void FastCredibilityModel::run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace& ws,
                                     sim::TrialRecord& out) const {
  FastTrial(*this, static_cast<FastWorkspace&>(ws), seed, trial).run(out);
}

const FastModelCounts& FastCredibilityModel::counts(const sim::Workspace& ws) {
  return static_cast<const FastWorkspace&>(ws).counts;
}

}  // namespace credsim::model
