/*===- profile.c - time per op of a training step (--profile) --------------===*
 *
 * The generated gradient function calls tcnn_profile_begin(id) and
 * tcnn_profile_end(id) around the code of each tcnn op (-tcnn-profile).
 * When profiling is off they return at once; when on, each op's time
 * accumulates over the profiled steps.
 *
 *===----------------------------------------------------------------------===*/

#include "tcnn_runtime.h"
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>

static double *op_seconds; /* per op, summed over the steps */
static double *op_started;
static int op_count;

void tcnn_profile_begin(int32_t id) {
  if (op_seconds && id >= 0 && id < op_count)
    op_started[id] = tcnn_seconds();
}

void tcnn_profile_end(int32_t id) {
  if (op_seconds && id >= 0 && id < op_count)
    op_seconds[id] += tcnn_seconds() - op_started[id];
}

int tcnn_profile_start(int num_ops) {
  free(op_seconds);
  free(op_started);
  op_seconds = op_started = NULL;
  op_count = 0;
  if (num_ops <= 0)
    return 0;
  op_seconds = calloc((size_t)num_ops, sizeof(double));
  op_started = calloc((size_t)num_ops, sizeof(double));
  if (!op_seconds || !op_started) {
    free(op_seconds);
    free(op_started);
    op_seconds = op_started = NULL;
    return -1;
  }
  op_count = num_ops;
  return 0;
}

void tcnn_profile_report(const tcnn_model *m, long steps, double peak) {
  if (!op_seconds || steps <= 0)
    return;
  double total = 0;
  int fused = 0;
  for (int i = 0; i < op_count; ++i)
    total += op_seconds[i];
  printf("profile: %ld steps, fp32 peak %.1f GFLOP/s\n", steps, peak);
  printf("%-4s %-12s %-24s %-8s %10s %10s %6s %10s %7s\n", "id", "layer",
         "op", "pass", "MFLOP", "ms/step", "time", "GFLOP/s", "%peak");
  for (int i = 0; i < op_count; ++i) {
    const tcnn_profile_op *op = &m->profile_ops[i];
    double ms = 1e3 * op_seconds[i] / steps;
    double gflops = op_seconds[i] > 0
                        ? (double)op->flops * steps / op_seconds[i] / 1e9
                        : 0;
    printf("%-4d %-12s %-24s %-8s %10.4f %10.4f %5.1f%%", i, op->layer, op->op,
           op->backward ? "backward" : "forward", op->flops / 1e6, ms,
           total > 0 ? 100 * op_seconds[i] / total : 0);
    /* Reshapes compute nothing: no rate to show. An op faster than the
       peak allows did not run on its own: the compiler fused it into the
       loops of the op that reads it, where its time is counted. */
    if (op->flops > 0 && peak > 0 && gflops > peak) {
      printf(" %10s %7s\n", "fused", "-");
      ++fused;
    } else if (op->flops > 0) {
      printf(" %10.2f %6.1f%%\n", gflops, peak > 0 ? 100 * gflops / peak : 0);
    } else {
      printf(" %10s %7s\n", "-", "-");
    }
  }
  printf("sum of the ops: %.4f ms/step\n", 1e3 * total / steps);
  if (fused)
    printf("fused: computed inside the loops of the op that reads its "
           "result (ReLU into pooling, say); its time counts there\n");
  tcnn_profile_start(0);
}
