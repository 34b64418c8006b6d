#include "sim/rng.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <cmath>

namespace credsim::sim {

double RngStream::normal() {
  // Phi^{-1}(u) = -sqrt(2) * erfc^{-1}(2u)
  return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * uniform());
}

}  // namespace credsim::sim
