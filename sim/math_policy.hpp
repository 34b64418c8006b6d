#pragma once
// The Boost.Math policy of every special function the engine evaluates, and
// the standard normal quantile built on it.
//
// promote_double<false>: Boost would otherwise evaluate double functions in
// x87 long double, which made the parameter draw two thirds of a trial's
// cost; in double it is ~3.6x faster and still accurate to a few ulp
// (models/PERFORMANCE.md). Overflow returns +-inf instead of throwing: callers
// clamp into the support, and a heavy lognormal's mean may honestly be inf.
#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/erf.hpp>

#include <numbers>

namespace credsim::sim {

using MathPolicy = boost::math::policies::policy<
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;

// Phi^{-1}(u) = -sqrt(2) erfc^{-1}(2u), for u in (0, 1).
inline double standard_normal_quantile(double u) {
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * u, MathPolicy());
}

}  // namespace credsim::sim
