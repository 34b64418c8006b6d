// The scenario loader on the valid fixture tests/data/valid/minimal.yaml (+ instruments.yaml).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "loader_test_support.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"
#include "sim/hash.hpp"

namespace credsim {
namespace {

using model::kLimited;
using model::kMajor;
using model::Response;
using model::Scenario;

const std::filesystem::path kValid = test::source_dir() / "tests" / "data" / "valid";

class LoaderValid : public ::testing::Test {
 protected:
  void SetUp() override { s_ = model::load_scenario((kValid / "minimal.yaml").string()); }

  const model::UncertainParameter& uncertain(const std::string& path) const {
    const auto it = std::find_if(s_.uncertain.begin(), s_.uncertain.end(),
                                 [&](const model::UncertainParameter& u) { return u.key_path == path; });
    if (it == s_.uncertain.end()) throw std::runtime_error("no uncertain parameter " + path);
    return *it;
  }

  test::ScopedSeeds seeds_;
  Scenario s_;
};

TEST_F(LoaderValid, TopLevel) {
  EXPECT_EQ(s_.name, "minimal");
  EXPECT_EQ(s_.description, "Two guarantors, two options");
  EXPECT_EQ(s_.file, (kValid / "minimal.yaml").string());
  EXPECT_EQ(s_.base.horizon, 24);
  EXPECT_EQ(s_.baseline, 0u);
}

TEST_F(LoaderValid, GlobalsWithDefaults) {
  const model::Globals& g = s_.base.globals;
  EXPECT_EQ(g.blood_price, 2.5);
  EXPECT_EQ(g.territory_loss[kMajor], 0.25);
  EXPECT_EQ(g.territory_loss[kLimited], 0.03);  // default kept for the key left out
  EXPECT_EQ(g.weak_reading_weight, 0.25);
  EXPECT_EQ(g.decision_noise, 1.7);
  EXPECT_EQ(g.troop_scale, 5100.0);
  EXPECT_EQ(g.contest_exponent, 1.0);
  EXPECT_EQ(g.aid_surge_share, 0.3);
  EXPECT_EQ(g.nuclear_use_prob, 0.05);
  EXPECT_EQ(g.unprompted_share, 0.25);
  EXPECT_EQ(g.war_territory_rate, 0.0);
}

TEST_F(LoaderValid, SettlementChallengerProtege) {
  EXPECT_TRUE(s_.base.settlement.enabled);
  EXPECT_EQ(s_.base.settlement.deal_value, 3);
  EXPECT_EQ(s_.base.settlement.continue_value, 1);
  const model::Challenger& c = s_.base.challenger;
  EXPECT_EQ(c.name, "Russia");
  EXPECT_TRUE(c.nuclear);
  EXPECT_EQ(c.strength, 2);
  EXPECT_EQ(c.growth, 0.004);
  EXPECT_EQ(c.strength_max, 3);
  EXPECT_EQ(c.stakes[kMajor], 6);
  EXPECT_EQ(c.stakes[kLimited], 2);
  EXPECT_EQ(c.war_cost[kLimited], 0.3);
  EXPECT_EQ(c.escalation[kMajor], 0.5);
  EXPECT_EQ(c.cost_per_power, 0.5);
  EXPECT_EQ(c.nuclear_war_cost, 4);
  EXPECT_EQ(c.perception_bias, -0.1);
  EXPECT_EQ(c.perception_noise, 0.3);
  EXPECT_EQ(c.precision, 1);
  EXPECT_EQ(c.opportunity_rate, 0.05);
  const model::Protege& p = s_.base.protege;
  EXPECT_EQ(p.name, "Ukraine");
  EXPECT_EQ(p.strength, 1);
  EXPECT_EQ(p.growth, 0);
  EXPECT_EQ(p.decay, 0.01);
  EXPECT_EQ(p.aid_efficiency, 1);
  EXPECT_EQ(p.fortification, 1.2);
  EXPECT_FALSE(p.has_reservation);  // default: accepts any deal
  EXPECT_EQ(p.precision, 10.0);
}

TEST_F(LoaderValid, Guarantors) {
  ASSERT_EQ(s_.base.guarantors.size(), 2u);
  const model::Guarantor& usa = s_.base.guarantors[0];
  EXPECT_EQ(usa.id, "usa");
  EXPECT_EQ(usa.name, "United States");
  EXPECT_EQ(usa.capability, 4);
  EXPECT_EQ(usa.interest, 1.5);
  EXPECT_DOUBLE_EQ(usa.resolve, 1.0);  // mean of beta(2, 2) on [0, 2]
  EXPECT_EQ(usa.successor_resolve.kind(), sim::DistKind::uniform);
  EXPECT_EQ(usa.successor_resolve.params(), (std::vector<double>{0.2, 1.2}));
  EXPECT_EQ(usa.turnover_hazard, 0.01);
  EXPECT_TRUE(usa.elections.scheduled);
  EXPECT_EQ(usa.elections.first, 22);
  EXPECT_EQ(usa.elections.interval, 48);
  EXPECT_EQ(usa.elections.change_prob, 0.5);
  EXPECT_EQ(usa.war_cost, 2.5);
  EXPECT_EQ(usa.escalation_aversion, 0.5);
  EXPECT_EQ(usa.reputation, 0.5);
  EXPECT_TRUE(usa.nuclear);
  const model::Guarantor& uk = s_.base.guarantors[1];
  EXPECT_EQ(uk.id, "uk");
  EXPECT_DOUBLE_EQ(uk.resolve, 1.0);  // mean of triangular(0.5, 1, 1.5)
  EXPECT_TRUE(uk.successor_resolve.is_constant());
  EXPECT_EQ(uk.successor_resolve.mean(), 1.0);
  EXPECT_FALSE(uk.elections.scheduled);
  EXPECT_EQ(uk.turnover_hazard, 0);       // default
  EXPECT_EQ(uk.escalation_aversion, 0);   // default
  EXPECT_EQ(uk.reputation, 0);            // default
  EXPECT_EQ(uk.sanctions_cost, 0);        // defaults
  EXPECT_EQ(uk.surge_cost, 0);
  EXPECT_EQ(uk.sanctions_bite, 0);
  EXPECT_EQ(uk.follow, 0);
}

TEST_F(LoaderValid, OptionsAndCommitments) {
  ASSERT_EQ(s_.base.options.size(), 3u);  // the two written, then `no_guarantee` added by the loader
  const model::Option& none = s_.base.options[2];
  EXPECT_EQ(none.name, "no_guarantee");
  EXPECT_EQ(none.label, "No guarantee");
  EXPECT_TRUE(none.commitments.empty());
  EXPECT_EQ(none.leader, 0u);  // the largest capability of all
  const model::Option& budapest = s_.base.options[0];
  EXPECT_EQ(budapest.name, "budapest");
  EXPECT_EQ(budapest.label, "Budapest-style assurance");
  ASSERT_EQ(budapest.commitments.size(), 2u);
  for (const model::Commitment& c : budapest.commitments) {
    EXPECT_EQ(c.instrument, "assurance");
    EXPECT_EQ(c.audience_cost, 1);
    EXPECT_EQ(c.ambiguity, 0.6);
    EXPECT_TRUE(c.covers[kMajor]);
    EXPECT_FALSE(c.covers[kLimited]);
    EXPECT_EQ(c.response, Response::sanctions);  // default
    EXPECT_EQ(c.weak_response, Response::sanctions);  // default: the response
    EXPECT_EQ(c.ratification, 1.0);                   // default
    EXPECT_EQ(c.sanctions, 0.5);
    EXPECT_EQ(c.red_line, 0.2);
    EXPECT_EQ(c.share, 0);
  }
  EXPECT_EQ(budapest.commitments[0].guarantor, 0u);
  EXPECT_EQ(budapest.commitments[1].guarantor, 1u);
  EXPECT_EQ(budapest.leader, 0u);  // default: the committed guarantor with the largest capability

  const model::Option& nato = s_.base.options[1];
  EXPECT_EQ(nato.name, "nato");
  EXPECT_EQ(nato.label, "nato");  // default: the name
  ASSERT_EQ(nato.commitments.size(), 3u);
  const model::Commitment& usa = nato.commitments[0];
  EXPECT_EQ(usa.instrument, "membership");
  EXPECT_EQ(usa.response, Response::combat);
  EXPECT_EQ(usa.weak_response, Response::combat);
  EXPECT_DOUBLE_EQ(usa.audience_cost, 6.0);  // mean of uniform(4, 8)
  EXPECT_EQ(usa.ambiguity, 0.05);             // scenario override of the preset's 0
  EXPECT_EQ(usa.share, 0.5);
  EXPECT_EQ(usa.sanctions, 2);
  EXPECT_EQ(usa.red_line, 3);
  EXPECT_TRUE(usa.covers[kMajor] && usa.covers[kLimited]);
  const model::Commitment& uk = nato.commitments[1];
  EXPECT_EQ(uk.guarantor, 1u);
  EXPECT_DOUBLE_EQ(uk.ambiguity, 0.1);  // its own beta(1, 9)
  const model::Commitment& patrol = nato.commitments[2];
  EXPECT_EQ(patrol.instrument, "patrol");  // defined in the scenario only
  EXPECT_EQ(patrol.response, Response::combat);
  EXPECT_EQ(patrol.share, 0.1);
  EXPECT_EQ(patrol.troops, 5000);
  EXPECT_EQ(patrol.exposure[kMajor], 0.8);
  EXPECT_EQ(patrol.exposure[kLimited], 0);
  EXPECT_EQ(patrol.troop_power, 0.2);
  EXPECT_EQ(patrol.audience_cost, 0.5);  // commitment override
  EXPECT_EQ(patrol.ambiguity, 0);
}

TEST_F(LoaderValid, UncertainParametersInFileOrder) {
  std::vector<std::string> paths;
  for (const auto& u : s_.uncertain) paths.push_back(u.key_path);
  EXPECT_EQ(paths, (std::vector<std::string>{"guarantors.usa.resolve", "guarantors.uk.resolve",
                                             "options.nato.commitments[1].ambiguity",
                                             "instruments.membership.audience_cost"}));
  EXPECT_EQ(s_.uncertain[0].distribution.kind(), sim::DistKind::beta);
  EXPECT_EQ(s_.uncertain[3].distribution.kind(), sim::DistKind::uniform);
}

TEST_F(LoaderValid, PresetFieldIsOneParameterSharedByItsInheritors) {
  const auto& u = uncertain("instruments.membership.audience_cost");
  ASSERT_EQ(u.targets.size(), 2u);  // nato's usa and uk membership; the patrol overrides its own
  model::Parameters p = s_.base;
  for (const auto& target : u.targets) target(p, 7.5);
  EXPECT_EQ(p.options[1].commitments[0].audience_cost, 7.5);
  EXPECT_EQ(p.options[1].commitments[1].audience_cost, 7.5);
  EXPECT_EQ(p.options[1].commitments[2].audience_cost, 0.5);
  EXPECT_EQ(p.options[0].commitments[0].audience_cost, 1);
}

TEST_F(LoaderValid, CommitmentOverrideIsItsOwnParameter) {
  const auto& u = uncertain("options.nato.commitments[1].ambiguity");
  ASSERT_EQ(u.targets.size(), 1u);
  model::Parameters p = s_.base;
  u.targets[0](p, 0.3);
  EXPECT_EQ(p.options[1].commitments[1].ambiguity, 0.3);
  EXPECT_EQ(p.options[1].commitments[0].ambiguity, 0.05);
}

TEST_F(LoaderValid, GuarantorTargets) {
  model::Parameters p = s_.base;
  uncertain("guarantors.uk.resolve").targets.at(0)(p, 1.25);
  EXPECT_EQ(p.guarantors[1].resolve, 1.25);
  EXPECT_DOUBLE_EQ(p.guarantors[0].resolve, 1.0);
}

TEST_F(LoaderValid, Correlations) {
  ASSERT_EQ(s_.copula.size(), 4u);
  EXPECT_FALSE(s_.copula.independent());
  EXPECT_NEAR(s_.copula.lower(3, 0), 0.3, 1e-12);  // usa.resolve (0) with membership.audience_cost (3)
  EXPECT_NEAR(s_.copula.lower(1, 0), 0.0, 1e-12);
}

TEST_F(LoaderValid, Provenance) {
  ASSERT_EQ(s_.provenance.size(), 6u);
  const auto& p = s_.provenance;
  EXPECT_EQ(p[0].key_path, "settlement.continue_value");
  EXPECT_EQ(p[0].assumption, "fighting on is worth little");
  EXPECT_EQ(p[0].seed, "");
  EXPECT_EQ(p[1].key_path, "challenger.growth");
  EXPECT_EQ(p[1].seed, "002");  // recorded as written, checked against the folder
  EXPECT_EQ(p[1].quote, "30,000 recruits per month");
  EXPECT_EQ(p[2].key_path, "guarantors.usa.resolve");
  EXPECT_EQ(p[3].key_path, "guarantors.usa.successor_resolve");
  EXPECT_EQ(p[3].seed, "002_537cde15b9f0378c.txt");  // a full name stays full
  EXPECT_EQ(p[4].key_path, "instruments.membership.audience_cost");
  EXPECT_EQ(p[4].assumption, "a ratified treaty is costly to break");
  EXPECT_EQ(p[5].key_path, "instruments.assurance.ambiguity");
  EXPECT_EQ(p[5].seed, "001");
  EXPECT_EQ(p[5].quote, "could—but would not be required to");
}

TEST_F(LoaderValid, HashCoversScenarioAndPresets) {
  const std::string bytes =
      test::read_text(kValid / "minimal.yaml") + test::read_text(kValid / "instruments.yaml");
  EXPECT_EQ(s_.sha256, sim::sha256_hex(bytes));
}

TEST_F(LoaderValid, TextGivesTheSameScenario) {
  const Scenario t =
      model::load_scenario_text(test::read_text(kValid / "minimal.yaml"), "dict", kValid.string());
  EXPECT_EQ(t.file, "");
  EXPECT_EQ(t.sha256, s_.sha256);
  EXPECT_EQ(t.uncertain.size(), s_.uncertain.size());
  EXPECT_EQ(t.provenance.size(), s_.provenance.size());
  EXPECT_EQ(t.base.options[1].commitments[0].audience_cost, s_.base.options[1].commitments[0].audience_cost);
}

// A scenario without presets file, its instruments inline; the text is JSON.
const char* const kInlineJson = R"({
  "credsim": 1, "name": "inline", "horizon": 12,
  "settlement": {"enabled": false},
  "challenger": {"name": "C", "nuclear": false, "strength": 1, "growth": 0, "strength_max": 2,
                 "stakes": {"major": 1, "limited": 1}, "war_cost": {"major": 0, "limited": 0},
                 "escalation": {"major": 0, "limited": 0}, "cost_per_power": 0, "nuclear_war_cost": 0,
                 "perception_bias": 0, "perception_noise": 0, "precision": 1, "opportunity_rate": 0.1},
  "protege": {"name": "P", "strength": 1, "growth": 0, "decay": 0, "aid_efficiency": 0, "fortification": 1},
  "guarantors": {"g": {"name": "G", "capability": 1, "interest": 1, "resolve": 1,
                       "successor_resolve": {"dist": "uniform", "low": 0, "high": 1},
                       "war_cost": 1, "nuclear": false}},
  "instruments": {"pledge": {"sanctions": {"dist": "uniform", "low": 0, "high": 2}}},
  "options": [{"name": "none", "commitments": []},
              {"name": "pledge", "commitments": [{"guarantor": "g", "instrument": "pledge"}]}],
  "baseline": "pledge"
})";

TEST(LoaderInline, JsonWithoutPresetsFile) {
  const test::TempDir dir;  // no instruments.yaml next to it
  const Scenario s = model::load_scenario_text(kInlineJson, "inline.json", dir.path().string());
  EXPECT_EQ(s.name, "inline");
  EXPECT_FALSE(s.base.settlement.enabled);
  EXPECT_EQ(s.baseline, 1u);
  EXPECT_TRUE(s.base.options[0].commitments.empty());
  ASSERT_EQ(s.uncertain.size(), 1u);
  EXPECT_EQ(s.uncertain[0].key_path, "instruments.pledge.sanctions");
  EXPECT_EQ(s.base.options[1].commitments[0].sanctions, 1.0);
  EXPECT_TRUE(s.copula.independent());
  EXPECT_EQ(s.copula.size(), 1u);
  EXPECT_TRUE(s.provenance.empty());
  EXPECT_EQ(s.sha256, sim::sha256_hex(kInlineJson));
}

TEST(LoaderInline, EmptyCommitmentsMayBeLeftBlank) {
  const test::TempDir dir;
  std::string text = kInlineJson;
  text.replace(text.find("\"commitments\": []"), 17, "\"commitments\": null");
  const Scenario s = model::load_scenario_text(text, "inline.json", dir.path().string());
  EXPECT_TRUE(s.base.options[0].commitments.empty());
}

TEST(LoaderInline, ExplicitPresetsPath) {
  const test::ScopedSeeds seeds;
  const test::TempDir dir;
  std::string text = kInlineJson;
  text.replace(text.find("\"baseline\""), 0, "\"presets\": \"" + (kValid / "instruments.yaml").string() + "\", ");
  text.replace(text.find("\"instrument\": \"pledge\""), 22, "\"instrument\": \"assurance\"");
  const Scenario s = model::load_scenario_text(text, "inline.json", dir.path().string());
  EXPECT_EQ(s.base.options[1].commitments[0].instrument, "assurance");
  EXPECT_EQ(s.base.options[1].commitments[0].ambiguity, 0.6);
  EXPECT_EQ(s.sha256, sim::sha256_hex(text + test::read_text(kValid / "instruments.yaml")));
  // The unused uncertain instrument field is no parameter; only fields in use carry provenance.
  EXPECT_TRUE(s.uncertain.empty());
  ASSERT_EQ(s.provenance.size(), 1u);
  EXPECT_EQ(s.provenance[0].key_path, "instruments.assurance.ambiguity");
}

// The v2 fields: the response menu, the weak reading's response, ratification
// with its fallback, the protégé's reservation, guarantors' response costs and
// following, an option's leader, and the globals of no-deal wars.
TEST(LoaderInline, ModelV2Fields) {
  const test::TempDir dir;
  std::string text = kInlineJson;
  const auto put = [&](const std::string& find, const std::string& with) {
    const auto at = text.find(find);
    ASSERT_NE(at, std::string::npos) << find;
    text.replace(at, find.size(), with);
  };
  put("\"settlement\"", "\"globals\": {\"unprompted_share\": 0.1, \"war_territory_rate\": 0.002}, \"settlement\"");
  put("\"fortification\": 1}", "\"fortification\": 1, \"reservation\": 0.2, \"precision\": 5}");
  put("\"war_cost\": 1, \"nuclear\": false}",
      "\"war_cost\": 1, \"nuclear\": false, \"sanctions_cost\": 0.3, \"surge_cost\": 0.4, "
      "\"sanctions_bite\": 0.5, \"follow\": 2},"
      " \"h\": {\"name\": \"H\", \"capability\": 3, \"interest\": 1, \"resolve\": 1, \"successor_resolve\": 1,"
      " \"war_cost\": 1, \"nuclear\": false}");
  put("\"instruments\": {\"pledge\": {",
      "\"instruments\": {\"fallen\": {\"response\": \"none\"}, \"pledge\": {\"response\": \"combat\", "
      "\"weak_response\": \"arms_surge\", \"ratification\": 0.7, \"fallback\": \"fallen\", ");
  put("{\"name\": \"pledge\", \"commitments\"", "{\"name\": \"pledge\", \"leader\": \"g\", \"commitments\"");
  const Scenario s = model::load_scenario_text(text, "inline.json", dir.path().string());
  EXPECT_EQ(s.base.globals.unprompted_share, 0.1);
  EXPECT_EQ(s.base.globals.war_territory_rate, 0.002);
  EXPECT_TRUE(s.base.protege.has_reservation);
  EXPECT_EQ(s.base.protege.reservation, 0.2);
  EXPECT_EQ(s.base.protege.precision, 5);
  const model::Guarantor& g = s.base.guarantors.at(0);
  EXPECT_EQ(g.sanctions_cost, 0.3);
  EXPECT_EQ(g.surge_cost, 0.4);
  EXPECT_EQ(g.sanctions_bite, 0.5);
  EXPECT_EQ(g.follow, 2);
  ASSERT_EQ(s.base.options.size(), 3u);
  EXPECT_EQ(s.base.options[0].leader, 1u);  // no commitment: the largest capability of all (h)
  const model::Option& pledge = s.base.options[1];
  EXPECT_EQ(pledge.leader, 0u);  // `leader: g`
  const model::Commitment& c = pledge.commitments.at(0);
  EXPECT_EQ(c.response, Response::combat);
  EXPECT_EQ(c.weak_response, Response::arms_surge);
  EXPECT_EQ(c.ratification, 0.7);
  ASSERT_EQ(pledge.fallbacks.size(), 1u);
  EXPECT_EQ(pledge.fallbacks[0].instrument, "fallen");
  EXPECT_EQ(pledge.fallbacks[0].response, Response::none);
  EXPECT_EQ(pledge.fallbacks[0].ratification, 1.0);
  EXPECT_EQ(s.base.options[2].name, "no_guarantee");
}

TEST(LoaderInline, MissingFileIsAScenarioError) {
  EXPECT_THROW(model::load_scenario("/nonexistent/credsim/scenario.yaml"), sim::ScenarioError);
}


// Issue 18, item 13: with --set, errors pointed at lines of the generated text.
TEST(LoaderOverrides, AnErrorIsAtItsLineInTheFile) {
  test::ScopedSeeds seeds;
  const std::string file = (kValid / "minimal.yaml").string();
  const std::string text = test::read_text(file);
  const auto at = text.find("[guarantors.usa.resolve,");
  ASSERT_NE(at, std::string::npos);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  const int column = static_cast<int>(at - text.rfind('\n', at)) + 1;  // past the '['
  try {
    model::load_scenario(file, {{"guarantors.usa.resolve", "0.5"}});  // a constant cannot be correlated
    FAIL();
  } catch (const sim::ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(file + " (with --set):" + std::to_string(line) + ":" + std::to_string(column) +
                            ": correlations[0].between[0]:",
                        0),
              0u)
        << msg;
  }
}

}  // namespace
}  // namespace credsim
