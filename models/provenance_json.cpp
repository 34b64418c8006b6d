#include "models/provenance_json.hpp"

namespace credsim::model {

nlohmann::ordered_json provenance_json(const Scenario& scenario) {
  auto records = nlohmann::ordered_json::array();
  for (const Provenance& p : scenario.provenance) {
    nlohmann::ordered_json r;
    r["key_path"] = p.key_path;
    if (!p.seed.empty()) r["seed"] = p.seed;
    if (!p.quote.empty()) r["quote"] = p.quote;
    if (!p.assumption.empty()) r["assumption"] = p.assumption;
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace credsim::model
