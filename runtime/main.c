/*===- main.c - command line of tcnn executables --------------------------===*
 *
 * By default one forward + backward step on the embedded data, printing
 * the loss, the output and a summary of every gradient in the same form as
 * `tcnnc --run`. Options replace data, dump tensors, train with SGD, save
 * parameters and time steps.
 *
 *===----------------------------------------------------------------------===*/

#include "tcnn_runtime.h"
#include "clock.h"

#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  const tcnn_model *m;
  void **args;        /* one buffer per argument (owned) */
  float **grads;      /* one buffer per parameter (owned) */
  int *param_index;   /* argument index of the k-th parameter */
  int num_params;
  float loss;
  float *output;
} state;

static void usage(const tcnn_model *m, const char *argv0, FILE *out) {
  fprintf(out,
          "%s: the compiled model '%s' (tcnn)\n\n"
          "Runs one forward + backward step on the embedded data and prints "
          "the loss,\nthe output and every parameter gradient.\n\n"
          "Options:\n"
          "  --input NAME=FILE.npy  replace input or target NAME (shape and "
          "dtype checked)\n"
          "  --param NAME=FILE.npy  replace parameter NAME\n"
          "  --dump DIR             write inputs, targets, parameters, loss, "
          "output and\n"
          "                         gradients as NAME.npy / NAME.grad.npy\n"
          "  --train STEPS          run STEPS steps of SGD, one progress line "
          "each\n"
          "  --lr LR                SGD learning rate (default 0.01)\n"
          "  --save DIR             write the parameters (after training) as "
          ".npy\n"
          "  --repeat N             time N training steps (forward + "
          "backward, and with\n"
          "                         the SGD update) and print the time per "
          "step\n"
          "  --threads N            threads of the parallel loops (default: "
          "every core)\n"
          "  --profile              time every op of N more steps (N of "
          "--repeat, else 10):\n"
          "                         ms/step, share, GFLOP/s and %% of this "
          "core's peak\n"
          "  --peak GFLOPS          the peak --profile compares with (default: "
          "measured)\n"
          "  --help                 this text\n\n"
          "Tensors:\n",
          argv0, m->name);
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    static const char *roles[] = {"input", "target", "param"};
    fprintf(out, "  %-6s %-20s [", roles[t->role], t->name);
    for (int d = 0; d < t->rank; ++d)
      fprintf(out, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    fprintf(out, "]%s\n", t->is_int64 ? " int64 class indices" : "");
  }
}

static int find_arg(const tcnn_model *m, const char *name) {
  for (int i = 0; i < m->num_args; ++i)
    if (strcmp(m->args[i].name, name) == 0)
      return i;
  return -1;
}

/* NAME=FILE for --input (roles input/target) or --param. */
static int replace(state *s, const char *spec, int want_param) {
  const char *eq = strchr(spec, '=');
  const char *opt = want_param ? "--param" : "--input";
  if (!eq || eq == spec || !eq[1]) {
    fprintf(stderr, "error: %s expects NAME=FILE.npy, got '%s'\n", opt, spec);
    return -1;
  }
  char name[256];
  snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
  int i = find_arg(s->m, name);
  if (i < 0 || (s->m->args[i].role == TCNN_PARAM) != want_param) {
    fprintf(stderr, "error: %s: the model has no %s named '%s'\n", opt,
            want_param ? "parameter" : "input or target", name);
    return -1;
  }
  const tcnn_tensor_info *t = &s->m->args[i];
  char error[1024];
  void *data = tcnn_npy_read(eq + 1, t->rank, t->shape, t->is_int64, error,
                             sizeof error);
  if (!data) {
    fprintf(stderr, "error: %s %s: %s\n", opt, name, error);
    return -1;
  }
  if (t->is_int64) {
    int64_t classes = s->m->output_shape[1];
    for (int64_t k = 0; k < t->count; ++k)
      if (((int64_t *)data)[k] < 0 || ((int64_t *)data)[k] >= classes) {
        fprintf(stderr,
                "error: %s %s: class index %lld is outside [0, %lld)\n", opt,
                name, (long long)((int64_t *)data)[k], (long long)classes);
        free(data);
        return -1;
      }
  }
  free(s->args[i]);
  s->args[i] = data;
  return 0;
}

static void print_values(const float *v, int64_t n) {
  printf("[");
  for (int64_t k = 0; k < n && k < 16; ++k) {
    double x = v[k];
    if (fabs(x) < 5e-7)
      x = 0.0; /* never print -0.000000 */
    printf("%s%.6f", k ? ", " : "", x);
  }
  if (n > 16)
    printf(", ... (%lld values)", (long long)n);
  printf("]");
}

static void print_shape(int rank, const int64_t *shape) {
  printf("[");
  for (int d = 0; d < rank; ++d)
    printf("%s%lld", d ? ", " : "", (long long)shape[d]);
  printf("]");
}

static double fixed(double x) { return fabs(x) < 5e-7 ? 0.0 : x; }

static void report(const state *s) {
  const tcnn_model *m = s->m;
  printf("model %s (compiled, float32)\n", m->name);
  printf("%s: %.6f\n", m->loss_name, fixed(s->loss));
  printf("%s ", m->output_name);
  print_shape(m->output_rank, m->output_shape);
  printf(": ");
  print_values(s->output, m->output_count);
  printf("\n");
  if (s->num_params > 0) /* as tcnnc --run prints it */
    printf("gradients (shape: min / max / L2 norm):\n");
  for (int k = 0; k < s->num_params; ++k) {
    const tcnn_tensor_info *t = &m->args[s->param_index[k]];
    double lo = INFINITY, hi = -INFINITY, sq = 0;
    for (int64_t e = 0; e < t->count; ++e) {
      double g = s->grads[k][e];
      lo = g < lo ? g : lo;
      hi = g > hi ? g : hi;
      sq += g * g;
    }
    printf("  %s.grad ", t->name);
    print_shape(t->rank, t->shape);
    printf(": %.6f / %.6f / %.6f\n", fixed(lo), fixed(hi), fixed(sqrt(sq)));
  }
}

/* Creates `dir` and its parents; sets *created when `dir` itself is new. */
static int make_dir(const char *dir, int *created) {
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
  char (*paths)[4096];
  int count, capacity;
} written_files;

static int write_npy(written_files *w, const char *dir, const char *name,
                     const char *suffix, int rank, const int64_t *shape,
                     const void *data, int is_int64) {
  char error[1024];
  char *path = w->paths[w->count];
  snprintf(path, sizeof w->paths[0], "%s/%s%s.npy", dir, name, suffix);
  if (tcnn_npy_write(path, rank, shape, data, is_int64, error,
                     sizeof error) != 0) {
    fprintf(stderr, "error: %s\n", error);
    return -1;
  }
  ++w->count;
  return 0;
}

static int dump_files(const state *s, written_files *w, const char *dir,
                      int params_only) {
  const tcnn_model *m = s->m;
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    if (params_only && t->role != TCNN_PARAM)
      continue;
    if (write_npy(w, dir, t->name, "", t->rank, t->shape, s->args[i],
                  t->is_int64) != 0)
      return -1;
  }
  if (params_only)
    return 0;
  int64_t scalar[1] = {0};
  if (write_npy(w, dir, m->loss_name, "", 0, scalar, &s->loss, 0) != 0 ||
      write_npy(w, dir, m->output_name, "", m->output_rank, m->output_shape,
                s->output, 0) != 0)
    return -1;
  for (int k = 0; k < s->num_params; ++k) {
    const tcnn_tensor_info *t = &m->args[s->param_index[k]];
    if (write_npy(w, dir, t->name, ".grad", t->rank, t->shape, s->grads[k],
                  0) != 0)
      return -1;
  }
  return 0;
}

static int dump(const state *s, const char *dir, int params_only) {
  int created = 0;
  if (make_dir(dir, &created) != 0)
    return -1;
  written_files w = {NULL, 0, 2 * s->m->num_args + 2};
  w.paths = calloc((size_t)w.capacity, sizeof *w.paths);
  int rc = w.paths ? dump_files(s, &w, dir, params_only) : -1;
  if (rc != 0) {
    for (int i = 0; i < w.count; ++i)
      remove(w.paths[i]);
    if (created)
      rmdir(dir);
  }
  free(w.paths);
  return rc;
}

static void sgd(state *s, float lr) {
  for (int k = 0; k < s->num_params; ++k) {
    const tcnn_tensor_info *t = &s->m->args[s->param_index[k]];
    float *p = s->args[s->param_index[k]];
    for (int64_t e = 0; e < t->count; ++e)
      p[e] -= lr * s->grads[k][e];
  }
}

static void release(state *s) {
  for (int i = 0; s->args && i < s->m->num_args; ++i)
    free(s->args[i]);
  for (int k = 0; s->grads && k < s->num_params; ++k)
    free(s->grads[k]);
  free(s->args);
  free(s->grads);
  free(s->param_index);
  free(s->output);
}

static int parse_long(const char *opt, const char *text, long *out) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < 0) {
    fprintf(stderr, "error: %s expects a non-negative integer, got '%s'\n", opt,
            text);
    return -1;
  }
  *out = v;
  return 0;
}

/* LLVM's OpenMP runtime, which runs the generated parallel loops. */
extern void omp_set_num_threads(int);

int tcnn_main(const tcnn_model *m, int argc, char **argv) {
  /* A training step allocates and frees the same activation buffers every
   * time. glibc would mmap each large one and unmap it on free, so every
   * step would fault in fresh zeroed pages; keeping freed memory in the
   * heap lets the next step reuse it. */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  state s;
  memset(&s, 0, sizeof s);
  s.m = m;
  s.args = calloc((size_t)m->num_args, sizeof(void *));
  s.param_index = calloc((size_t)m->num_args, sizeof(int));
  s.grads = calloc((size_t)m->num_args, sizeof(float *));
  s.output = calloc((size_t)m->output_count, sizeof(float));
  int rc = 1;
  if (!s.args || !s.param_index || !s.grads || !s.output)
    goto done;
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    size_t bytes = (size_t)t->count * (t->is_int64 ? 8 : 4);
    s.args[i] = malloc(bytes);
    if (!s.args[i])
      goto done;
    memcpy(s.args[i], t->data, bytes);
    if (t->role == TCNN_PARAM) {
      s.param_index[s.num_params] = i;
      s.grads[s.num_params] = calloc((size_t)t->count, sizeof(float));
      if (!s.grads[s.num_params++])
        goto done;
    }
  }

  const char *dump_dir = NULL, *save_dir = NULL;
  long train = 0, repeat = 0;
  float lr = 0.01f;
  int profile = 0;
  long threads = 0;
  double peak = 0;
  for (int a = 1; a < argc; ++a) {
    const char *opt = argv[a];
    int has_value = a + 1 < argc;
    if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
      usage(m, argv[0], stdout);
      rc = 0;
      goto done;
    }
    if (!strcmp(opt, "--profile")) {
      profile = 1;
      continue;
    }
    if (!strcmp(opt, "--input") || !strcmp(opt, "--param") ||
        !strcmp(opt, "--dump") || !strcmp(opt, "--train") ||
        !strcmp(opt, "--lr") || !strcmp(opt, "--save") ||
        !strcmp(opt, "--repeat") || !strcmp(opt, "--threads") ||
        !strcmp(opt, "--peak")) {
      if (!has_value) {
        fprintf(stderr, "error: %s needs a value (see --help)\n", opt);
        goto done;
      }
      const char *v = argv[++a];
      if (!strcmp(opt, "--input") || !strcmp(opt, "--param")) {
        if (replace(&s, v, !strcmp(opt, "--param")) != 0)
          goto done;
      } else if (!strcmp(opt, "--dump")) {
        dump_dir = v;
      } else if (!strcmp(opt, "--save")) {
        save_dir = v;
      } else if (!strcmp(opt, "--train")) {
        if (parse_long(opt, v, &train) != 0)
          goto done;
      } else if (!strcmp(opt, "--repeat")) {
        if (parse_long(opt, v, &repeat) != 0)
          goto done;
      } else if (!strcmp(opt, "--threads")) {
        if (parse_long(opt, v, &threads) != 0)
          goto done;
        if (threads < 1 || threads > 4096) {
          fprintf(stderr, "error: --threads expects 1 to 4096, got %ld\n",
                  threads);
          goto done;
        }
        omp_set_num_threads((int)threads);
      } else if (!strcmp(opt, "--peak")) {
        char *end;
        peak = strtod(v, &end);
        if (end == v || *end || !isfinite(peak) || peak <= 0) {
          fprintf(stderr,
                  "error: --peak expects a positive number of GFLOP/s\n");
          goto done;
        }
      } else {
        char *end;
        lr = strtof(v, &end);
        if (end == v || *end || !isfinite(lr)) {
          fprintf(stderr, "error: --lr expects a number, got '%s'\n", v);
          goto done;
        }
      }
      continue;
    }
    fprintf(stderr, "error: unknown option '%s' (see --help)\n", opt);
    goto done;
  }

  for (long step = 0; step < train; ++step) {
    m->grad(s.args, &s.loss, s.output, s.grads);
    printf("step %ld/%ld: loss %.6f\n", step + 1, train, fixed(s.loss));
    sgd(&s, lr);
  }
  if (repeat > 0) {
    m->grad(s.args, &s.loss, s.output, s.grads); /* warm-up: page faults */
    double t0 = tcnn_seconds();
    for (long r = 0; r < repeat; ++r)
      m->grad(s.args, &s.loss, s.output, s.grads);
    double t1 = tcnn_seconds();
    for (long r = 0; r < repeat; ++r) {
      m->grad(s.args, &s.loss, s.output, s.grads);
      sgd(&s, lr);
    }
    double t2 = tcnn_seconds();
    printf("forward+backward: %.4f ms/step; with SGD update: %.4f ms/step "
           "(%ld steps each)\n",
           1e3 * (t1 - t0) / repeat, 1e3 * (t2 - t1) / repeat, repeat);
  }
  if (profile) {
    long steps = repeat > 0 ? repeat : 10;
    if (peak <= 0)
      peak = tcnn_measure_peak();
    if (tcnn_profile_start(m->num_profile_ops) != 0) {
      fprintf(stderr, "error: out of memory for --profile\n");
      goto done;
    }
    for (long r = 0; r < steps; ++r)
      m->grad(s.args, &s.loss, s.output, s.grads);
    tcnn_profile_report(m, steps, peak);
  }
  m->grad(s.args, &s.loss, s.output, s.grads);
  report(&s);
  if (train > 0)
    printf("trained %ld steps with SGD (lr %g)\n", train, lr);
  if (dump_dir && dump(&s, dump_dir, 0) != 0)
    goto done;
  if (save_dir && dump(&s, save_dir, 1) != 0)
    goto done;
  rc = 0;
done:
  release(&s);
  fflush(stdout);
  return rc;
}
