/*===- tcnn_runtime.h - the runtime of tcnn executables -------------------===*
 *
 * A compiled model is a set of functions taking bare float pointers (the
 * tensors in row-major order) plus a table describing them. tcnnc writes
 * that table and a main() calling tcnn_main(); this runtime does the rest:
 * command-line options, .npy input/output, training, timing.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TCNN_RUNTIME_H
#define TCNN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TCNN_BUFFER: model state that is not trained by gradients (BatchNorm's
 * running statistics, Dropout's generator, int64): `grad` writes its next
 * value, which the runtime keeps after each training step. */
enum tcnn_role {
  TCNN_INPUT = 0,
  TCNN_TARGET = 1,
  TCNN_PARAM = 2,
  TCNN_BUFFER = 3
};

#define TCNN_MAX_RANK 8

/** One argument of the compiled functions. */
typedef struct {
  const char *name;           /* "x", "conv1.weight" */
  int role;                   /* enum tcnn_role */
  int is_int64;               /* class indices of CrossEntropyLoss */
  int rank;
  int64_t shape[TCNN_MAX_RANK];
  int64_t count;              /* number of elements */
  const void *data;           /* the values embedded in the model */
} tcnn_tensor_info;

/** One op of the gradient function, timed under --profile. */
typedef struct {
  const char *layer;          /* "conv1" */
  const char *op;             /* "conv2d_weight_grad" */
  int backward;               /* 0 forward pass, 1 backward pass */
  int64_t flops;              /* of the op's definition, per step */
} tcnn_profile_op;

/** Optimizer settings, torch.optim's names; the model file's `optimizer`
 * statement gives the defaults, the command line overrides them. */
typedef struct {
  int adam;                   /* 0 SGD, 1 Adam */
  double lr, momentum, weight_decay;
  int nesterov;
  double beta1, beta2, eps;
} tcnn_optimizer_config;

/** A compiled model: its arguments and its entry points. Every entry point
 * takes `valid`, the number of real samples in the batch (the rest is
 * padding that counts for nothing); it is the full batch but for the
 * last, partial batch of a data set. */
typedef struct {
  const char *name;
  const char *loss_name;      /* "loss"; NULL when the model has none */
  const char *output_name;    /* "logits" */
  int output_rank;
  int64_t output_shape[TCNN_MAX_RANK];
  int64_t output_count;
  int num_args;
  const tcnn_tensor_info *args; /* in call order; params last */
  /* samples per step; 0 when the model mixes the samples of a batch, so
   * that it cannot take partial batches (and so no data sets) */
  int64_t batch;
  /* 1 when the loss sums over the samples (reduction "sum"): a data set's
   * loss per sample is then the sum of the batch losses over the sample
   * count, not the batches' mean weighted by their sizes */
  int loss_is_sum;
  /* loss and output of the forward pass in inference mode (evaluation,
   * prediction: running statistics, no dropout) */
  void (*forward)(void **args, int64_t valid, float *loss, float *output);
  /* forward and backward in training mode: new_buffers[k] receives the
   * next value of the k-th buffer, grads[k] dL/d(k-th param). It, sgd and
   * adam are NULL for a model without a loss, which only predicts (its
   * forward leaves `loss` alone). */
  void (*grad)(void **args, int64_t valid, float *loss, float *output,
               void **new_buffers, float **grads);
  /* one SGD step of every parameter: new_params and new_buffers receive
   * the results (they must not alias the inputs) */
  void (*sgd)(float **params, float **grads, float **buffers, float lr,
              float momentum, float weight_decay, int32_t nesterov,
              float **new_params, float **new_buffers);
  /* one Adam step; `step` counts from 1 */
  void (*adam)(float **params, float **grads, float **exp_avg,
               float **exp_avg_sq, float lr, float beta1, float beta2,
               float eps, float weight_decay, int64_t step,
               float **new_params, float **new_exp_avg,
               float **new_exp_avg_sq);
  tcnn_optimizer_config optimizer;
  int num_profile_ops;
  const tcnn_profile_op *profile_ops; /* grad calls tcnn_profile_begin/end */
} tcnn_model;

/** Called by the generated code around op `id` (an index into
 * profile_ops); they do nothing unless profiling is on. */
void tcnn_profile_begin(int32_t id);
void tcnn_profile_end(int32_t id);

/** Starts accumulating the time of each of `num_ops` ops (0 stops). */
int tcnn_profile_start(int num_ops);
/** Prints the table of the ops' times over `steps` steps against `peak`
 * GFLOP/s, and stops profiling. */
void tcnn_profile_report(const tcnn_model *model, long steps, double peak);
/** This core's fp32 peak in GFLOP/s: an FMA loop on the widest vectors the
 * CPU has. */
double tcnn_measure_peak(void);

/** The main() of a tcnn executable; returns the process exit code. */
int tcnn_main(const tcnn_model *model, int argc, char **argv);

/** What a .npy header says: dtype ("<f4", "<i4", "<i8"), shape, count. */
typedef struct {
  char dtype[8];
  int rank;
  int64_t shape[TCNN_MAX_RANK];
  int64_t count;
} tcnn_npy_info;

/** Reads a .npy file under the rules of docs/npy.md: a regular file, C
 * order, at most 8 dimensions, exactly the bytes its header promises;
 * float32 ("<f4") with finite values, or, when `want_int64`, class indices
 * stored as int64 or int32 (returned widened to int64). Returns a malloc'd
 * buffer of info->count elements, or NULL with a message naming the file
 * in `error`. */
void *tcnn_npy_load(const char *path, int want_int64, tcnn_npy_info *info,
                    char *error, size_t error_size);

/** `shape` as text, "[2, 3]", truncated to `size` bytes; the form every
 * shape in the runtime's messages takes. */
void tcnn_shape_text(char *buf, size_t size, int rank, const int64_t *shape);

/** tcnn_npy_load, and the shape must be exactly `shape`. */
void *tcnn_npy_read(const char *path, int rank, const int64_t *shape,
                    int want_int64, char *error, size_t error_size);

/** Writes float32 values, or int64 ones when `is_int64`, of `shape` as a
 * .npy file (through a temporary file, so a failed write leaves nothing
 * behind). Returns 0, or -1 with a message and the OS reason in `error`. */
int tcnn_npy_write(const char *path, int rank, const int64_t *shape,
                   const void *data, int is_int64, char *error,
                   size_t error_size);

#ifdef __cplusplus
}
#endif

#endif /* TCNN_RUNTIME_H */
