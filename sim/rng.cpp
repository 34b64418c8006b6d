#include "sim/rng.hpp"

#include "sim/math_policy.hpp"

namespace credsim::sim {

double RngStream::normal() {
  return standard_normal_quantile(uniform());
}

}  // namespace credsim::sim
