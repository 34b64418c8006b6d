#include "sim/tally_codec.hpp"

#include <nlohmann/json.hpp>

namespace credsim::sim {
namespace {

nlohmann::json moments(const Moments& m) { return {m.n, m.mean, m.m2}; }
Moments moments(const nlohmann::json& j) {
  Moments m;
  m.n = j.at(0).get<std::uint64_t>();
  m.mean = j.at(1).get<double>();
  m.m2 = j.at(2).get<double>();
  return m;
}

nlohmann::json weighted(const WeightedMean& w) { return {w.n, w.weight, w.weight_sq, w.mean, w.lin, w.sq}; }
WeightedMean weighted(const nlohmann::json& j) {
  WeightedMean w;
  w.n = j.at(0).get<std::uint64_t>();
  w.weight = j.at(1).get<double>();
  w.weight_sq = j.at(2).get<double>();
  w.mean = j.at(3).get<double>();
  w.lin = j.at(4).get<double>();
  w.sq = j.at(5).get<double>();
  return w;
}

}  // namespace

std::string encode_tally(const Tally& t) {
  nlohmann::json j;
  j["trials"] = t.trials;
  auto metric = nlohmann::json::array();
  for (const auto& option : t.metric) {
    auto o = nlohmann::json::array();
    for (const auto& m : option) o.push_back({m.proportion.n, m.proportion.k, moments(m.moments), weighted(m.weighted)});
    metric.push_back(std::move(o));
  }
  j["metric"] = std::move(metric);
  auto survival = nlohmann::json::array();
  for (const auto& option : t.survival) {
    auto o = nlohmann::json::array();
    for (const auto& s : option) o.push_back({s.at_risk, s.events});
    survival.push_back(std::move(o));
  }
  j["survival"] = std::move(survival);
  auto paired = nlohmann::json::array();
  for (const auto& option : t.paired) {
    auto o = nlohmann::json::array();
    for (const auto& m : option) o.push_back(moments(m));
    paired.push_back(std::move(o));
  }
  j["paired"] = std::move(paired);
  return j.dump();
}

Tally decode_tally(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  Tally t;
  t.trials = j.at("trials").get<std::uint64_t>();
  for (const auto& option : j.at("metric")) {
    std::vector<MetricTally> o;
    for (const auto& m : option) {
      MetricTally mt;
      mt.proportion.n = m.at(0).get<std::uint64_t>();
      mt.proportion.k = m.at(1).get<std::uint64_t>();
      mt.moments = moments(m.at(2));
      mt.weighted = weighted(m.at(3));
      o.push_back(mt);
    }
    t.metric.push_back(std::move(o));
  }
  for (const auto& option : j.at("survival")) {
    std::vector<Survival> o;
    for (const auto& s : option) {
      Survival sv;
      sv.at_risk = s.at(0).get<std::uint64_t>();
      sv.events = s.at(1).get<std::vector<std::uint64_t>>();
      o.push_back(std::move(sv));
    }
    t.survival.push_back(std::move(o));
  }
  for (const auto& option : j.at("paired")) {
    std::vector<Moments> o;
    for (const auto& m : option) o.push_back(moments(m));
    t.paired.push_back(std::move(o));
  }
  return t;
}

}  // namespace credsim::sim
