/*===- main.c - command line of tcnn executables --------------------------===*
 *
 * By default one forward + backward step on the embedded data, printing
 * the loss, the output and a summary of every gradient in the same form as
 * `tcnnc --run`. Options replace data, train on data sets with SGD or
 * Adam, evaluate, predict, save and load checkpoints, dump tensors and
 * time steps.
 *
 *===----------------------------------------------------------------------===*/

#include "internal.h"
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

static void list_tensors(const tcnn_model *m, FILE *out);

/* The usage of a model without a loss: it predicts, nothing more. */
static void usage_inference(const tcnn_model *m, const char *argv0,
                            FILE *out) {
  fprintf(out,
          "%s: the compiled model '%s' (tcnn)\n\n"
          "The model has no loss: it runs its forward pass (inference mode) "
          "on the\nembedded data and prints the output, or predicts.\n\n"
          "  --predict NAME=FILE.npy  run the forward pass on these samples "
          "(any number\n"
          "                           along the first axis, in batches of "
          "%lld)\n"
          "  --output FILE.npy        where --predict writes the outputs\n"
          "  --input NAME=FILE.npy    replace the embedded input NAME\n"
          "  --param NAME=FILE.npy    replace parameter NAME\n"
          "  --load DIR               read the parameters from DIR "
          "(NAME.npy)\n"
          "  --dump DIR               write inputs, parameters and the "
          "output as NAME.npy\n"
          "  --repeat N               time N forward passes\n"
          "  --threads N              threads of the parallel loops "
          "(default: every core)\n"
          "  --profile                time every op of N more passes\n"
          "  --peak GFLOPS            the peak --profile compares with "
          "(default: measured)\n"
          "  --help                   this text\n\n"
          "Tensors:\n",
          argv0, m->name, (long long)m->batch);
}

static void usage(const tcnn_model *m, const char *argv0, FILE *out) {
  if (!m->grad) {
    usage_inference(m, argv0, out);
    list_tensors(m, out);
    return;
  }
  fprintf(out,
          "%s: the compiled model '%s' (tcnn)\n\n"
          "Runs one forward + backward step on the embedded data and prints "
          "the loss,\nthe output and every parameter gradient; or trains on "
          "data sets and predicts.\n\n"
          "Data sets (NAME is an input or target; every file holds any "
          "number of samples\nalong its first axis, cut into batches of "
          "%lld):\n"
          "  --data NAME=FILE.npy     training samples (one per input and "
          "target)\n"
          "  --epochs N               passes over the training samples "
          "(default 1)\n"
          "  --seed N                 seed of the per-epoch shuffle "
          "(default 0)\n"
          "  --no-shuffle             visit the samples in file order\n"
          "  --eval NAME=FILE.npy     evaluate on these samples after every "
          "epoch\n"
          "  --predict NAME=FILE.npy  run the forward pass on these samples "
          "(inputs only)\n"
          "  --output FILE.npy        where --predict writes the outputs\n\n"
          "Optimizer (torch.optim semantics; default from the model file: "
          "%s, lr %g):\n"
          "  --optimizer sgd|adam\n"
          "  --lr LR   --weight-decay WD\n"
          "  --momentum M   --nesterov          (SGD)\n"
          "  --betas B1,B2   --eps EPS          (Adam)\n\n"
          "Checkpoints and tensors:\n"
          "  --save DIR               write the parameters and optimizer "
          "state (after training)\n"
          "  --load DIR               read them back (before training)\n"
          "  --input NAME=FILE.npy    replace the embedded input or target "
          "NAME\n"
          "  --param NAME=FILE.npy    replace parameter NAME\n"
          "  --dump DIR               write inputs, targets, parameters, "
          "loss, output and\n"
          "                           gradients of one step as NAME.npy / "
          "NAME.grad.npy\n"
          "  --train STEPS            run STEPS optimizer steps on the "
          "embedded batch\n\n"
          "Speed:\n"
          "  --repeat N               time N training steps (forward + "
          "backward, and with\n"
          "                           the optimizer update) and print the "
          "time per step\n"
          "  --threads N              threads of the parallel loops "
          "(default: every core)\n"
          "  --profile                time every op of N more steps (N of "
          "--repeat, else 10):\n"
          "                           ms/step, share, GFLOP/s and %% of "
          "this core's peak\n"
          "  --peak GFLOPS            the peak --profile compares with "
          "(default: measured)\n"
          "  --help                   this text\n\n"
          "Tensors:\n",
          argv0, m->name, (long long)m->batch,
          m->optimizer.adam ? "Adam" : "SGD", m->optimizer.lr);
  list_tensors(m, out);
}

static void list_tensors(const tcnn_model *m, FILE *out) {
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    static const char *roles[] = {"input", "target", "param", "buffer"};
    fprintf(out, "  %-6s %-20s [", roles[t->role], t->name);
    for (int d = 0; d < t->rank; ++d)
      fprintf(out, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    fprintf(out, "]%s\n", t->is_int64 ? " int64 class indices" : "");
  }
}

/* NAME=FILE for --input (roles input/target) or --param. */
static int replace(tcnn_state *s, const char *spec, int want_param) {
  const char *eq = strchr(spec, '=');
  const char *opt = want_param ? "--param" : "--input";
  if (!eq || eq == spec || !eq[1]) {
    fprintf(stderr, "error: %s expects NAME=FILE.npy, got '%s'\n", opt, spec);
    return -1;
  }
  char name[256];
  snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
  int i = tcnn_find_arg(s->m, name);
  int role = i < 0 ? -1 : s->m->args[i].role;
  if (i < 0 || (want_param ? role != TCNN_PARAM : role > TCNN_TARGET)) {
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

static void report(const tcnn_state *s) {
  const tcnn_model *m = s->m;
  printf("model %s (compiled, float32%s)\n", m->name,
         m->grad ? "" : ", inference: the model has no loss");
  if (m->grad)
    printf("%s: %.6f\n", m->loss_name, fixed(s->loss));
  printf("%s ", m->output_name);
  print_shape(m->output_rank, m->output_shape);
  printf(": ");
  print_values(s->output, m->output_count);
  printf("\n");
  if (!m->grad)
    return;
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

/* A finite number of at least `lo` (-INFINITY: any number). */
static int parse_float(const char *opt, const char *text, double *out,
                       double lo) {
  char *end;
  double v = strtod(text, &end);
  if (end == text || *end || !isfinite(v) || v < lo) {
    fprintf(stderr, "error: %s expects a %snumber, got '%s'\n", opt,
            lo == 0 ? "non-negative " : "", text);
    return -1;
  }
  *out = v;
  return 0;
}

/* --betas B1,B2, each in [0, 1). */
static int parse_betas(const char *text, tcnn_optimizer_config *o) {
  char *end;
  double b1 = strtod(text, &end), b2 = -1;
  if (end != text && *end == ',') {
    const char *second = end + 1;
    b2 = strtod(second, &end);
    if (end == second || *end)
      b2 = -1;
  }
  if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
    fprintf(stderr,
            "error: --betas expects two numbers in [0, 1) as B1,B2, got "
            "'%s'\n",
            text);
    return -1;
  }
  o->beta1 = b1;
  o->beta2 = b2;
  return 0;
}

/* LLVM's OpenMP runtime, which runs the generated parallel loops. */
extern void omp_set_num_threads(int);

typedef struct {
  const char *dump_dir, *save_dir, *load_dir, *output;
  long train, repeat, epochs, threads;
  int profile, shuffle, params_replaced, epochs_given;
  double peak;
  uint64_t seed;
  tcnn_dataset data, eval, predict;
} options;

/* Options with a value; returns 1 if `opt` is one, -1 on a bad value. */
static int value_option(tcnn_state *s, options *o, const char *opt,
                        const char *v) {
  tcnn_optimizer_config *c = &s->opt;
  long n;
  if (!strcmp(opt, "--input") || !strcmp(opt, "--param")) {
    o->params_replaced |= !strcmp(opt, "--param");
    return replace(s, v, !strcmp(opt, "--param")) == 0 ? 1 : -1;
  }
  if (!strcmp(opt, "--data"))
    return tcnn_dataset_add(&o->data, s->m, v) == 0 ? 1 : -1;
  if (!strcmp(opt, "--eval"))
    return tcnn_dataset_add(&o->eval, s->m, v) == 0 ? 1 : -1;
  if (!strcmp(opt, "--predict"))
    return tcnn_dataset_add(&o->predict, s->m, v) == 0 ? 1 : -1;
  if (!strcmp(opt, "--dump") || !strcmp(opt, "--save") ||
      !strcmp(opt, "--load") || !strcmp(opt, "--output")) {
    const char **dst = !strcmp(opt, "--dump")   ? &o->dump_dir
                       : !strcmp(opt, "--save") ? &o->save_dir
                       : !strcmp(opt, "--load") ? &o->load_dir
                                                : &o->output;
    *dst = v;
    return 1;
  }
  if (!strcmp(opt, "--train") || !strcmp(opt, "--repeat") ||
      !strcmp(opt, "--epochs") || !strcmp(opt, "--seed")) {
    if (parse_long(opt, v, &n) != 0)
      return -1;
    if (!strcmp(opt, "--train"))
      o->train = n;
    else if (!strcmp(opt, "--repeat"))
      o->repeat = n;
    else if (!strcmp(opt, "--epochs"))
      o->epochs = n, o->epochs_given = 1;
    else
      o->seed = (uint64_t)n;
    return 1;
  }
  if (!strcmp(opt, "--threads")) {
    if (parse_long(opt, v, &o->threads) != 0)
      return -1;
    if (o->threads < 1 || o->threads > 4096) {
      fprintf(stderr, "error: --threads expects 1 to 4096, got %ld\n",
              o->threads);
      return -1;
    }
    omp_set_num_threads((int)o->threads);
    return 1;
  }
  if (!strcmp(opt, "--peak")) {
    char *end;
    o->peak = strtod(v, &end);
    if (end == v || *end || !isfinite(o->peak) || o->peak <= 0) {
      fprintf(stderr, "error: --peak expects a positive number of GFLOP/s\n");
      return -1;
    }
    return 1;
  }
  if (!strcmp(opt, "--lr"))
    return parse_float(opt, v, &c->lr, -INFINITY) == 0 ? 1 : -1;
  if (!strcmp(opt, "--momentum"))
    return parse_float(opt, v, &c->momentum, 0) == 0 ? 1 : -1;
  if (!strcmp(opt, "--weight-decay"))
    return parse_float(opt, v, &c->weight_decay, 0) == 0 ? 1 : -1;
  if (!strcmp(opt, "--eps"))
    return parse_float(opt, v, &c->eps, 0) == 0 ? 1 : -1;
  if (!strcmp(opt, "--betas"))
    return parse_betas(v, c) == 0 ? 1 : -1;
  if (!strcmp(opt, "--optimizer")) {
    if (strcmp(v, "sgd") && strcmp(v, "adam")) {
      fprintf(stderr, "error: --optimizer expects sgd or adam, got '%s'\n", v);
      return -1;
    }
    c->adam = !strcmp(v, "adam");
    return 1;
  }
  return 0;
}

static const char *const value_options[] = {
    "--input", "--param", "--data", "--eval", "--predict", "--dump",
    "--save", "--load", "--output", "--train", "--repeat", "--epochs",
    "--seed", "--threads", "--peak", "--lr", "--momentum", "--weight-decay",
    "--eps", "--betas", "--optimizer"};

/* What a model without a loss cannot do: train, evaluate, optimize. */
static const char *const training_options[] = {
    "--data", "--eval", "--epochs", "--seed", "--no-shuffle", "--train",
    "--save", "--lr", "--momentum", "--weight-decay", "--eps", "--betas",
    "--optimizer", "--nesterov"};

static int refuse_training(const tcnn_model *m, const char *opt) {
  if (m->grad)
    return 0;
  for (size_t i = 0; i < sizeof training_options / sizeof *training_options;
       ++i)
    if (!strcmp(opt, training_options[i])) {
      fprintf(stderr,
              "error: %s: model '%s' has no loss, so it cannot train; it "
              "predicts (--predict NAME=FILE.npy --output FILE.npy)\n",
              opt, m->name);
      return 1;
    }
  return 0;
}

static int takes_value(const char *opt) {
  for (size_t i = 0; i < sizeof value_options / sizeof *value_options; ++i)
    if (!strcmp(opt, value_options[i]))
      return 1;
  return 0;
}

/* The data sets and options agree with each other and the model. */
static int check_options(const tcnn_state *s, const options *o) {
  const tcnn_model *m = s->m;
  int has_data = o->data.count >= 0, has_eval = o->eval.count >= 0,
      has_predict = o->predict.count >= 0;
  if (has_data && tcnn_dataset_complete(&o->data, m, 1) != 0)
    return -1;
  if (has_eval && tcnn_dataset_complete(&o->eval, m, 1) != 0)
    return -1;
  if (has_predict && tcnn_dataset_complete(&o->predict, m, 0) != 0)
    return -1;
  if (has_predict != (o->output != NULL)) {
    fprintf(stderr, "error: %s\n",
            has_predict ? "--predict needs --output FILE.npy for the outputs"
                        : "--output needs --predict NAME=FILE.npy");
    return -1;
  }
  if ((has_eval || o->epochs_given) && !has_data) {
    fprintf(stderr, "error: %s needs training samples (--data NAME=FILE.npy)\n",
            has_eval ? "--eval" : "--epochs");
    return -1;
  }
  if (o->load_dir && o->params_replaced) {
    fprintf(stderr, "error: --load and --param both set parameters; give "
                    "one of them\n");
    return -1;
  }
  if (s->opt.nesterov && (s->opt.adam || s->opt.momentum <= 0)) {
    fprintf(stderr, "error: --nesterov needs SGD with a momentum above 0\n");
    return -1;
  }
  return 0;
}

/* One step of what the model computes, on the embedded batch, leaving the
 * buffers as they are: forward and backward in training mode, or the
 * forward pass of a model without a loss (it only predicts). */
static void one_step(tcnn_state *s, int64_t valid) {
  if (s->m->grad)
    tcnn_grad(s, valid, 0);
  else
    tcnn_forward(s, valid);
}

int tcnn_main(const tcnn_model *m, int argc, char **argv) {
  /* A training step allocates and frees the same activation buffers every
   * time. glibc would mmap each large one and unmap it on free, so every
   * step would fault in fresh zeroed pages; keeping freed memory in the
   * heap lets the next step reuse it. */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  tcnn_state s;
  options o;
  memset(&o, 0, sizeof o);
  o.epochs = 1;
  o.shuffle = 1;
  tcnn_dataset_init(&o.data, m, "--data");
  tcnn_dataset_init(&o.eval, m, "--eval");
  tcnn_dataset_init(&o.predict, m, "--predict");
  int rc = 1;
  if (tcnn_state_init(&s, m) != 0) {
    fprintf(stderr, "error: out of memory for the model's tensors\n");
    goto done;
  }
  for (int a = 1; a < argc; ++a) {
    const char *opt = argv[a];
    if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
      usage(m, argv[0], stdout);
      rc = 0;
      goto done;
    }
    if (refuse_training(m, opt))
      goto done;
    if (!strcmp(opt, "--profile")) {
      o.profile = 1;
      continue;
    }
    if (!strcmp(opt, "--no-shuffle")) {
      o.shuffle = 0;
      continue;
    }
    if (!strcmp(opt, "--nesterov")) {
      s.opt.nesterov = 1;
      continue;
    }
    if (takes_value(opt)) {
      if (a + 1 >= argc) {
        fprintf(stderr, "error: %s needs a value (see --help)\n", opt);
        goto done;
      }
      if (value_option(&s, &o, opt, argv[++a]) != 1)
        goto done;
      continue;
    }
    fprintf(stderr, "error: unknown option '%s' (see --help)\n", opt);
    goto done;
  }
  if (check_options(&s, &o) != 0)
    goto done;
  if (o.load_dir && tcnn_load_checkpoint(&s, o.load_dir) != 0)
    goto done;

  /* The embedded batch is whole: every sample is real. A model without a
   * loss never gets here with a training option (refuse_training). */
  int64_t full = m->batch > 0 ? m->batch : 1;
  for (long step = 0; step < o.train; ++step) {
    tcnn_grad(&s, full, 1);
    printf("step %ld/%ld: loss %.6f\n", step + 1, o.train, fixed(s.loss));
    tcnn_optimizer_step(&s);
  }
  if (o.data.count >= 0) {
    tcnn_train_options t = {o.epochs, o.seed, o.shuffle,
                            o.eval.count >= 0 ? 1 : 0, &o.eval,
                            (const char *[]){"eval"}};
    if (tcnn_train(&s, &o.data, &t) != 0)
      goto done;
    tcnn_state_restore_data(&s);
  }
  if (o.repeat > 0 && !m->grad) {
    tcnn_forward(&s, full); /* warm-up */
    double t0 = tcnn_seconds();
    for (long r = 0; r < o.repeat; ++r)
      tcnn_forward(&s, full);
    printf("forward: %.4f ms/step (%ld steps)\n",
           1e3 * (tcnn_seconds() - t0) / o.repeat, o.repeat);
  } else if (o.repeat > 0) {
    tcnn_grad(&s, full, 0); /* warm-up */
    double t0 = tcnn_seconds();
    for (long r = 0; r < o.repeat; ++r)
      tcnn_grad(&s, full, 0);
    double t1 = tcnn_seconds();
    for (long r = 0; r < o.repeat; ++r) {
      tcnn_grad(&s, full, 1);
      tcnn_optimizer_step(&s);
    }
    double t2 = tcnn_seconds();
    printf("forward+backward: %.4f ms/step; with %s update: %.4f ms/step "
           "(%ld steps each)\n",
           1e3 * (t1 - t0) / o.repeat, tcnn_optimizer_name(&s),
           1e3 * (t2 - t1) / o.repeat, o.repeat);
  }
  if (o.profile) {
    long steps = o.repeat > 0 ? o.repeat : 10;
    double peak = o.peak > 0 ? o.peak : tcnn_measure_peak();
    if (tcnn_profile_start(m->num_profile_ops) != 0) {
      fprintf(stderr, "error: out of memory for --profile\n");
      goto done;
    }
    for (long r = 0; r < steps; ++r)
      one_step(&s, full);
    tcnn_profile_report(m, steps, peak);
  }
  if (o.predict.count >= 0) {
    if (tcnn_predict(&s, &o.predict, o.output) != 0)
      goto done;
    tcnn_state_restore_data(&s);
  }
  /* The one-step report: the default job, and what --dump writes. */
  if ((o.data.count < 0 && o.predict.count < 0) || o.dump_dir) {
    one_step(&s, full);
    if (o.data.count < 0 && o.predict.count < 0)
      report(&s);
  }
  if (o.train > 0)
    printf("trained %ld steps with %s (lr %g)\n", o.train,
           tcnn_optimizer_name(&s), s.opt.lr);
  if (o.dump_dir && tcnn_dump(&s, o.dump_dir, 0) != 0)
    goto done;
  if (o.save_dir && tcnn_save_checkpoint(&s, o.save_dir) != 0)
    goto done;
  rc = 0;
done:
  tcnn_dataset_release(&o.data, m);
  tcnn_dataset_release(&o.eval, m);
  tcnn_dataset_release(&o.predict, m);
  tcnn_state_release(&s);
  fflush(stdout);
  return rc;
}
