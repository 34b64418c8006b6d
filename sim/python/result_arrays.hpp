#pragma once
// A run's tables as columns of numpy arrays (and lists of str), so pandas
// builds its DataFrames without parsing CSV text. The columns and their
// order are those of summary.csv, paired.csv and survival.csv; an absent
// value is NaN where the file has an empty cell.
#include <pybind11/pybind11.h>

#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::python {

pybind11::dict summary_columns(const sim::OutcomeLayout& layout, const sim::Tally& tally);
pybind11::dict paired_columns(const sim::OutcomeLayout& layout, const sim::Tally& tally);
pybind11::dict survival_columns(const sim::OutcomeLayout& layout, const sim::Tally& tally);

}  // namespace credsim::python
