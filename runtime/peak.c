/*===- peak.c - this core's fp32 peak, for --profile's "% of peak" ---------===*
 *
 * Machines differ (a Zen 4 core does 32 FLOP/cycle, a Sapphire Rapids or
 * Zen 5 core 64), so the executable measures its own: independent vector
 * accumulators, each doing acc = acc * a + b, on the widest vectors the CPU
 * reports, chosen at run time so the runtime itself is built for any x86-64.
 * A measuring loop only; no model computation runs here.
 *
 *===----------------------------------------------------------------------===*/

#include "tcnn_runtime.h"
#include "clock.h"


#define ACCS 16
#define ITERS 20000000L

/* One FMA loop over vectors of LANES floats; returns GFLOP/s. The sum of
 * the accumulators goes to a volatile so the loop is kept. */
#define FMA_LOOP(NAME, LANES, TARGET)                                          \
  __attribute__((target(TARGET))) static double NAME(void) {                  \
    typedef float vec __attribute__((vector_size(4 * LANES)));                 \
    vec acc[ACCS], a, b;                                                       \
    for (int l = 0; l < LANES; ++l) {                                          \
      a[l] = 0.999999f;                                                        \
      b[l] = 1e-7f;                                                            \
    }                                                                          \
    for (int i = 0; i < ACCS; ++i)                                             \
      acc[i] = a + (float)i * 1e-3f;                                           \
    double t0 = tcnn_seconds();                                                \
    for (long n = 0; n < ITERS; ++n)                                           \
      _Pragma("GCC unroll 16") for (int i = 0; i < ACCS; ++i)                  \
        acc[i] = acc[i] * a + b; /* contracted to one FMA */                   \
    double t1 = tcnn_seconds();                                                \
    vec sum = acc[0];                                                          \
    for (int i = 1; i < ACCS; ++i)                                             \
      sum += acc[i];                                                           \
    volatile float keep = sum[0];                                              \
    (void)keep;                                                                \
    return 2.0 * LANES * ACCS * (double)ITERS / (t1 - t0) / 1e9;               \
  }

FMA_LOOP(peak512, 16, "avx512f")
FMA_LOOP(peak256, 8, "avx2,fma")
FMA_LOOP(peak128, 4, "sse2")

double tcnn_measure_peak(void) {
  __builtin_cpu_init();
  double (*loop)(void) = __builtin_cpu_supports("avx512f") ? peak512
                         : __builtin_cpu_supports("fma")   ? peak256
                                                           : peak128;
  double best = 0;
  for (int r = 0; r < 3; ++r) {
    double g = loop();
    if (g > best)
      best = g;
  }
  return best;
}
