/*===- dataset.c - samples from .npy files, cut into batches --------------===*
 *
 * A data set holds, for each input and target of the model, one .npy file
 * with any number of samples along its first axis; each sample has the
 * shape of the model's argument without its batch dimension. Batches are
 * gathered in a given order, and the last, partial batch is padded with
 * zeros (the compiled code's `valid` count makes the padding count for
 * nothing).
 *
 *===----------------------------------------------------------------------===*/

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tcnn_dataset_init(tcnn_dataset *d, const tcnn_model *m,
                       const char *option) {
  d->option = option;
  d->count = -1;
  d->first = NULL;
  d->data = calloc((size_t)m->num_args + 1, sizeof(void *));
}

void tcnn_dataset_release(tcnn_dataset *d, const tcnn_model *m) {
  for (int i = 0; d->data && i < m->num_args; ++i)
    free(d->data[i]);
  free(d->data);
  d->data = NULL;
}

int tcnn_dataset_add(tcnn_dataset *d, const tcnn_model *m, const char *spec) {
  if (!d->data) {
    fprintf(stderr, "error: out of memory for %s\n", d->option);
    return -1;
  }
  const char *eq = strchr(spec, '=');
  if (!eq || eq == spec || !eq[1]) {
    fprintf(stderr, "error: %s expects NAME=FILE.npy, got '%s'\n", d->option,
            spec);
    return -1;
  }
  char name[256];
  snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
  int i = tcnn_find_arg(m, name);
  if (i < 0 || m->args[i].role > TCNN_TARGET) {
    fprintf(stderr, "error: %s: the model has no input or target named '%s'\n",
            d->option, name);
    return -1;
  }
  if (d->data[i]) {
    fprintf(stderr, "error: %s: '%s' is given twice\n", d->option, name);
    return -1;
  }
  const tcnn_tensor_info *t = &m->args[i];
  char error[1024];
  tcnn_npy_info info;
  void *data = tcnn_npy_load(eq + 1, t->is_int64, &info, error, sizeof error);
  if (!data) {
    fprintf(stderr, "error: %s %s: %s\n", d->option, name, error);
    return -1;
  }
  /* [samples, per-sample shape...]: the argument's shape but for dim 0. */
  int same = info.rank == t->rank && info.rank >= 1;
  for (int k = 1; same && k < t->rank; ++k)
    same = info.shape[k] == t->shape[k];
  if (!same || info.shape[0] < 1) {
    char got[256], want[256];
    tcnn_shape_text(got, sizeof got, info.rank, info.shape);
    size_t n = (size_t)snprintf(want, sizeof want, "[samples");
    for (int k = 1; k < t->rank && n < sizeof want; ++k)
      n += (size_t)snprintf(want + n, sizeof want - n, ", %lld",
                            (long long)t->shape[k]);
    if (n < sizeof want)
      snprintf(want + n, sizeof want - n, "]");
    fprintf(stderr, "error: %s %s: '%s': has shape %s but %s is expected\n",
            d->option, name, eq + 1, got, want);
    free(data);
    return -1;
  }
  if (t->is_int64) {
    int64_t classes = m->output_rank >= 2 ? m->output_shape[1] : 0;
    for (int64_t k = 0; k < info.count; ++k) {
      int64_t c = ((int64_t *)data)[k];
      if (c < 0 || c >= classes) {
        fprintf(stderr,
                "error: %s %s: '%s': sample %lld has class index %lld, "
                "outside [0, %lld)\n",
                d->option, name, eq + 1,
                (long long)(k / (info.count / info.shape[0])), (long long)c,
                (long long)classes);
        free(data);
        return -1;
      }
    }
  }
  if (d->count >= 0 && info.shape[0] != d->count) {
    fprintf(stderr,
            "error: %s %s: '%s' holds %lld samples but %s holds %lld\n",
            d->option, name, eq + 1, (long long)info.shape[0], d->first,
            (long long)d->count);
    free(data);
    return -1;
  }
  d->count = info.shape[0];
  d->first = t->name;
  d->data[i] = data;
  return 0;
}

int tcnn_dataset_complete(const tcnn_dataset *d, const tcnn_model *m,
                          int targets) {
  if (m->batch <= 0) {
    fprintf(stderr,
            "error: %s: model '%s' mixes the samples of a batch (a reshape "
            "changes its first dimension), so it cannot run on data sets\n",
            d->option, m->name);
    return -1;
  }
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    if (t->role > TCNN_TARGET || (t->role == TCNN_TARGET && !targets))
      continue;
    if (!d->data || !d->data[i]) {
      fprintf(stderr, "error: %s: no file for %s '%s' (give %s %s=FILE.npy)\n",
              d->option, t->role == TCNN_INPUT ? "input" : "target", t->name,
              d->option, t->name);
      return -1;
    }
  }
  return 0;
}

void tcnn_dataset_gather(const tcnn_dataset *d, tcnn_state *s,
                         const int64_t *order, int64_t first, int64_t n) {
  const tcnn_model *m = s->m;
  for (int i = 0; i < m->num_args; ++i) {
    if (!d->data[i])
      continue;
    const tcnn_tensor_info *t = &m->args[i];
    size_t sample = (size_t)(t->count / t->shape[0]) * (t->is_int64 ? 8 : 4);
    char *dst = s->args[i];
    const char *src = d->data[i];
    for (int64_t k = 0; k < n; ++k)
      memcpy(dst + (size_t)k * sample,
             src + (size_t)order[first + k] * sample, sample);
    memset(dst + (size_t)n * sample, 0, (size_t)(t->shape[0] - n) * sample);
  }
}
