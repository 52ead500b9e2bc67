/*===- fma_peak.c - this core's fp32 FMA peak, measured --------------------===*
 *
 * bench/run.py compiles this with -O2 -march=native and runs it on one core:
 * 16 independent vector accumulators (more than enough to cover the FMA
 * latency of every x86 core tcnn runs on) of the widest vectors the CPU has,
 * each doing acc = acc * a + b. Prints "GFLOP/s <number>": 2 FLOP per lane
 * per FMA. A measuring tool only: nothing of it goes into executables.
 *
 *===----------------------------------------------------------------------===*/

#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#endif

#define ACCS 16

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(void) {
  vec acc[ACCS];
  for (int i = 0; i < ACCS; ++i)
    acc[i] = SET1(1.0f + i * 1e-3f);
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  long iters = 100000000;
  double t0 = now();
  for (long n = 0; n < iters; ++n)
    for (int i = 0; i < ACCS; ++i)
      acc[i] = FMA(acc[i], a, b);
  double t1 = now();
  vec sum = acc[0];
  for (int i = 1; i < ACCS; ++i)
    sum = ADD(sum, acc[i]);
  float out[LANES];
  STORE(out, sum);
  double flops = 2.0 * LANES * ACCS * (double)iters;
  /* The sum keeps the loop alive. */
  printf("GFLOP/s %.1f (%d-wide, check %g)\n", flops / (t1 - t0) / 1e9, LANES,
         out[0]);
  return 0;
}
