/*===- internal.h - what the runtime's files share ------------------------===*
 *
 * The state of a running executable (the model's argument buffers, the
 * gradients and the optimizer's state) and the runtime's pieces: data
 * sets, optimizer steps, checkpoints, training loops.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TCNN_RUNTIME_INTERNAL_H
#define TCNN_RUNTIME_INTERNAL_H

#include "tcnn_runtime.h"

#include <stdint.h>

typedef struct {
  const tcnn_model *m;
  void **args;        /* one buffer per argument (owned) */
  float **grads;      /* one buffer per parameter (owned) */
  int *param_index;   /* argument index of the k-th parameter */
  int num_params;
  float loss;
  float *output;
  tcnn_optimizer_config opt;
  /* The optimizer's state per parameter: SGD's momentum buffer in [0];
   * Adam's exp_avg and exp_avg_sq in [0] and [1]. */
  float **opt_state[2];
  /* Where the compiled step writes the new parameters ([0]) and state
   * ([1], [2]); swapped with the current buffers after each step. */
  float **spare[3];
  float **params;     /* scratch: the current parameter buffers */
  int64_t steps;      /* optimizer steps taken (Adam's bias correction) */
  int *buffer_index;  /* argument index of the k-th buffer */
  int num_buffers;
  void **next_buffers; /* where `grad` writes the buffers' next values */
} tcnn_state;

/* Allocates the state, with every argument holding its embedded values. */
int tcnn_state_init(tcnn_state *s, const tcnn_model *m);
void tcnn_state_release(tcnn_state *s);
/* Puts the embedded values of every input and target back. */
void tcnn_state_restore_data(tcnn_state *s);
/* Index of the argument called `name`, or -1. */
int tcnn_find_arg(const tcnn_model *m, const char *name);

/* One step of the chosen optimizer from the gradients in s->grads. */
/* m->grad on the current arguments (training mode). With `keep`, the
 * buffers' next values replace the current ones, as a training step does. */
void tcnn_grad(tcnn_state *s, int64_t valid, int keep);
/* m->forward on the current arguments (inference mode): s->output. */
void tcnn_forward(tcnn_state *s, int64_t valid);
void tcnn_optimizer_step(tcnn_state *s);
/* "SGD" or "Adam". */
const char *tcnn_optimizer_name(const tcnn_state *s);

/* Creates `dir` and its parents; *created says whether `dir` is new. */
int tcnn_make_dir(const char *dir, int *created);
/* --dump (everything) or, with params_only, the parameters. */
int tcnn_dump(const tcnn_state *s, const char *dir, int params_only);
/* --save: parameters and optimizer state; --load reads them back. */
int tcnn_save_checkpoint(const tcnn_state *s, const char *dir);
int tcnn_load_checkpoint(tcnn_state *s, const char *dir);

/* A data set: for each model argument, `count` samples or NULL. */
typedef struct {
  const char *option;  /* "--data", "--eval NAME", "--predict" */
  int64_t count;       /* samples; -1 before the first file */
  void **data;         /* per argument: count samples (owned), or NULL */
  const char *first;   /* the argument that set `count` */
} tcnn_dataset;

void tcnn_dataset_init(tcnn_dataset *d, const tcnn_model *m,
                       const char *option);
void tcnn_dataset_release(tcnn_dataset *d, const tcnn_model *m);
/* Loads NAME=FILE.npy of `spec` into `d`; 0, or -1 with a message. */
int tcnn_dataset_add(tcnn_dataset *d, const tcnn_model *m, const char *spec);
/* Every input, and with `targets` every target, has a file. */
int tcnn_dataset_complete(const tcnn_dataset *d, const tcnn_model *m,
                          int targets);
/* Copies samples order[first .. first+n) into the argument buffers,
 * zeros in the rows from n on. */
void tcnn_dataset_gather(const tcnn_dataset *d, tcnn_state *s,
                         const int64_t *order, int64_t first, int64_t n);

typedef struct {
  long epochs;
  uint64_t seed;
  int shuffle;
  int num_evals;
  tcnn_dataset *evals;
  const char **eval_names;
} tcnn_train_options;

/* Trains `epochs` epochs on `data`, evaluating on every eval set after
 * each; prints progress and a summary line per epoch. */
int tcnn_train(tcnn_state *s, const tcnn_dataset *data,
               const tcnn_train_options *o);
/* The forward pass on every sample of `data`, written to `path`. */
int tcnn_predict(tcnn_state *s, const tcnn_dataset *data, const char *path);

#endif /* TCNN_RUNTIME_INTERNAL_H */
