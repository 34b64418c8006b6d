// Scenario files -> Scenario (docs/scenario-format.md).
//
// Every numeric field goes through `use`, which writes its constant (or its
// distribution's mean) into `Scenario::base` and, for a distribution, adds a
// target to the UncertainParameter named by the field's key path. A preset
// field inherited by several commitments therefore is ONE parameter with one
// target per commitment: every option in a trial sees the same draw.
//
// Order of `Scenario::uncertain` (and of `provenance`): by where the field is
// written, the scenario file top to bottom, then the presets file top to
// bottom, whatever order the sections are read in. The copula's indices (and
// so which parameter gets which stream) follow what a reader of the files sees.
#include "models/scenario_loader.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "models/scenario_events.hpp"
#include "sim/errors.hpp"
#include "sim/hash.hpp"
#include "sim/io/scenario_document.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim::model {
namespace {

namespace fs = std::filesystem;
namespace io = sim::io;

// A --set or event value that reads as a number or true/false is written
// unquoted, anything else as a quoted name (so "1e3" stays a number).
bool reads_as_plain_scalar(const std::string& text) {
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return (end && *end == '\0') || text == "true" || text == "false";
}
using io::Node;
using io::NumericField;
using io::Range;

using Accessor = std::function<double&(Parameters&)>;

constexpr long long kMaxHorizon = 1200;
constexpr int kSchemaVersion = 1;

// ---------------------------------------------------------------------------
// Small readers.

bool is_identifier(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}
const char* const kIdentifierRule = "a name of lowercase letters, digits and '_' ([a-z0-9_]+)";

std::string identifier(const Node& node) {
  const std::string s = node.as_string();
  if (!is_identifier(s)) node.fail_found(kIdentifierRule);
  return s;
}

// A key used as an id (guarantors, instruments): checked where the key is written.
void check_id_key(const Node& map, const io::MapEntry& e, const char* what) {
  if (!is_identifier(e.key)) {
    throw sim::ScenarioError(e.key_location, map.path(),
                             std::string(what) + " id '" + e.key + "' is not allowed, but must be " + kIdentifierRule);
  }
}

std::string text(const Node& node) {
  const std::string s = node.as_string();
  if (s.find_first_not_of(" \t") == std::string::npos) node.fail_found("a non-empty name");
  return s;
}

// `credsim: 1` / `credsim_presets: 1`, checked before the other keys so that
// a file for a newer schema gets a version error rather than unknown keys.
void check_version(const Node& root, const char* key, const char* what) {
  if (!root.has(key)) {
    root.fail("missing required key '" + std::string(key) + "' (the schema version; write '" + key + ": 1')");
  }
  const Node version = root.required(key);
  const std::string rule = std::to_string(kSchemaVersion) + " (the " + what + " schema version this credsim reads)";
  if (!version.is_scalar() || version.quoted() || version.scalar_text() != std::to_string(kSchemaVersion)) {
    version.fail_found(rule);
  }
}

// The top-level map of a document; an empty file or a bare value says so plainly.
Node root_map(const io::Document& doc, const char* what) {
  if (doc.empty()) {
    throw sim::ScenarioError(sim::SourceLocation{doc.file(), 1, 1}, "",
                             std::string("the file is empty, but must be ") + what);
  }
  const Node root = doc.root();
  if (!root.is_map()) root.fail("the file's top level is " + root.describe() + ", but must be " + what);
  return root;
}

std::string names_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// "guarantor 'usaa' is not defined; did you mean 'usa'?" (or the list of names).
[[noreturn]] void fail_undefined(const Node& node, const std::string& what, const std::string& name,
                                 const std::vector<std::string>& known, const std::string& when_none = "") {
  const std::string hint = io::did_you_mean(name, known);
  node.fail(what + " '" + name + "' is not defined" +
            (!hint.empty()     ? hint
             : known.empty()   ? when_none
                               : "; the " + what + "s are: " + names_list(known)));
}

// ---------------------------------------------------------------------------
// Instruments: presets, scenario overrides and commitment overrides share one
// set of fields, merged field by field (exposure.major and .limited apart).

struct NumberLeaf {
  const char* name;  // as in key paths: "audience_cost", "exposure.major"
  Range range;
  double& (*get)(Commitment&);
};

const std::vector<NumberLeaf>& number_leaves() {
  static const std::vector<NumberLeaf> leaves = {
      {"audience_cost", Range::at_least(0), [](Commitment& c) -> double& { return c.audience_cost; }},
      {"ambiguity", Range::unit(), [](Commitment& c) -> double& { return c.ambiguity; }},
      {"ratification", Range::unit(), [](Commitment& c) -> double& { return c.ratification; }},
      {"share", Range::unit(), [](Commitment& c) -> double& { return c.share; }},
      {"sanctions", Range::at_least(0), [](Commitment& c) -> double& { return c.sanctions; }},
      {"aid", Range::at_least(0), [](Commitment& c) -> double& { return c.aid; }},
      {"red_line", Range::finite(), [](Commitment& c) -> double& { return c.red_line; }},
      {"troops", Range::at_least(0), [](Commitment& c) -> double& { return c.troops; }},
      {"exposure.major", Range::unit(), [](Commitment& c) -> double& { return c.exposure[kMajor]; }},
      {"exposure.limited", Range::unit(), [](Commitment& c) -> double& { return c.exposure[kLimited]; }},
      {"exposure.grey", Range::unit(), [](Commitment& c) -> double& { return c.exposure[kGrey]; }},
      {"troop_power", Range::at_least(0), [](Commitment& c) -> double& { return c.troop_power; }},
  };
  return leaves;
}

const std::vector<std::string_view> kInstrumentKeys = {
    "description", "audience_cost", "ambiguity", "covers",  "response", "weak_response", "ratification",
    "fallback",    "share",         "sanctions", "aid",     "red_line", "troops",        "exposure",
    "troop_power"};

// What an unratified commitment becomes unless its instrument names another.
const char* const kDefaultFallback = "political_assurance";

// The fields written in one map (a preset, an override or a commitment).
struct Leaves {
  std::optional<std::string> description;
  std::optional<std::array<bool, kAttackTypes>> covers;
  std::optional<Response> response;
  std::optional<Response> weak_response;
  std::optional<std::string> fallback;
  std::optional<Node> fallback_node;  // where `fallback` is written, for messages
  std::map<std::string, NumericField> numbers;  // by leaf name

  void merge(const Leaves& over) {
    if (over.description) description = over.description;
    if (over.covers) covers = over.covers;
    if (over.response) response = over.response;
    if (over.weak_response) weak_response = over.weak_response;
    if (over.fallback) {
      fallback = over.fallback;
      fallback_node = over.fallback_node;
    }
    for (const auto& [leaf, field] : over.numbers) numbers.insert_or_assign(leaf, field);
  }
};

std::vector<std::string> attack_type_names() { return {std::begin(kAttackTypeNames), std::end(kAttackTypeNames)}; }

std::array<bool, kAttackTypes> read_covers(const Node& node) {
  node.expect_sequence();
  if (node.size() == 0) node.fail_found("a list of at least one attack type (major, limited, grey)");
  std::array<bool, kAttackTypes> covers{};
  for (const Node& item : node.items()) {
    const std::string name = item.as_string();
    const auto names = attack_type_names();
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) item.fail_found("major, limited or grey" + io::did_you_mean(name, names));
    auto& slot = covers[static_cast<std::size_t>(it - names.begin())];
    if (slot) item.fail("lists '" + name + "' twice, but each attack type may be listed once");
    slot = true;
  }
  return covers;
}

Response read_response(const Node& node) {
  const std::vector<std::string> names(std::begin(kResponseNames), std::end(kResponseNames));
  const std::string name = node.as_string();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) node.fail_found("none, sanctions, arms_surge or combat" + io::did_you_mean(name, names));
  return static_cast<Response>(it - names.begin());
}

// Reads the instrument fields present in `map` (its keys already checked).
Leaves read_leaves(const Node& map) {
  Leaves leaves;
  if (const auto n = map.optional("description")) leaves.description = n->as_string();
  if (const auto n = map.optional("covers")) leaves.covers = read_covers(*n);
  if (const auto n = map.optional("response")) leaves.response = read_response(*n);
  if (const auto n = map.optional("weak_response")) leaves.weak_response = read_response(*n);
  if (const auto n = map.optional("fallback")) {
    leaves.fallback = n->as_string();
    leaves.fallback_node = *n;
  }
  const auto exposure = map.optional("exposure");
  if (exposure) {
    exposure->expect_map();
    exposure->check_keys({"major", "limited", "grey"});
  }
  for (const NumberLeaf& leaf : number_leaves()) {
    const std::string name = leaf.name;
    std::optional<Node> node;
    if (name.rfind("exposure.", 0) == 0) {
      if (exposure) node = exposure->optional(name.substr(9));
    } else {
      node = map.optional(name);
    }
    if (node) leaves.numbers.emplace(name, io::read_number_or_distribution(*node, leaf.range));
  }
  return leaves;
}

// ---------------------------------------------------------------------------

class ScenarioBuilder {
 public:
  ScenarioBuilder(const io::Document& doc, fs::path base_dir) : doc_(doc), base_dir_(std::move(base_dir)) {}

  Scenario build() {
    const Node root = root_map(doc_, "a map of scenario keys starting with 'credsim: 1'");
    check_version(root, "credsim", "scenario");
    // Independent sections: each one's error is kept and the next is still
    // read, so that credsim validate can list them all.
    section([&] {
      root.check_keys({"credsim", "name", "description", "horizon", "presets", "instruments", "globals", "settlement",
                       "challenger", "protege", "guarantors", "options", "baseline", "correlations", "epistemic",
                       "observed", "events", "crises"});
    });
    section([&] {
      s_.name = identifier(root.required("name"));
      if (const auto d = root.optional("description")) s_.description = d->as_string();
    });
    section([&] { s_.base.horizon = static_cast<int>(root.required("horizon").as_integer(1, kMaxHorizon)); });
    section([&] {
      load_presets(root);
      read_instrument_overrides(root);
      declare_instrument_fields();
    });
    section([&] { read_globals(root); });
    section([&] { read_settlement(root.required("settlement")); });
    section([&] { read_challenger(root.required("challenger")); });
    section([&] { read_protege(root.required("protege")); });
    section([&] { read_guarantors(root.required("guarantors")); });
    throw_errors();
    check_dynamics();
    // These refer to the sections above, so they are read once those are valid.
    read_options(root.required("options"));
    read_baseline(root);
    read_observed(root);
    finish(root);
    read_events(root);
    read_crises(root);
    return std::move(s_);
  }

 private:
  struct Pending {
    NumericField field;
    std::vector<std::function<void(Parameters&, double)>> targets;
  };

  // -- bookkeeping ----------------------------------------------------------

  template <class Read>
  void section(Read&& read) {
    try {
      read();
    } catch (const sim::ScenarioError& e) {
      errors_.push_back(e);
    } catch (const std::exception&) {
      if (errors_.empty()) throw;  // else explained by the earlier error, which is reported
    }
  }

  // The first error is the one a reader stopping at the first would give.
  void throw_errors() const {
    if (errors_.size() == 1) throw errors_.front();
    if (!errors_.empty()) throw sim::ScenarioErrors(errors_);
  }

  // Position in "file order": the scenario first, then the presets file.
  std::tuple<int, int, int> order(const sim::SourceLocation& where) const {
    return {where.file == doc_.file() ? 0 : 1, where.line, where.column};
  }

  void use(const NumericField& f, const Accessor& get) {
    get(s_.base) = f.value();
    record_provenance(f);
    declared_[f.key_path] = f.is_constant();
    if (f.is_constant()) return;
    const auto [it, fresh] = uncertain_index_.emplace(f.key_path, uncertain_.size());
    if (fresh) uncertain_.push_back({f, {}});
    uncertain_[it->second].targets.emplace_back([get](Parameters& p, double x) { get(p) = x; });
  }

  void record_provenance(const NumericField& f) {
    if (!f.provenance.empty() && provenance_done_.insert(f.key_path).second) provenance_.push_back(f);
  }

  void number(const Node& parent, std::string_view key, const Range& range, const Accessor& get,
              bool required = true) {
    if (required) {
      use(io::read_number_or_distribution(parent.required(key), range), get);
    } else if (const auto n = parent.optional(key)) {
      use(io::read_number_or_distribution(*n, range), get);
    }
  }

  // `{major: num, limited: num, grey: num}`; per attack type, grey always
  // optional (it exists only where the scenario switches it on). Returns the
  // `grey` node when given.
  std::optional<Node> per_attack(const Node& parent, std::string_view key, const Range& range,
                                 std::function<std::array<double, kAttackTypes>&(Parameters&)> get,
                                 bool required = true) {
    std::optional<Node> node = required ? std::optional<Node>(parent.required(key)) : parent.optional(key);
    if (!node) return std::nullopt;
    node->expect_map();
    node->check_keys({"major", "limited", "grey"});
    for (int a = 0; a < kAttackTypes; ++a) {
      number(*node, kAttackTypeNames[a], range, [get, a](Parameters& p) -> double& { return get(p)[a]; },
             required && a != kGrey);
    }
    return node->optional("grey");
  }

  // -- presets and instruments ------------------------------------------------

  void load_presets(const Node& root) {
    fs::path path;
    if (const auto p = root.optional("presets")) {
      const std::string name = p->as_string();
      if (name.empty()) p->fail_found("the name of a presets file");
      path = (base_dir_ / name).lexically_normal();
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        p->fail("is '" + name + "', but must name a presets file: " + path.string() + " does not exist");
      }
      // Checked here, so that the error points at this line.
      if (const std::string problem = io::input_file_problem(path.string()); !problem.empty()) {
        p->fail(path.string() + " " + problem);
      }
    } else {
      path = (base_dir_ / "instruments.yaml").lexically_normal();
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) return;  // no presets: instruments are defined inline
      if (fs::equivalent(path, doc_.file(), ec)) return;
    }
    presets_.emplace(io::Document::from_file(path.string(), io::SeedCatalog::locate(path.parent_path())));
    const Node proot = root_map(*presets_, "a map with 'credsim_presets: 1' and 'instruments:'");
    check_version(proot, "credsim_presets", "presets");
    proot.check_keys({"credsim_presets", "instruments"});
    const Node list = proot.required("instruments");
    list.expect_map();
    for (const io::MapEntry& e : list.entries()) {
      check_id_key(list, e, "instrument");
      e.value.expect_map();
      e.value.check_keys(kInstrumentKeys);
      instruments_[e.key] = read_leaves(e.value);
      instrument_names_.push_back(e.key);
    }
  }

  void read_instrument_overrides(const Node& root) {
    const auto list = root.optional("instruments");
    if (!list) return;
    list->expect_map();
    for (const io::MapEntry& e : list->entries()) {
      check_id_key(*list, e, "instrument");
      e.value.expect_map();
      e.value.check_keys(kInstrumentKeys);
      const auto [it, fresh] = instruments_.try_emplace(e.key);
      it->second.merge(read_leaves(e.value));
      if (fresh) instrument_names_.push_back(e.key);
    }
  }

  // Effective instrument fields, for messages about correlations.
  void declare_instrument_fields() {
    for (const auto& [name, leaves] : instruments_) {
      for (const auto& [leaf, field] : leaves.numbers) declared_.emplace(field.key_path, field.is_constant());
    }
  }

  // -- sections ---------------------------------------------------------------

  void read_globals(const Node& root) {
    const auto g = root.optional("globals");
    if (!g) return;
    g->expect_map();
    g->check_keys({"weak_reading_weight", "blood_price", "decision_noise", "troop_scale", "contest_exponent",
                   "aid_surge_share", "nuclear_use_prob", "territory_loss", "unprompted_share",
                   "war_territory_rate", "repeated_attacks", "credibility_months"});
    if (const auto r = g->optional("repeated_attacks")) s_.base.globals.repeated_attacks = r->as_bool();
    if (const auto c = g->optional("credibility_months")) read_credibility_months(*c);
    const auto field = [](double Globals::*m) {
      return [m](Parameters& p) -> double& { return p.globals.*m; };
    };
    number(*g, "weak_reading_weight", Range::unit(), field(&Globals::weak_reading_weight), false);
    number(*g, "blood_price", Range::at_least(0), field(&Globals::blood_price), false);
    number(*g, "decision_noise", Range::above(0), field(&Globals::decision_noise), false);
    number(*g, "troop_scale", Range::above(0), field(&Globals::troop_scale), false);
    number(*g, "contest_exponent", Range::above(0), field(&Globals::contest_exponent), false);
    number(*g, "aid_surge_share", Range::unit(), field(&Globals::aid_surge_share), false);
    number(*g, "nuclear_use_prob", Range::unit(), field(&Globals::nuclear_use_prob), false);
    number(*g, "unprompted_share", Range::unit(), field(&Globals::unprompted_share), false);
    number(*g, "war_territory_rate", Range::unit(), field(&Globals::war_territory_rate), false);
    per_attack(*g, "territory_loss", Range::unit(),
               [](Parameters& p) -> std::array<double, kAttackTypes>& { return p.globals.territory_loss; }, false);
  }

  // Months at which P(armed defence | major attack at t) is also reported:
  // increasing, within the horizon, at most kMaxCredibilityMonths (each adds
  // two metrics and a coalition computation per option and trial).
  void read_credibility_months(const Node& node) {
    node.expect_sequence();
    if (node.size() > kMaxCredibilityMonths)
      node.fail("lists " + std::to_string(node.size()) + " months, but at most " +
                std::to_string(kMaxCredibilityMonths) + " may be listed");
    for (const Node& item : node.items()) {
      const int month = static_cast<int>(item.as_integer(1, s_.base.horizon));
      if (!s_.credibility_months.empty() && month <= s_.credibility_months.back())
        item.fail("is month " + std::to_string(month) + ", but the months must be listed in increasing order (after " +
                  std::to_string(s_.credibility_months.back()) + ")");
      s_.credibility_months.push_back(month);
    }
  }

  void read_settlement(const Node& node) {
    node.expect_map();
    node.check_keys({"enabled", "deal_value", "continue_value"});
    Settlement& st = s_.base.settlement;
    if (const auto e = node.optional("enabled")) st.enabled = e->as_bool();
    // Without a settlement stage the values are unused, so they may be left out.
    number(node, "deal_value", Range::finite(), [](Parameters& p) -> double& { return p.settlement.deal_value; },
           st.enabled);
    number(node, "continue_value", Range::finite(),
           [](Parameters& p) -> double& { return p.settlement.continue_value; }, st.enabled);
  }

  void read_challenger(const Node& node) {
    node.expect_map();
    node.check_keys({"name", "nuclear", "strength", "growth", "strength_max", "stakes", "war_cost", "escalation",
                     "cost_per_power", "nuclear_war_cost", "perception_bias", "perception_noise", "precision",
                     "opportunity_rate", "learning_rate", "opportunity_half_life", "crisis_multiplier"});
    Challenger& c = s_.base.challenger;
    c.name = text(node.required("name"));
    c.nuclear = node.required("nuclear").as_bool();
    const auto field = [](double Challenger::*m) {
      return [m](Parameters& p) -> double& { return p.challenger.*m; };
    };
    const auto pair = [](std::array<double, kAttackTypes> Challenger::*m) {
      return [m](Parameters& p) -> std::array<double, kAttackTypes>& { return p.challenger.*m; };
    };
    number(node, "strength", Range::above(0), field(&Challenger::strength));
    number(node, "growth", Range::finite(), field(&Challenger::growth));
    number(node, "strength_max", Range::above(0), field(&Challenger::strength_max));
    // Grey attacks are possible where their stakes are given.
    grey_stakes_ = per_attack(node, "stakes", Range::finite(), pair(&Challenger::stakes));
    c.possible[kGrey] = grey_stakes_.has_value();
    per_attack(node, "war_cost", Range::at_least(0), pair(&Challenger::war_cost));
    per_attack(node, "escalation", Range::unit(), pair(&Challenger::escalation));
    number(node, "cost_per_power", Range::at_least(0), field(&Challenger::cost_per_power));
    number(node, "nuclear_war_cost", Range::at_least(0), field(&Challenger::nuclear_war_cost));
    number(node, "perception_bias", Range::finite(), field(&Challenger::perception_bias));
    number(node, "perception_noise", Range::at_least(0), field(&Challenger::perception_noise));
    number(node, "precision", Range::at_least(0), field(&Challenger::precision));
    number(node, "opportunity_rate",
           Range::closed(0, 0.5).because("so that p_major + p_limited ≤ 2 h_0 ≤ 1"),
           field(&Challenger::opportunity_rate));
    number(node, "learning_rate", Range::at_least(0), field(&Challenger::learning_rate), false);
    number(node, "opportunity_half_life", Range::above(0), field(&Challenger::opportunity_half_life), false);
    number(node, "crisis_multiplier", Range::at_least(0), field(&Challenger::crisis_multiplier), false);
  }

  // `events:` a list of {month, set: {key path: value}, source or assumption}.
  // The settings are applied and validated as --set applies them, by
  // resolve_events (models/scenario_events.cpp), once the scenario is built.
  void read_events(const Node& root) {
    const auto list = root.optional("events");
    if (!list) return;
    list->expect_sequence();
    for (const Node& item : list->items()) {
      item.expect_map();
      item.check_keys({"month", "set", "source", "assumption"});
      ScheduledEvent ev;
      ev.month = static_cast<int>(item.required("month").as_integer(1, s_.base.horizon));
      const Node set = item.required("set");
      set.expect_map();
      if (set.size() == 0) set.fail("is an empty map, but an event must set at least one field");
      for (const io::MapEntry& e : set.entries()) {
        if (!e.value.is_scalar()) e.value.fail_found("a number, true/false or a name (one value per key path)");
        if (e.key.rfind("globals.credibility_months", 0) == 0)  // read once, for the whole run
          e.value.fail("sets '" + e.key + "', but the months at which credibility is measured are the run's, "
                       "not a month's: list them under globals.credibility_months");
        if (const std::string why = drawn_at_start(e.key); !why.empty() && ev.month > 1) {
          e.value.fail("sets '" + e.key + "' at month " + std::to_string(ev.month) + ", but " + why +
                       ", so an event may set it only at month 1");
        }
        const std::string& text = e.value.scalar_text();
        const bool plain = !e.value.quoted() && reads_as_plain_scalar(text);
        ev.set.push_back({e.key, text, !plain, e.value.location()});
      }
      const io::FieldProvenance p = io::read_provenance(item);
      if (p.empty()) item.fail("has neither 'source' nor 'assumption', but each event must say what it rests on");
      ev.provenance = {item.path(), p.seed, p.quote, p.assumption};
      s_.provenance.push_back(ev.provenance);
      s_.events.push_back(std::move(ev));
    }
    std::stable_sort(s_.events.begin(), s_.events.end(),
                     [](const ScheduledEvent& a, const ScheduledEvent& b) { return a.month < b.month; });
  }

  // `crises:` a list of {month, source or assumption}: scheduled crises, each
  // of which resets the guarantors' erosion of interest.
  void read_crises(const Node& root) {
    const auto list = root.optional("crises");
    if (!list) return;
    list->expect_sequence();
    for (const Node& item : list->items()) {
      item.expect_map();
      item.check_keys({"month", "source", "assumption"});
      const int month = static_cast<int>(item.required("month").as_integer(1, s_.base.horizon));
      const io::FieldProvenance p = io::read_provenance(item);
      if (p.empty()) item.fail("has neither 'source' nor 'assumption', but each crisis must say what it rests on");
      s_.provenance.push_back({item.path(), p.seed, p.quote, p.assumption});
      s_.base.crises.push_back(month);
    }
    std::sort(s_.base.crises.begin(), s_.base.crises.end());
  }

  // Why a field cannot change after month 1 ("" if it can): it is used once,
  // at the start of a trial (the deal, ratification, the draws of politics and
  // of the challenger's opportunities), or it shapes the scenario itself.
  static std::string drawn_at_start(const std::string& path) {
    const auto starts = [&](const std::string& prefix) { return path.rfind(prefix, 0) == 0; };
    const auto ends = [&](const std::string& suffix) {
      return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (path == "horizon" || starts("settlement.") || starts("correlations") || starts("epistemic") ||
        starts("baseline") || starts("observed") || starts("presets") || starts("events") || starts("crises"))
      return "it shapes the scenario or the deal, which is made at the start";
    if (path == "challenger.opportunity_rate" || path == "challenger.opportunity_half_life" ||
        path == "challenger.crisis_multiplier")
      return "the challenger's opportunities are drawn at the start";
    if (path == "globals.repeated_attacks") return "it chooses the model a trial runs";
    if (starts("guarantors.") && ends(".aid_stock")) return "a stock is filled at the start of a trial";
    if (starts("guarantors.") && (ends(".resolve") || path.find(".successor_resolve") != std::string::npos ||
                                  ends(".turnover_hazard") || path.find(".elections") != std::string::npos))
      return "each guarantor's politics are drawn at the start of a trial";
    if (ends(".ratification")) return "ratification is decided at the start";
    if (ends(".effective_from")) return "the timetable is part of the deal, which is made at the start";
    return "";
  }

  // Grey attacks do not end the trial, so they need the repeated-attacks model.
  void check_dynamics() {
    if (grey_stakes_ && !s_.base.globals.repeated_attacks) {
      grey_stakes_->fail("gives stakes for grey attacks, but grey attacks need 'globals.repeated_attacks: true' "
                         "(in the single-war model the first attack ends the trial)");
    }
  }

  void read_protege(const Node& node) {
    node.expect_map();
    node.check_keys({"name", "strength", "growth", "decay", "aid_efficiency", "fortification", "reservation",
                     "precision"});
    s_.base.protege.name = text(node.required("name"));
    const auto field = [](double Protege::*m) { return [m](Parameters& p) -> double& { return p.protege.*m; }; };
    number(node, "strength", Range::above(0), field(&Protege::strength));
    number(node, "growth", Range::finite(), field(&Protege::growth));
    number(node, "decay", Range::unit(), field(&Protege::decay));
    number(node, "aid_efficiency", Range::at_least(0), field(&Protege::aid_efficiency));
    number(node, "fortification", Range::above(0), field(&Protege::fortification));
    s_.base.protege.has_reservation = node.has("reservation");
    number(node, "reservation", Range::unit(), field(&Protege::reservation), false);
    number(node, "precision", Range::at_least(0), field(&Protege::precision), false);
  }

  void read_guarantors(const Node& node) {
    node.expect_map();
    if (node.size() == 0) node.fail("is an empty map, but must define at least one guarantor");
    for (const io::MapEntry& e : node.entries()) {
      check_id_key(node, e, "guarantor");
      read_guarantor(e.key, e.value);
    }
  }

  void read_guarantor(const std::string& id, const Node& node) {
    node.expect_map();
    node.check_keys({"name", "capability", "interest", "resolve", "successor_resolve", "turnover_hazard", "elections",
                     "war_cost", "escalation_aversion", "reputation", "nuclear", "sanctions_cost", "surge_cost",
                     "sanctions_bite", "follow", "interest_half_life", "interest_floor", "aid_stock",
                     "aid_refill"});
    const std::size_t g = s_.base.guarantors.size();
    Guarantor& guarantor = s_.base.guarantors.emplace_back();
    guarantor.id = id;
    guarantor.name = text(node.required("name"));
    guarantor.nuclear = node.required("nuclear").as_bool();
    guarantor_names_.push_back(id);
    const auto field = [g](double Guarantor::*m) {
      return [g, m](Parameters& p) -> double& { return p.guarantors[g].*m; };
    };
    number(node, "capability", Range::at_least(0), field(&Guarantor::capability));
    number(node, "interest", Range::finite(), field(&Guarantor::interest));
    number(node, "resolve", Range::at_least(0), field(&Guarantor::resolve));
    // Drawn at each change of government (the model's politics step), not once per trial.
    const NumericField successor =
        io::read_number_or_distribution(node.required("successor_resolve"), Range::at_least(0));
    s_.base.guarantors[g].successor_resolve = successor.distribution;
    record_provenance(successor);
    successor_paths_.insert(successor.key_path);
    number(node, "turnover_hazard", Range::unit(), field(&Guarantor::turnover_hazard), false);
    if (const auto el = node.optional("elections")) read_elections(*el, g);
    number(node, "war_cost", Range::at_least(0), field(&Guarantor::war_cost));
    number(node, "escalation_aversion", Range::at_least(0), field(&Guarantor::escalation_aversion), false);
    number(node, "reputation", Range::finite(), field(&Guarantor::reputation), false);
    number(node, "sanctions_cost", Range::at_least(0), field(&Guarantor::sanctions_cost), false);
    number(node, "surge_cost", Range::at_least(0), field(&Guarantor::surge_cost), false);
    number(node, "sanctions_bite", Range::at_least(0), field(&Guarantor::sanctions_bite), false);
    number(node, "follow", Range::at_least(0), field(&Guarantor::follow), false);
    number(node, "interest_half_life", Range::above(0), field(&Guarantor::interest_half_life), false);
    number(node, "interest_floor", Range::finite(), field(&Guarantor::interest_floor), false);
    number(node, "aid_stock", Range::at_least(0), field(&Guarantor::aid_stock), false);
    number(node, "aid_refill", Range::at_least(0), field(&Guarantor::aid_refill), false);
  }

  void read_elections(const Node& node, std::size_t g) {
    node.expect_map();
    node.check_keys({"first", "interval", "change_prob"});
    Elections& el = s_.base.guarantors[g].elections;
    el.scheduled = true;
    el.first = static_cast<int>(node.required("first").as_integer(1, INT_MAX));
    el.interval = static_cast<int>(node.required("interval").as_integer(1, INT_MAX));
    number(node, "change_prob", Range::unit(),
           [g](Parameters& p) -> double& { return p.guarantors[g].elections.change_prob; });
  }

  // -- options ----------------------------------------------------------------

  void read_options(const Node& node) {
    node.expect_sequence();
    if (node.size() == 0) node.fail("is an empty list, but must have at least one option");
    std::map<std::string, int> seen;  // name -> line
    for (const Node& item : node.items()) {
      item.expect_map();
      item.check_keys({"name", "label", "leader", "commitments"});
      const Node name_node = item.required("name");
      const std::string name = identifier(name_node);
      const auto [it, fresh] = seen.emplace(name, name_node.location().line);
      if (!fresh) {
        name_node.fail("is '" + name + "', but option names must be unique (first at line " +
                       std::to_string(it->second) + ")");
      }
      // Key paths name options by their name from here on.
      const Node option = item.with_path("options." + name);
      Option& o = s_.base.options.emplace_back();
      o.name = name;
      o.label = option.has("label") ? option.required("label").as_string() : name;
      option_names_.push_back(name);
      const Node commitments = option.required("commitments");
      if (!commitments.is_null()) {  // `commitments:` left empty: no guarantee at all
        commitments.expect_sequence();
        for (const Node& c : commitments.items()) read_commitment(c, s_.base.options.size() - 1);
      }
      read_leader(option, s_.base.options.back());
    }
    add_no_guarantee();
  }

  // The guarantor that chooses first: `leader:`, or the committed guarantor
  // with the largest capability (at its central value), or with no commitment
  // the largest capability of all.
  void read_leader(const Node& option, Option& o) {
    if (const auto l = option.optional("leader")) {
      const std::string name = l->as_string();
      const auto g = std::find(guarantor_names_.begin(), guarantor_names_.end(), name);
      if (g == guarantor_names_.end()) fail_undefined(*l, "guarantor", name, guarantor_names_);
      o.leader = static_cast<std::size_t>(g - guarantor_names_.begin());
      return;
    }
    const auto& gs = s_.base.guarantors;
    std::vector<std::size_t> candidates;
    for (const Commitment& c : o.commitments) candidates.push_back(c.guarantor);
    if (candidates.empty()) {
      for (std::size_t g = 0; g < gs.size(); ++g) candidates.push_back(g);
    }
    o.leader = *std::max_element(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
      return gs[a].capability < gs[b].capability;
    });
  }

  // Every comparison includes "no guarantee" (models/README.md, metrics).
  void add_no_guarantee() {
    if (std::find(option_names_.begin(), option_names_.end(), "no_guarantee") != option_names_.end()) return;
    Option& o = s_.base.options.emplace_back();
    o.name = "no_guarantee";
    o.label = "No guarantee";
    option_names_.push_back(o.name);
    added_no_guarantee_ = true;
    const auto& gs = s_.base.guarantors;
    for (std::size_t g = 0; g < gs.size(); ++g) {
      if (gs[g].capability > gs[o.leader].capability) o.leader = g;
    }
  }

  // Which commitment of an option a field is written into.
  enum class Part { commitment, fallback, interim, interim_fallback };
  static Commitment& part(Option& option, std::size_t c, Part which) {
    switch (which) {
      case Part::commitment: return option.commitments[c];
      case Part::fallback: return option.fallbacks[c];
      case Part::interim: return option.interims[c]->commitment;
      case Part::interim_fallback: break;
    }
    return option.interims[c]->fallback;
  }

  // `keys` and the instrument fields a commitment may override (a commitment
  // has no description of its own).
  static std::vector<std::string_view> commitment_keys(std::vector<std::string_view> keys) {
    for (const auto k : kInstrumentKeys) {
      if (k != "description") keys.push_back(k);
    }
    return keys;
  }

  void read_commitment(const Node& node, std::size_t o) {
    node.expect_map();
    node.check_keys(commitment_keys({"guarantor", "instrument", "effective_from", "interim"}));
    const Node gnode = node.required("guarantor");
    const std::string gname = gnode.as_string();
    const auto g = std::find(guarantor_names_.begin(), guarantor_names_.end(), gname);
    if (g == guarantor_names_.end()) fail_undefined(gnode, "guarantor", gname, guarantor_names_);
    Option& option = s_.base.options[o];
    const std::size_t c = option.commitments.size();
    option.commitments.emplace_back().guarantor = static_cast<std::size_t>(g - guarantor_names_.begin());
    option.fallbacks.emplace_back();
    option.interims.emplace_back();
    read_instrument_spec(node, o, c, Part::commitment, Part::fallback);
    read_timing(node, o, c);
  }

  // Timing (models/README.md): `effective_from` (a month) and the `interim`
  // commitment in force before it, the same guarantor's.
  void read_timing(const Node& node, std::size_t o, std::size_t c) {
    const auto from = node.optional("effective_from");
    const auto interim = node.optional("interim");
    if (interim && !from) {
      interim->fail("is given without 'effective_from', but an interim stands in for the commitment only "
                    "before the month it takes effect: give that month as 'effective_from'");
    }
    if (!from) return;
    s_.base.options[o].commitments[c].effective_from = read_month(*from);
    if (!interim) return;
    interim->expect_map();
    if (interim->has("guarantor")) {
      throw sim::ScenarioError(interim->key_location("guarantor"), interim->path(),
                               "gives a guarantor, but an interim is the commitment's own guarantor's: "
                               "leave 'guarantor' out");
    }
    interim->check_keys(commitment_keys({"instrument"}));
    Option& option = s_.base.options[o];
    option.interims[c].emplace();
    option.interims[c]->commitment.guarantor = option.commitments[c].guarantor;
    read_instrument_spec(*interim, o, c, Part::interim, Part::interim_fallback);
  }

  // A month: `36` or `{value: 36, source|assumption}`; a constant (the deal
  // fixes the timetable: sweep it or --set it to study it). In the provenance
  // like any field.
  int read_month(const Node& node) {
    Node value = node;
    io::FieldProvenance provenance;
    if (node.is_map()) {
      if (node.has("dist")) {
        node.fail("is a distribution, but a month of taking effect is a constant (sweep it or --set it "
                  "to see how the results depend on it)");
      }
      node.check_keys({"value", "source", "assumption"});
      value = node.required("value");
      provenance = io::read_provenance(node);
    }
    const int month = static_cast<int>(value.as_integer(1, INT_MAX));
    NumericField f;
    f.distribution = sim::Distribution::constant(month);
    f.provenance = provenance;
    f.key_path = node.path();
    f.location = node.location();
    record_provenance(f);
    declared_[f.key_path] = true;
    return month;
  }

  // `instrument:` and its field overrides in `node`, into part `main` of
  // commitment c of option o, and its fallback into `fallback_part` when it
  // may not be ratified.
  void read_instrument_spec(const Node& node, std::size_t o, std::size_t c, Part main, Part fallback_part) {
    const Node inode = node.required("instrument");
    const std::string iname = inode.as_string();
    const auto inst = instruments_.find(iname);
    if (inst == instruments_.end()) {
      fail_undefined(inode, "instrument", iname, instrument_names_,
                     "; there are no instruments: no presets file (neither 'presets:' nor an instruments.yaml "
                     "next to the scenario) and no 'instruments:' in the scenario");
    }
    const Leaves& inherited = inst->second;
    const Leaves own = read_leaves(node);

    Commitment& cm = part(s_.base.options[o], c, main);
    cm.instrument = iname;
    Leaves fields = inherited;
    fields.merge(own);
    apply_leaves(fields, o, c, main);
    // What it becomes when not ratified: its fallback instrument's fields.
    Commitment& fallback = part(s_.base.options[o], c, fallback_part);
    fallback = cm;
    const auto r = fields.numbers.find("ratification");
    if (r == fields.numbers.end() || (r->second.is_constant() && r->second.value() == 1.0)) return;
    const std::string fname = fields.fallback.value_or(kDefaultFallback);
    const auto fb = instruments_.find(fname);
    if (fb == instruments_.end()) {
      const Node& where = fields.fallback_node ? *fields.fallback_node : inode;
      fail_undefined(where, "fallback instrument", fname, instrument_names_,
                     "; a commitment that may not be ratified needs one ('fallback:' or a preset named " +
                         std::string(kDefaultFallback) + ")");
    }
    const std::size_t guarantor = cm.guarantor;
    fallback = Commitment{};
    fallback.guarantor = guarantor;
    fallback.instrument = fname;
    apply_leaves(fb->second, o, c, fallback_part);
    fallback.ratification = 1.0;
  }

  // Writes `fields` into part `which` of commitment c of option o.
  void apply_leaves(const Leaves& fields, std::size_t o, std::size_t c, Part which) {
    Commitment& cm = part(s_.base.options[o], c, which);
    const bool fallback = which == Part::fallback || which == Part::interim_fallback;
    if (fields.covers) cm.covers = *fields.covers;
    if (fields.response) cm.response = *fields.response;
    cm.weak_response = fields.weak_response ? *fields.weak_response : cm.response;
    for (const NumberLeaf& leaf : number_leaves()) {
      if (fallback && std::string_view(leaf.name) == "ratification") continue;
      const auto get = [o, c, which, f = leaf.get](Parameters& p) -> double& { return f(part(p.options[o], c, which)); };
      if (const auto it = fields.numbers.find(leaf.name); it != fields.numbers.end()) use(it->second, get);
    }
  }

  void read_baseline(const Node& root) {
    const auto b = root.optional("baseline");
    if (!b) return;
    const std::string name = b->as_string();
    const auto it = std::find(option_names_.begin(), option_names_.end(), name);
    if (it == option_names_.end()) fail_undefined(*b, "option", name, option_names_);
    s_.baseline = static_cast<std::size_t>(it - option_names_.begin());
  }

  // -- the recorded outcome of a historical case --------------------------------

  void read_observed(const Node& root) {
    const auto node = root.optional("observed");
    if (!node) return;
    node->expect_map();
    node->check_keys({"attacked", "attack_month", "attack_type", "honoured", "source", "assumption"});
    const auto& options = s_.base.options;
    const std::size_t written = options.size() - (added_no_guarantee_ ? 1 : 0);
    if (written != 1) {
      node->fail("is given, so the scenario must have exactly one option (the instrument as it stood), but it has " +
                 std::to_string(written));
    }
    Observation ob;
    ob.attacked = node->required("attacked").as_bool();
    const io::FieldProvenance p = io::read_provenance(*node);
    if (p.empty()) node->fail("has neither 'source' nor 'assumption', but must say what the record rests on");
    ob.provenance = {node->path(), p.seed, p.quote, p.assumption};
    // Guarantors with a commitment in the option, in option order (one commitment each).
    std::vector<std::string> committed;
    for (const Commitment& c : options[0].commitments) {
      const std::string& id = s_.base.guarantors[c.guarantor].id;
      if (std::find(committed.begin(), committed.end(), id) != committed.end()) {
        node->fail("is given, so each guarantor may have one commitment (honour is recorded per guarantor), but '" +
                   id + "' has several in option '" + options[0].name + "'");
      }
      committed.push_back(id);
    }
    const auto month = node->optional("attack_month");
    const auto honoured = node->optional("honoured");
    const auto type = node->optional("attack_type");
    if (!ob.attacked) {
      if (month) month->fail("is given, but 'attacked' is false: there is no attack to date");
      if (type) type->fail("is given, but 'attacked' is false: there is no attack to type");
      if (honoured) honoured->fail("is given, but 'attacked' is false: no guarantor was called on");
      s_.observed = std::move(ob);
      return;
    }
    if (!month) node->fail("missing required key 'attack_month' (the month of the attack, 1.." +
                           std::to_string(s_.base.horizon) + ", since 'attacked' is true)");
    ob.attack_month = static_cast<int>(month->as_integer(1, s_.base.horizon));
    if (type) {
      const std::string name = type->as_string();
      const auto names = attack_type_names();
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) type->fail_found("major, limited or grey" + io::did_you_mean(name, names));
      ob.attack_type = static_cast<int>(it - names.begin());
      if (*ob.attack_type == kGrey && !s_.base.challenger.possible[kGrey])
        type->fail("is grey, but the challenger has no stakes for grey attacks (challenger.stakes.grey), so the "
                   "model cannot forecast one");
    }
    // Called on: the committed guarantors whose commitment covers the attack
    // (all of them when its type is not recorded).
    std::vector<std::string> called;
    for (const Commitment& c : options[0].commitments) {
      const std::string& id = s_.base.guarantors[c.guarantor].id;
      (!ob.attack_type || c.covers[static_cast<std::size_t>(*ob.attack_type)] ? called : ob.not_triggered)
          .push_back(id);
    }
    if (!called.empty() && !honoured) {
      node->fail("missing required key 'honoured' (for each guarantor whose commitment covers the attack: " +
                 names_list(called) + ")");
    }
    if (honoured && !(honoured->is_null() && called.empty())) {
      honoured->expect_map();
      for (const io::MapEntry& e : honoured->entries()) {
        if (std::find(ob.not_triggered.begin(), ob.not_triggered.end(), e.key) != ob.not_triggered.end()) {
          throw sim::ScenarioError(e.key_location, honoured->path(),
                                   "guarantor '" + e.key + "': its commitment does not cover a " +
                                       kAttackTypeNames[*ob.attack_type] +
                                       " attack, so it was not triggered and has no honour to record");
        }
        if (std::find(committed.begin(), committed.end(), e.key) == committed.end()) {
          const std::string hint = io::did_you_mean(e.key, committed);
          throw sim::ScenarioError(e.key_location, honoured->path(),
                                   "guarantor '" + e.key + "' has no commitment in option '" + options[0].name + "'" +
                                       (!hint.empty()         ? hint
                                        : committed.empty()   ? " (the option has none)"
                                                              : "; the committed guarantors are: " +
                                                                    names_list(committed)));
        }
      }
    }
    for (const std::string& id : called) {
      if (!honoured->has(id)) honoured->fail("missing guarantor '" + id + "' (true if it did what its commitment promises)");
      ob.honoured.emplace_back(id, honoured->required(id).as_bool());
    }
    s_.observed = std::move(ob);
  }

  // -- uncertain parameters, correlations, provenance ---------------------------

  void finish(const Node& root) {
    const auto by_place = [this](const NumericField& a, const NumericField& b) {
      return order(a.location) < order(b.location);
    };
    std::stable_sort(uncertain_.begin(), uncertain_.end(),
                     [&](const Pending& a, const Pending& b) { return by_place(a.field, b.field); });
    std::stable_sort(provenance_.begin(), provenance_.end(), by_place);
    std::map<std::string, std::size_t> index;
    for (Pending& p : uncertain_) {
      index.emplace(p.field.key_path, s_.uncertain.size());
      s_.uncertain.push_back({p.field.key_path, p.field.distribution, std::move(p.targets), false, std::nullopt});
    }
    read_epistemic(root, index);
    s_.copula = read_correlations(root, index);
    for (const NumericField& f : provenance_) {
      s_.provenance.push_back({f.key_path, f.provenance.seed, f.provenance.quote, f.provenance.assumption});
    }
    std::string bytes = doc_.bytes();
    if (presets_) bytes += presets_->bytes();
    s_.sha256 = sim::sha256_hex(bytes);
  }

  // The index of the uncertain parameter `node` names; `use` says what for
  // in messages ("correlated", "epistemic").
  std::size_t uncertain_index(const Node& node, const std::map<std::string, std::size_t>& index,
                              const std::string& use) const {
    const std::string path = node.as_string();
    if (const auto it = index.find(path); it != index.end()) return it->second;
    if (successor_paths_.count(path) != 0) {
      node.fail("'" + path + "' is drawn at each change of government, not once per trial, so it cannot be " + use);
    }
    if (const auto it = declared_.find(path); it != declared_.end()) {
      if (it->second)
        node.fail("'" + path + "' is a constant; only uncertain parameters can be " + use + " (give it a dist:)");
      node.fail("'" + path + "' feeds no commitment (no option inherits it), so it cannot be " + use);
    }
    std::vector<std::string> known;
    for (const auto& [p, i] : index) known.push_back(p);
    const std::string hint = io::did_you_mean(path, known);
    node.fail("is '" + path + "', but must be the key path of an uncertain parameter" +
              (!hint.empty()       ? hint
               : known.empty()     ? " (this scenario has none)"
                                   : " (" + names_list(known) + ")"));
  }

  // `epistemic:` a list of key paths of uncertain parameters drawn once per
  // plausible world (credsim run --worlds), not once per trial.
  void read_epistemic(const Node& root, const std::map<std::string, std::size_t>& index) {
    const auto list = root.optional("epistemic");
    if (!list) return;
    list->expect_sequence();
    for (const Node& item : list->items()) {
      const std::string path = item.as_string();
      if (declared_.count(path) != 0 && index.count(path) == 0) {
        // Not drawn here (a sweep or --set made it a constant, or no option
        // inherits the preset field): the same in every world.
        if (std::find(s_.epistemic_constants.begin(), s_.epistemic_constants.end(), path) != s_.epistemic_constants.end())
          item.fail("repeats '" + path + "', but each field may be listed once");
        s_.epistemic_constants.push_back(path);
        continue;
      }
      UncertainParameter& u = s_.uncertain[uncertain_index(item, index, "epistemic")];
      if (u.epistemic) item.fail("repeats '" + u.key_path + "', but each field may be listed once");
      u.epistemic = true;
    }
  }

  sim::Copula read_correlations(const Node& root, const std::map<std::string, std::size_t>& index) const {
    std::vector<sim::Correlation> pairs;
    const auto list = root.optional("correlations");
    if (!list) return sim::Copula(s_.uncertain.size(), pairs);
    list->expect_sequence();
    std::map<std::pair<std::size_t, std::size_t>, int> seen;  // pair -> line
    for (const Node& item : list->items()) {
      item.expect_map();
      item.check_keys({"between", "rho"});
      const Node between = item.required("between");
      between.expect_sequence();
      if (between.size() != 2) {
        between.fail("has " + std::to_string(between.size()) + " key paths, but must have exactly two");
      }
      const auto items = between.items();
      const std::size_t i = uncertain_index(items[0], index, "correlated");
      const std::size_t j = uncertain_index(items[1], index, "correlated");
      if (s_.uncertain[i].epistemic != s_.uncertain[j].epistemic) {
        between.fail("correlates an epistemic field with a per-trial one, but with --worlds the one is drawn "
                     "once per world and the other once per trial; mark both epistemic or neither");
      }
      if (i == j) between.fail("correlates '" + items[0].as_string() + "' with itself, but must name two parameters");
      const double rho = item.required("rho").as_double(Range::open(-1, 1));
      const auto [it, fresh] = seen.emplace(std::minmax(i, j), between.location().line);
      if (!fresh) {
        between.fail("repeats a pair already correlated at line " + std::to_string(it->second) +
                     ", but each pair may be correlated once");
      }
      pairs.push_back({i, j, rho});
    }
    try {
      return sim::Copula(s_.uncertain.size(), pairs);
    } catch (const sim::DomainError& e) {
      std::string message = e.what();
      const std::string prefix = list->path() + ": ";  // the copula names itself "correlations" too
      if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
      list->fail(message);
    }
  }

  const io::Document& doc_;
  fs::path base_dir_;
  std::optional<io::Document> presets_;
  Scenario s_;
  std::map<std::string, Leaves> instruments_;
  std::vector<std::string> instrument_names_, guarantor_names_, option_names_;  // file order
  std::vector<sim::ScenarioError> errors_;  // of the independent sections read so far
  std::vector<Pending> uncertain_;
  std::map<std::string, std::size_t> uncertain_index_;
  std::map<std::string, bool> declared_;  // numeric key path -> is constant
  std::set<std::string> successor_paths_;
  bool added_no_guarantee_ = false;
  std::optional<Node> grey_stakes_;  // challenger.stakes.grey, when given
  std::vector<NumericField> provenance_;
  std::set<std::string> provenance_done_;
};

}  // namespace

Scenario load_scenario(const std::string& path) {
  const fs::path dir = fs::path(path).parent_path();
  const io::Document doc = io::Document::from_file(path, io::SeedCatalog::locate(dir));
  Scenario s = ScenarioBuilder(doc, dir).build();
  if (!s.events.empty()) resolve_events(s, sim::io::ScenarioDocument::from_file(path), path, dir.string());
  s.file = path;
  return s;
}

Override parse_override(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw sim::RunError("--set '" + text + "': expected PATH=VALUE, e.g. guarantors.usa.resolve=0.8");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  if (overrides.empty()) return load_scenario(path);
  sim::io::ScenarioDocument doc = sim::io::ScenarioDocument::from_file(path);
  for (const Override& o : overrides) {
    doc.set_scalar(o.key_path, o.value, !reads_as_plain_scalar(o.value),
                   sim::SourceLocation{"--set " + o.key_path + "=" + o.value, 0, 0});
  }
  const fs::path dir = fs::path(path).parent_path();
  const std::string text_name = path + " (with --set)";
  try {
    Scenario s = load_scenario_text(doc.to_yaml(), text_name, dir.string());
    s.file = path;
    return s;
  } catch (const sim::ScenarioError& e) {
    throw doc.in_file(e, text_name);
  }
}

Scenario load_scenario_text(const std::string& yaml_text, const std::string& file_name, const std::string& base_dir) {
  const io::Document doc = io::Document::from_text(yaml_text, file_name, io::SeedCatalog::locate(base_dir));
  Scenario s = ScenarioBuilder(doc, base_dir).build();
  if (!s.events.empty()) resolve_events(s, sim::io::ScenarioDocument::from_text(yaml_text, file_name), file_name, base_dir);
  return s;
}

}  // namespace credsim::model
