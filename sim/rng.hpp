#pragma once
// Random streams keyed by (seed, trial, purpose, sub-stream).
//
// A trial's draws never depend on which thread or process runs it: every
// stream is a pure function of its key. The generator is Philox4x32-10
// (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), a
// counter-based engine: a stream costs nothing to create, and distinct keys give
// independent sequences by construction. It models Boost.Random's engine
// concept, so Boost.Random's distributions run on it unchanged. (Boost 1.74, the
// Debian version, has no engine that is both cheap to seed and of high
// statistical quality; see docs/engine.md.)
#include <array>
#include <cstdint>
#include <limits>

namespace credsim::sim {

// Named purposes keep each sampling site on its own stream, so adding a draw
// in one place never shifts another, and options in one trial share every draw
// that means the same thing (common random numbers).
enum class Purpose : std::uint32_t {
  parameters = 1,   // the trial's uncertain parameters (copula normals)
  politics = 2,     // government turnover, per guarantor
  successor = 3,    // successor governments' resolve, per guarantor
  perception = 4,   // the challenger's perception errors, per guarantor
  settlement = 5,   // acceptance of the ceasefire deal
  decision = 6,     // the challenger's per-period attack decision
  war = 7,          // readings, engagement, honour and outcome once attacked
  world = 8,        // a plausible world's epistemic fields (keyed by world, not trial)
  test = 99,        // reserved for tests
};

namespace detail {
inline constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
inline constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;
inline constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;

inline void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}
}  // namespace detail

// Philox4x32 with 10 rounds: maps (counter, key) to 128 random bits.
inline std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> ctr,
                                                   std::array<std::uint32_t, 2> key) {
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    detail::mulhilo(detail::kPhiloxM0, ctr[0], hi0, lo0);
    detail::mulhilo(detail::kPhiloxM1, ctr[2], hi1, lo1);
    ctr = {hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0};
    key[0] += detail::kPhiloxW0;
    key[1] += detail::kPhiloxW1;
  }
  return ctr;
}

// One stream: counter = (block index, sub-stream << 8 | purpose, trial lo, trial hi),
// key = the master seed. 2^32 blocks of 128 bits per stream; sub < 2^24.
class RngStream {
 public:
  using result_type = std::uint64_t;

  RngStream(std::uint64_t seed, std::uint64_t trial, Purpose purpose, std::uint32_t sub = 0)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        ctr_{0u, (sub << 8) | static_cast<std::uint32_t>(purpose),
             static_cast<std::uint32_t>(trial), static_cast<std::uint32_t>(trial >> 32)} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (next_ == 2) refill();
    const result_type r = (static_cast<result_type>(buf_[2 * next_]) << 32) | buf_[2 * next_ + 1];
    ++next_;
    return r;
  }

  // Uniform in the open interval (0, 1): (k + 1/2) 2^-52 for a random 52-bit k,
  // computed exactly (with 53 bits, k + 1/2 would round up to 2^53, i.e. u = 1),
  // so u lies in [2^-53, 1 - 2^-53] and log(u), quantile(u) stay finite.
  double uniform() { return to_unit_interval((*this)()); }
  static constexpr double to_unit_interval(result_type bits) {
    return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
  }

  // Standard normal by inversion (keeps one uniform per normal, so streams stay aligned).
  double normal();

  // Skips n outputs in O(1): output i of a stream is word pair i % 2 of block
  // i / 2, so only the block counter moves (no generator call).
  void discard(std::uint64_t n) {
    const std::uint64_t position = 2 * static_cast<std::uint64_t>(ctr_[0]) - static_cast<std::uint64_t>(2 - next_) + n;
    ctr_[0] = static_cast<std::uint32_t>(position / 2);
    next_ = 2;  // refill at the next call
    if (position % 2 != 0) {
      refill();
      next_ = 1;
    }
  }

 private:
  void refill() {
    buf_ = philox4x32_10(ctr_, key_);
    ++ctr_[0];
    next_ = 0;
  }

  std::array<std::uint32_t, 2> key_;
  std::array<std::uint32_t, 4> ctr_;
  std::array<std::uint32_t, 4> buf_{};
  int next_ = 2;
};

}  // namespace credsim::sim
