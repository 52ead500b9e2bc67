/*===- checkpoint.c - tensors to and from .npy directories ----------------===*
 *
 * --dump writes everything of one step, --save the parameters, the
 * buffers (running statistics) and the optimizer's state under PyTorch's
 * names (conv1.weight.npy,
 * conv1.weight.momentum_buffer.npy, conv1.weight.exp_avg.npy, ...);
 * --load reads them back. A failed write removes what it had written.
 *
 *===----------------------------------------------------------------------===*/

#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tcnn_make_dir(const char *dir, int *created) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
    fprintf(stderr, "error: cannot create '%s': path too long\n", dir);
    return -1;
  }
  for (char *p = path + 1; *p; ++p)
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0777);
      *p = '/';
    }
  *created = mkdir(path, 0777) == 0;
  struct stat st;
  if (!*created && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
    fprintf(stderr, "error: cannot create '%s': %s\n", dir,
            errno == EEXIST ? "a file of that name is in the way"
                            : strerror(errno));
    return -1;
  }
  return 0;
}

/* The files one --dump or --save has written, removed again if a later
 * one fails, so a failed dump leaves nothing behind. */
typedef struct {
  const char *dir;
  char (*paths)[4096];
  int count, capacity;
} written_files;

static int write_npy(written_files *w, const char *name, const char *suffix,
                     int rank, const int64_t *shape, const void *data,
                     int is_int64) {
  char error[1024];
  if (w->count == w->capacity) {
    fprintf(stderr, "error: too many files for '%s'\n", w->dir);
    return -1;
  }
  char *path = w->paths[w->count];
  snprintf(path, sizeof w->paths[0], "%s/%s%s.npy", w->dir, name, suffix);
  if (tcnn_npy_write(path, rank, shape, data, is_int64, error,
                     sizeof error) != 0) {
    fprintf(stderr, "error: %s\n", error);
    return -1;
  }
  ++w->count;
  return 0;
}

static int dump_files(const tcnn_state *s, written_files *w, int params_only) {
  const tcnn_model *m = s->m;
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    if (params_only && t->role != TCNN_PARAM && t->role != TCNN_BUFFER)
      continue;
    if (write_npy(w, t->name, "", t->rank, t->shape, s->args[i],
                  t->is_int64) != 0)
      return -1;
  }
  if (params_only)
    return 0;
  /* A model without a loss has its output alone. */
  if (!m->grad)
    return write_npy(w, m->output_name, "", m->output_rank, m->output_shape,
                     s->output, 0);
  int64_t scalar[1] = {0};
  if (write_npy(w, m->loss_name, "", 0, scalar, &s->loss, 0) != 0 ||
      write_npy(w, m->output_name, "", m->output_rank, m->output_shape,
                s->output, 0) != 0)
    return -1;
  for (int k = 0; k < s->num_params; ++k) {
    const tcnn_tensor_info *t = &m->args[s->param_index[k]];
    if (write_npy(w, t->name, ".grad", t->rank, t->shape, s->grads[k], 0) !=
        0)
      return -1;
  }
  /* The buffers' next values after the step, beside their values before. */
  for (int k = 0; k < s->num_buffers; ++k) {
    const tcnn_tensor_info *t = &m->args[s->buffer_index[k]];
    if (write_npy(w, t->name, ".updated", t->rank, t->shape,
                  s->next_buffers[k], t->is_int64) != 0)
      return -1;
  }
  return 0;
}

/* The optimizer's state files: torch.optim's state names. */
static const char *state_name(const tcnn_state *s, int j) {
  if (s->opt.adam)
    return j == 0 ? ".exp_avg" : ".exp_avg_sq";
  return j == 0 && s->opt.momentum != 0 ? ".momentum_buffer" : NULL;
}

static const char kStepFile[] = "optimizer.step";

static int state_files(const tcnn_state *s, written_files *w) {
  if (dump_files(s, w, 1) != 0)
    return -1;
  for (int j = 0; j < 2; ++j) {
    const char *suffix = state_name(s, j);
    for (int k = 0; suffix && k < s->num_params; ++k) {
      const tcnn_tensor_info *t = &s->m->args[s->param_index[k]];
      if (write_npy(w, t->name, suffix, t->rank, t->shape,
                    s->opt_state[j][k], 0) != 0)
        return -1;
    }
  }
  int64_t scalar[1] = {0};
  return write_npy(w, kStepFile, "", 0, scalar, &s->steps, 1);
}

static int write_all(const tcnn_state *s, const char *dir, int mode) {
  int created = 0;
  if (tcnn_make_dir(dir, &created) != 0)
    return -1;
  written_files w = {dir, NULL, 0, 4 * s->m->num_args + 4};
  w.paths = calloc((size_t)w.capacity, sizeof *w.paths);
  int rc = !w.paths                ? -1
           : mode == 2             ? state_files(s, &w)
                                   : dump_files(s, &w, mode);
  if (rc != 0) {
    for (int i = 0; i < w.count; ++i)
      remove(w.paths[i]);
    if (created)
      rmdir(dir);
  }
  free(w.paths);
  return rc;
}

int tcnn_dump(const tcnn_state *s, const char *dir, int params_only) {
  return write_all(s, dir, params_only ? 1 : 0);
}

int tcnn_save_checkpoint(const tcnn_state *s, const char *dir) {
  return write_all(s, dir, 2);
}

/* Reads DIR/NAME.npy of exactly `t`'s shape into a new buffer; a missing
 * file is an error only when `required`. */
static void *read_tensor(const char *dir, const char *name, const char *suffix,
                         int rank, const int64_t *shape, int is_int64,
                         int required, int *missing) {
  char path[4096], error[1024];
  snprintf(path, sizeof path, "%s/%s%s.npy", dir, name, suffix);
  *missing = 0;
  if (!required && access(path, F_OK) != 0) {
    *missing = 1;
    return NULL;
  }
  void *data = tcnn_npy_read(path, rank, shape, is_int64, error, sizeof error);
  if (!data)
    fprintf(stderr, "error: --load %s%s: %s\n", name, suffix, error);
  return data;
}

int tcnn_load_checkpoint(tcnn_state *s, const char *dir) {
  const tcnn_model *m = s->m;
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "error: --load: '%s' is not a directory\n", dir);
    return -1;
  }
  int missing;
  /* Everything is read before anything is replaced. */
  int n = s->num_params;
  void **loaded = calloc((size_t)3 * n + 1, sizeof(void *));
  int rc = loaded ? 0 : -1;
  for (int k = 0; rc == 0 && k < n; ++k) {
    const tcnn_tensor_info *t = &m->args[s->param_index[k]];
    loaded[k] = read_tensor(dir, t->name, "", t->rank, t->shape, 0, 1,
                            &missing);
    rc = loaded[k] ? 0 : -1;
    for (int j = 0; rc == 0 && j < 2; ++j) {
      const char *suffix = state_name(s, j);
      if (!suffix)
        continue;
      loaded[(1 + j) * n + k] = read_tensor(dir, t->name, suffix, t->rank,
                                            t->shape, 0, 0, &missing);
      rc = loaded[(1 + j) * n + k] || missing ? 0 : -1;
    }
  }
  int64_t step = 0;
  int64_t scalar[1] = {0};
  if (rc == 0) {
    int64_t *p = read_tensor(dir, kStepFile, "", 0, scalar, 1, 0, &missing);
    if (p) {
      step = *p < 0 ? 0 : *p;
      free(p);
    } else if (!missing) {
      rc = -1;
    }
  }
  /* The buffers, all or nothing with the rest. */
  void **buffers = calloc((size_t)s->num_buffers + 1, sizeof(void *));
  rc = rc == 0 && buffers ? 0 : -1;
  for (int k = 0; rc == 0 && k < s->num_buffers; ++k) {
    const tcnn_tensor_info *t = &m->args[s->buffer_index[k]];
    buffers[k] = read_tensor(dir, t->name, "", t->rank, t->shape, t->is_int64,
                             1, &missing);
    rc = buffers[k] ? 0 : -1;
  }
  for (int k = 0; buffers && k < s->num_buffers; ++k) {
    if (rc == 0) {
      free(s->args[s->buffer_index[k]]);
      s->args[s->buffer_index[k]] = buffers[k];
    } else {
      free(buffers[k]);
    }
  }
  free(buffers);
  for (int k = 0; k < n; ++k) {
    if (rc == 0) {
      free(s->args[s->param_index[k]]);
      s->args[s->param_index[k]] = loaded[k];
      for (int j = 0; j < 2; ++j)
        if (loaded[(1 + j) * n + k]) {
          free(s->opt_state[j][k]);
          s->opt_state[j][k] = loaded[(1 + j) * n + k];
        }
    } else {
      for (int j = 0; j < 3; ++j)
        free(loaded[j * n + k]);
    }
  }
  if (rc == 0)
    s->steps = step;
  free(loaded);
  return rc;
}
