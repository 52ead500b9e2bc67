/*===- clock.h - the runtime's one wall clock -------------------------------===*
 *
 * Monotonic seconds, for --repeat, --profile and the peak measurement.
 * Internal to runtime/: not part of the executables' interface.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TCNN_RUNTIME_CLOCK_H
#define TCNN_RUNTIME_CLOCK_H

#include <time.h>

static inline double tcnn_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif /* TCNN_RUNTIME_CLOCK_H */
