#pragma once
// Result files of a plausible-worlds run (credsim run --worlds M), beside the
// usual summary files of all M x N trials pooled:
//   worlds.csv          one row per world, option and metric: the world's
//                       epistemic values, its estimate and Monte Carlo SE
//   across_worlds.csv   per option and metric: mean over worlds, the 5-95%
//                       spread across worlds, the Monte Carlo error of the mean
//   ranks.csv           per ranked metric and option: P(ranks first), mean rank
//   decisive_fields.csv per ranked metric and epistemic field: |Spearman rho|
//                       between the field and the leader's lead over the runner-up
#include <string>

#include "sim/io/output_files.hpp"
#include "sim/worlds.hpp"

namespace credsim::sim::io {

std::string worlds_csv(const WorldsResult& result, const RunInfo& info);
std::string across_worlds_csv(const WorldsResult& result, const RunInfo& info);
std::string ranks_csv(const WorldsResult& result, const std::vector<Ranking>& rankings, const RunInfo& info);
std::string decisive_fields_csv(const WorldsResult& result, const std::vector<Ranking>& rankings,
                                const RunInfo& info);
void add_worlds_files(ResultSet& set, const WorldsResult& result, const RunInfo& info);

// The console's worlds table: for each ranked metric, each option's mean, its
// spread across worlds and its Monte Carlo error (each kind named), its
// probability of ranking first, and the fields that decide the ranking.
std::string format_worlds_report(const WorldsResult& result, const RunInfo& info);

}  // namespace credsim::sim::io
