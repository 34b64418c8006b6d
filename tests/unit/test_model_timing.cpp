// Timing (issue 12, item 4): a commitment takes effect at `effective_from`,
// its `interim` standing in before. Properties: effective_from 1 is no timing
// whatever the interim; an interim identical to the commitment is no timing
// whatever the month; a month beyond the horizon is the interim alone; a
// later month with a weaker interim never raises P(no armed attack | deal).
// The deal counts the full commitment's red line and weighs each later month
// with what is in force then; P(armed defence) at month t is what is in force
// at t. Bad timings are refused with file:line:column. The scenario is
// scenarios/examples/accession.yaml with its options replaced.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

const std::string kExamples = std::string(CREDSIM_SOURCE_DIR) + "/scenarios/examples";
const std::string kFile = "accession_test.yaml";

// The example up to its `options:`, without its baseline (one of those options).
std::string example_head() {
  std::ifstream in(kExamples + "/accession.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string head = text.str();
  head.erase(head.find("\noptions:\n") + 1);
  const std::string baseline = "baseline: assurances_only\n";
  head.erase(head.find(baseline), baseline.size());
  return head;
}

// An option named `name` in which both guarantors make the commitment
// `fields` (a flow map's inside, e.g. "instrument: membership, effective_from: 25").
std::string option(const std::string& name, const std::string& fields) {
  return "  - name: " + name + "\n    commitments:\n      - {guarantor: usa, " + fields +
         "}\n      - {guarantor: uk, " + fields + "}\n";
}

std::string scenario_text(const std::string& options) { return example_head() + "options:\n" + options; }

model::Scenario with_options(const std::string& options) {
  return model::load_scenario_text(scenario_text(options), kFile, kExamples);
}

sim::RunResult run(const model::Scenario& s, std::uint64_t trials = 4000) { return test::run_model(s, 17, trials); }

std::string timed(int month, const std::string& interim) {
  return "instrument: membership, effective_from: " + std::to_string(month) +
         (interim.empty() ? "" : ", interim: {" + interim + "}");
}

TEST(ModelTiming, EffectiveFromOneIsNoTimingWhateverTheInterim) {
  const auto plain = with_options(option("x", "instrument: membership"));
  for (const std::string interim : {"instrument: security_assurance", "instrument: defense_treaty, red_line: 5",
                                    "instrument: tripwire, troops: 9000"}) {
    SCOPED_TRACE(interim);
    test::expect_same_tallies(run(with_options(option("x", timed(1, interim)))), run(plain), plain);
  }
}

TEST(ModelTiming, AnInterimIdenticalToTheCommitmentIsNoTiming) {
  // membership may not be ratified (0.8): the two share one draw.
  const auto plain = with_options(option("x", "instrument: membership"));
  const auto base = run(plain);
  for (const int month : {2, 25, 60, 120, 121, 5000}) {
    SCOPED_TRACE(month);
    test::expect_same_tallies(run(with_options(option("x", timed(month, "instrument: membership")))), base, plain);
  }
}

TEST(ModelTiming, AMonthBeyondTheHorizonIsTheInterimAlone) {
  const auto alone = with_options(option("x", "instrument: defense_treaty"));  // ratification 0.75: its draw too
  const auto base = run(alone);
  for (const int month : {121, 1000}) {
    SCOPED_TRACE(month);
    test::expect_same_tallies(run(with_options(option("x", timed(month, "instrument: defense_treaty")))), base, alone);
  }
  // Without an interim: nothing at all, as no commitment.
  const auto none = with_options(option("x", timed(121, "")));
  const model::CredibilityModel m(none, {"x", "no_guarantee"}, {});
  const auto r = test::run_model(m, 17, 4000);
  const auto& metrics = r.tally.metric;
  for (const std::size_t k : {model::kDeal, model::kNoArmedAttack, model::kArmedDefence, model::kTerritoryLost}) {
    EXPECT_EQ(metrics[0][k].moments.mean, metrics[1][k].moments.mean) << m.layout().options[0].metrics[k].name;
  }
}

TEST(ModelTiming, ALaterMonthWithAWeakerInterimNeverRaisesPeace) {
  // Paired runs (the same seed); a rise of more than 3 standard errors of the
  // difference would be a violation.
  const std::vector<int> months = {1, 13, 25, 61, 121};
  std::vector<sim::RunResult> runs;
  std::vector<model::Scenario> scenarios;
  for (const int month : months) {
    scenarios.push_back(with_options(option("x", timed(month, "instrument: security_assurance"))));
    runs.push_back(run(scenarios.back(), 20000));
  }
  for (std::size_t i = 1; i < months.size(); ++i) {
    const test::Gap g = test::probability_gap(model::CredibilityModel(scenarios[i], {}, {}), model::kNoArmedAttack,
                                              runs[i - 1], runs[i]);
    EXPECT_LE(g.b - g.a, 3.0 * g.se) << "month " << months[i] << " after " << months[i - 1];
  }
  // The test bites: membership at once keeps the peace better than the interim alone.
  const test::Gap whole = test::probability_gap(model::CredibilityModel(scenarios[0], {}, {}), model::kNoArmedAttack,
                                                runs.front(), runs.back());
  EXPECT_GT(whole.a - whole.b, 5.0 * whole.se) << whole.a << " vs " << whole.b;
}

// Mean of a metric of each option, with the conditional estimator: P(challenger
// accepts) is then each trial's probability, exact given its draws.
std::vector<double> means(const model::Scenario& s, std::size_t metric) {
  model::ModelConfig config;
  config.estimator = model::Estimator::conditional;
  const auto r = test::run_model(model::CredibilityModel(s, {}, config), 17, 4000);
  std::vector<double> out;
  for (const auto& o : r.tally.metric) out.push_back(o[metric].moments.mean);
  return out;
}

TEST(ModelTiming, TheDealCountsTheFullCommitmentsRedLineWithinTheHorizon) {
  const auto accepts = [](int month, const std::string& red_line) {
    return means(with_options(option("x", timed(month, "instrument: security_assurance") + ", red_line: " + red_line)),
                 model::kChallengerAccepts)[0];
  };
  // Membership in two years crosses Moscow's red line today...
  EXPECT_LT(accepts(25, "0.9"), accepts(25, "0"));
  // ...membership beyond the horizon is outside the model: the interim alone.
  EXPECT_EQ(accepts(121, "0.9"), accepts(121, "0"));
}

TEST(ModelTiming, TheDealWeighsEachLaterMonthWithWhatIsInForceThen) {
  // Red lines 0, so that only the deterrence the challenger expects differs:
  // the later membership comes, the more the deal is worth to it.
  std::string options = option("now", "instrument: membership, red_line: 0");
  for (const int month : {25, 61}) {
    options += option("m" + std::to_string(month),
                      timed(month, "instrument: security_assurance") + ", red_line: 0");
  }
  options += option("interim_alone", "instrument: security_assurance");
  options += option("later_alone", timed(61, "") + ", red_line: 0");
  const std::vector<double> p = means(with_options(options), model::kChallengerAccepts);
  EXPECT_LT(p[0], p[1]);
  EXPECT_LT(p[1], p[2]);
  EXPECT_LT(p[2], p[3]);
  // Membership in five years with nothing before it still deters at the
  // deal: the challenger weighs it, unlike no guarantee (p[5]).
  EXPECT_LT(p[4], p[5]);
}

TEST(ModelTiming, ArmedDefenceAtMonthTIsWhatIsInForceThen) {
  // No opportunities and no settlement stage: every trial runs to the end
  // with a deal, so each month's metric is over the same trials in every option.
  auto s = with_options(option("now", "instrument: membership") +
                        option("timed", timed(25, "instrument: security_assurance")) +
                        option("interim_alone", "instrument: security_assurance"));
  s.base.challenger.opportunity_rate = 0.0;
  s.base.settlement.enabled = false;
  const model::CredibilityModel m(s, {}, {});
  const auto r = test::run_model(m, 17, 4000);
  const auto& metric = r.tally.metric;
  const auto same = [&](std::size_t a, std::size_t b, std::size_t k) {
    EXPECT_EQ(metric[a][k].moments.n, metric[b][k].moments.n) << m.layout().options[a].metrics[k].name;
    EXPECT_EQ(metric[a][k].moments.mean, metric[b][k].moments.mean) << m.layout().options[a].metrics[k].name;
  };
  same(1, 2, model::kArmedDefence);
  same(1, 2, model::kArmedDefencePerceived);
  bool moves = false;
  for (std::size_t i = 0; i < s.credibility_months.size(); ++i) {
    const std::size_t before_or_after = s.credibility_months[i] < 25 ? 2 : 0;
    for (std::size_t k : {model::kCommonMetrics + 2 * i, model::kCommonMetrics + 2 * i + 1}) same(1, before_or_after, k);
    moves = moves || metric[0][model::kCommonMetrics + 2 * i].moments.mean !=
                         metric[2][model::kCommonMetrics + 2 * i].moments.mean;
  }
  EXPECT_TRUE(moves) << "the test must bite: membership and the assurances differ";
}

TEST(ModelTiming, OneAndTwoThreadsGiveTheSameNumbers) {
  const auto s = model::load_scenario(kExamples + "/accession.yaml");
  test::expect_same_tallies(test::run_model(s, 5, 3000, {}, 1), test::run_model(s, 5, 3000, {}, 2), s);
}

// "accession_test.yaml:<line>:<column>" of the first `marker` in the text's options.
std::string place(const std::string& text, const std::string& marker) {
  const std::size_t at = text.find(marker, text.find("\noptions:\n"));
  const std::size_t line_start = text.rfind('\n', at) + 1;
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  return kFile + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

// The error loading `options`; its message must name `marker`'s place and say `says`.
void expect_refused(const std::string& options, const std::string& marker, const std::string& says) {
  const std::string text = scenario_text(options);
  try {
    with_options(options);
    ADD_FAILURE() << "accepted: " << options;
  } catch (const sim::ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(place(text, marker)), std::string::npos) << what << "\nexpected at " << place(text, marker);
    EXPECT_NE(what.find(says), std::string::npos) << what;
  }
}

TEST(ModelTiming, BadTimingsAreRefusedWithTheirPlace) {
  expect_refused(option("x", "instrument: membership, effective_from: -3"), "-3", "an integer ≥ 1");
  expect_refused(option("x", "instrument: membership, effective_from: 2.5"), "2.5", "an integer ≥ 1");
  expect_refused(option("x", "instrument: membership, effective_from: 0"), "0}", "an integer ≥ 1");
  expect_refused(option("x", "instrument: membership, effective_from: {value: 12.5, assumption: a}"), "12.5",
                 "an integer ≥ 1");
  expect_refused(option("x", "instrument: membership, effective_from: {dist: uniform, low: 1, high: 30}"),
                 "{dist", "a constant");
  expect_refused(option("x", "instrument: membership, interim: {instrument: security_assurance}"),
                 "{instrument: security", "without 'effective_from'");
  expect_refused(option("x", timed(12, "guarantor: uk, instrument: security_assurance")), "guarantor: uk,",
                 "leave 'guarantor' out");
  expect_refused(option("x", timed(12, "instrument: security_asurance")), "security_asurance",
                 "did you mean 'security_assurance'");
  expect_refused(option("x", timed(12, "instrument: security_assurance, shar: 0.3")), "shar",
                 "did you mean 'share'");
  expect_refused(option("x", timed(12, "instrument: security_assurance, share: 1.5")), "1.5", "in [0, 1]");
  expect_refused(option("x", timed(12, "instrument: security_assurance, effective_from: 3")), "effective_from: 3",
                 "unknown key");
}

TEST(ModelTiming, ItIsAFieldLikeAnyOther) {
  const std::string path = kExamples + "/accession.yaml";
  const auto s = model::load_scenario(path);
  const std::string key = "options.accession_with_assurances.commitments[0].effective_from";
  bool recorded = false;
  for (const model::Provenance& p : s.provenance)
    recorded = recorded || (p.key_path == key && p.assumption.find("Accession takes two years") == 0);
  EXPECT_TRUE(recorded) << key << " is not in the provenance";
  EXPECT_EQ(s.base.options[1].commitments[0].effective_from, 25);
  ASSERT_NE(model::interim_of(s.base.options[1], 0), nullptr);
  EXPECT_EQ(model::interim_of(s.base.options[1], 0)->commitment.instrument, "security_assurance");
  // --set changes it, validated as in the file.
  const auto set = model::load_scenario(path, {{key, "1"}});
  EXPECT_EQ(set.base.options[1].commitments[0].effective_from, 1);
  try {
    model::load_scenario(path, {{key, "-1"}});
    ADD_FAILURE() << "--set " << key << "=-1 accepted";
  } catch (const sim::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("an integer ≥ 1"), std::string::npos) << e.what();
  }
  // An event may not move it after month 1 (the timetable is part of the
  // deal); at month 1 it is the field set in the file.
  const auto event = [&](int month) {
    return model::load_scenario_text(scenario_text(option("x", timed(25, "instrument: security_assurance"))) +
                                         "events:\n  - month: " + std::to_string(month) +
                                         "\n    set: {\"options.x.commitments[0].effective_from\": 40}\n"
                                         "    assumption: test\n",
                                     kFile, kExamples);
  };
  try {
    event(12);
    ADD_FAILURE() << "an event at month 12 moved effective_from";
  } catch (const sim::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("only at month 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(event(1).events.front().params.options[0].commitments[0].effective_from, 40);
}

}  // namespace
}  // namespace credsim
