/*===- train.c - epochs over data sets, evaluation, prediction ------------===*
 *
 * Each epoch visits every sample once, in a fresh seeded permutation
 * (or in file order with --no-shuffle), one batch per compiled step; the
 * last batch may be partial. Losses are averaged over samples, so a
 * partial batch weighs what it holds, as averaging PyTorch's per-batch
 * means weighted by batch size does.
 *
 *===----------------------------------------------------------------------===*/

#include "internal.h"
#include "clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* splitmix64: a small, well-mixed generator, the same on every platform. */
static uint64_t next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void shuffle(int64_t *order, int64_t n, uint64_t *rng) {
  for (int64_t i = n - 1; i > 0; --i) {
    int64_t j = (int64_t)(next_random(rng) % (uint64_t)(i + 1));
    int64_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

static int64_t *identity(int64_t n) {
  int64_t *order = malloc((size_t)n * sizeof *order);
  for (int64_t i = 0; order && i < n; ++i)
    order[i] = i;
  return order;
}

/* The class-index target whose accuracy the output gives: an int64
 * target of shape [N] beside an output [N, classes]; -1 if none. */
static int label_arg(const tcnn_model *m) {
  if (m->output_rank != 2)
    return -1;
  for (int i = 0; i < m->num_args; ++i)
    if (m->args[i].role == TCNN_TARGET && m->args[i].is_int64 &&
        m->args[i].rank == 1 && m->args[i].shape[0] == m->output_shape[0])
      return i;
  return -1;
}

/* Correct predictions (argmax of the output row) among the first n. */
static int64_t correct(const tcnn_state *s, int label, int64_t n) {
  const tcnn_model *m = s->m;
  int64_t classes = m->output_shape[1], hits = 0;
  const int64_t *labels = s->args[label];
  for (int64_t r = 0; r < n; ++r) {
    const float *row = s->output + r * classes;
    int64_t best = 0;
    for (int64_t c = 1; c < classes; ++c)
      if (row[c] > row[best])
        best = c;
    hits += best == labels[r];
  }
  return hits;
}

/* A batch of n samples' share of a data set's loss sum: its loss is
 * already a sum over them with reduction "sum", else their mean. */
static double batch_loss_sum(const tcnn_model *m, float loss, int64_t n) {
  return (double)loss * (m->loss_is_sum ? 1.0 : (double)n);
}

typedef struct {
  double loss;   /* mean over samples */
  double accuracy; /* fraction, or -1 without a class-index target */
} score;

static score evaluate(tcnn_state *s, const tcnn_dataset *d) {
  const tcnn_model *m = s->m;
  int64_t batch = m->batch, total = d->count, hits = 0;
  int label = label_arg(m);
  double sum = 0;
  int64_t *order = identity(total);
  if (!order)
    return (score){NAN, -1};
  for (int64_t first = 0; first < total; first += batch) {
    int64_t n = total - first < batch ? total - first : batch;
    tcnn_dataset_gather(d, s, order, first, n);
    m->forward(s->args, n, &s->loss, s->output);
    sum += batch_loss_sum(m, s->loss, n);
    if (label >= 0)
      hits += correct(s, label, n);
  }
  free(order);
  return (score){sum / (double)total,
                 label >= 0 ? (double)hits / (double)total : -1};
}

static void print_score(score sc) {
  printf("loss %.6f", sc.loss);
  if (sc.accuracy >= 0)
    printf(", accuracy %.2f%%", 100.0 * sc.accuracy);
}

int tcnn_train(tcnn_state *s, const tcnn_dataset *data,
               const tcnn_train_options *o) {
  const tcnn_model *m = s->m;
  int64_t batch = m->batch, total = data->count;
  int64_t batches = (total + batch - 1) / batch;
  int label = label_arg(m);
  int live = isatty(STDERR_FILENO);
  uint64_t rng = o->seed;
  int64_t *order = identity(total);
  if (!order) {
    fprintf(stderr, "error: out of memory for the sample order\n");
    return -1;
  }
  for (long epoch = 1; epoch <= o->epochs; ++epoch) {
    if (o->shuffle)
      shuffle(order, total, &rng);
    double start = tcnn_seconds(), shown = start, sum = 0;
    int64_t hits = 0, seen = 0;
    for (int64_t b = 0; b < batches; ++b) {
      int64_t n = total - seen < batch ? total - seen : batch;
      tcnn_dataset_gather(data, s, order, seen, n);
      tcnn_grad(s, n, 1);
      tcnn_optimizer_step(s);
      sum += batch_loss_sum(m, s->loss, n);
      if (label >= 0)
        hits += correct(s, label, n);
      seen += n;
      double now = tcnn_seconds();
      if (live && (now - shown > 0.1 || b + 1 == batches)) {
        shown = now;
        fprintf(stderr, "\repoch %ld/%ld  batch %lld/%lld  loss %.6f  "
                        "%.0f samples/s ",
                epoch, o->epochs, (long long)(b + 1), (long long)batches,
                sum / (double)seen, (double)seen / (now - start + 1e-12));
        fflush(stderr);
      }
    }
    double seconds = tcnn_seconds() - start;
    if (live)
      fprintf(stderr, "\r\033[K");
    printf("epoch %ld/%ld: ", epoch, o->epochs);
    print_score((score){sum / (double)total,
                        label >= 0 ? (double)hits / (double)total : -1});
    printf(" (%lld samples, %.3f s, %.0f samples/s)\n", (long long)total,
           seconds, (double)total / (seconds + 1e-12));
    for (int e = 0; e < o->num_evals; ++e) {
      printf("  %s: ", o->eval_names[e]);
      print_score(evaluate(s, &o->evals[e]));
      printf(" (%lld samples)\n", (long long)o->evals[e].count);
    }
    fflush(stdout);
  }
  free(order);
  return 0;
}

int tcnn_predict(tcnn_state *s, const tcnn_dataset *data, const char *path) {
  const tcnn_model *m = s->m;
  int64_t batch = m->batch, total = data->count;
  int64_t per_sample = m->output_count / m->output_shape[0];
  float *out = malloc((size_t)(total * per_sample) * sizeof(float));
  int64_t *order = identity(total);
  int rc = -1;
  if (!out || !order) {
    fprintf(stderr, "error: out of memory for --predict\n");
    goto done;
  }
  for (int64_t first = 0; first < total; first += batch) {
    int64_t n = total - first < batch ? total - first : batch;
    tcnn_dataset_gather(data, s, order, first, n);
    m->forward(s->args, n, &s->loss, s->output);
    memcpy(out + first * per_sample, s->output,
           (size_t)(n * per_sample) * sizeof(float));
  }
  int64_t shape[TCNN_MAX_RANK];
  memcpy(shape, m->output_shape, sizeof shape);
  shape[0] = total;
  char error[1024];
  if (tcnn_npy_write(path, m->output_rank, shape, out, 0, error,
                     sizeof error) != 0) {
    fprintf(stderr, "error: --output: %s\n", error);
    goto done;
  }
  printf("predicted %lld samples: %s %s\n", (long long)total, m->output_name,
         path);
  rc = 0;
done:
  free(out);
  free(order);
  return rc;
}
