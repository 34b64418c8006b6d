#include "models/scenario_events.hpp"

#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"

namespace credsim::model {
namespace {

// An event changes values, not the scenario's shape: the trial swaps one set of
// parameters for another mid-way and keeps its draws by position.
std::string shape_change(const Parameters& a, const Parameters& b) {
  if (a.guarantors.size() != b.guarantors.size()) return "the number of guarantors";
  if (a.options.size() != b.options.size()) return "the number of options";
  for (std::size_t o = 0; o < a.options.size(); ++o) {
    if (a.options[o].commitments.size() != b.options[o].commitments.size())
      return "the commitments of option '" + a.options[o].name + "'";
  }
  return "";
}

}  // namespace

void resolve_events(Scenario& s, sim::io::ScenarioDocument doc, const std::string& file_name,
                    const std::string& base_dir) {
  if (s.events.empty()) return;
  // The scenario without its events; the events' settings then accumulate in month order.
  for (std::size_t i = doc.list_size("events"); i-- > 0;) doc.erase_item("events", i);
  for (std::size_t k = 0; k < s.events.size(); ++k) {
    ScheduledEvent& ev = s.events[k];
    for (const EventSetting& set : ev.set) doc.set_scalar(set.key_path, set.value, set.quoted, set.where);
    const std::string text_name = file_name + " (after the event at month " + std::to_string(ev.month) + ")";
    Scenario after;
    try {
      after = load_scenario_text(doc.to_yaml(), text_name, base_dir);
    } catch (const sim::ScenarioError& e) {
      // Reported at the event's setting that led to it (the generated text's
      // lines are nobody's): the one whose path the error is about, else the first.
      const EventSetting* at = &ev.set.front();
      for (const EventSetting& set : ev.set) {
        if (!e.key_path().empty() && set.key_path.rfind(e.key_path(), 0) == 0) at = &set;
      }
      throw sim::ScenarioError(at->where, ev.provenance.key_path + ".set." + at->key_path,
                               "is '" + at->value + "', but from month " + std::to_string(ev.month) + " on " +
                                   (e.key_path().empty() ? "" : e.key_path() + ": ") + e.message());
    }
    if (const std::string what = shape_change(s.base, after.base); !what.empty()) {
      throw sim::ScenarioError(ev.set.front().where, ev.provenance.key_path,
                               "changes " + what + ", but an event may change values only");
    }
    ev.params = std::move(after.base);
    ev.draws.clear();
    for (std::size_t i = 0; i < s.uncertain.size(); ++i) {
      for (UncertainParameter& u : after.uncertain) {
        if (u.key_path == s.uncertain[i].key_path) ev.draws.emplace_back(i, std::move(u.targets));
      }
    }
  }
}

}  // namespace credsim::model
