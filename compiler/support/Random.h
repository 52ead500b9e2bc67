//===- Random.h - tcnn's documented, seeded generator -----------*- C++ -*-===//
//
// Every random tensor of a model comes from its own stream, derived from
// the model seed and the tensor's name, so adding a layer never changes
// the values of the others. The algorithm is specified in
// docs/language.md ("Random initialization") so other tools can reproduce
// it bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_SUPPORT_RANDOM_H
#define TCNN_SUPPORT_RANDOM_H

#include <cstdint>
#include <string>

namespace tcnnc {

/// SplitMix64 (Steele, Lea, Flood 2014).
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next();
  /// Uniform float in [lo, hi): lo + (hi - lo) * (next() >> 40) / 2^24.
  float uniform(float lo, float hi);
  /// Uniform integer in [lo, hi): lo + next() % (hi - lo).
  int64_t randint(int64_t lo, int64_t hi);

private:
  uint64_t state;
};

/// The stream seed of tensor `name`: seed * 0x9E3779B97F4A7C15 XOR the
/// FNV-1a 64-bit hash of the name.
uint64_t streamSeed(uint64_t seed, const std::string &name);

} // namespace tcnnc

#endif // TCNN_SUPPORT_RANDOM_H
