/* Training and using a tcnn model from C: the digits classifier.
 *
 *   python3 examples/digits/make_data.py digits-data
 *   tcnnc -c examples/digits.tcnn -o digits          # digits.o + digits.h
 *   cc -I. examples/c_api/train_digits.c digits.o -lm -o train_digits
 *   ./train_digits digits-data
 *
 * Loads the training and test sets (.npy), trains for a few epochs in
 * shuffled minibatches with the model file's optimizer (SGD, momentum
 * 0.9), reports the test loss and accuracy after each epoch, then
 * predicts the classes of the first test images and copies out a
 * parameter by its PyTorch name. Nothing but digits.o, libc and libm. */
#include "digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a little-endian, C-order .npy of `descr` ("<f4" or "<i8") with
 * `sample` elements per row; returns the data and its row count. */
static void *load_npy(const char *dir, const char *file, const char *descr,
                      size_t elem, int64_t sample, int64_t *rows) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "rb");
  unsigned char magic[10];
  if (!f || fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) ||
      magic[6] != 1) {
    fprintf(stderr, "%s: not a version 1 .npy file\n", path);
    exit(1);
  }
  size_t len = magic[8] | (size_t)magic[9] << 8;
  char header[65536];
  if (fread(header, 1, len, f) != len) {
    fprintf(stderr, "%s: truncated header\n", path);
    exit(1);
  }
  header[len] = 0;
  const char *shape = strstr(header, "'shape': (");
  if (!strstr(header, descr) || strstr(header, "'fortran_order': True") ||
      !shape) {
    fprintf(stderr, "%s: expected %s in C order\n", path, descr);
    exit(1);
  }
  *rows = strtoll(shape + 10, NULL, 10);
  size_t count = (size_t)(*rows * sample);
  void *data = malloc(count * elem);
  if (!data || fread(data, elem, count, f) != count) {
    fprintf(stderr, "%s: expected %lld samples of %lld elements\n", path,
            (long long)*rows, (long long)sample);
    exit(1);
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "digits-data";
  int epochs = argc > 2 ? atoi(argv[2]) : 10;
  int64_t n_train, n_labels, n_test, n_test_labels;
  float *x = load_npy(dir, "train_x.npy", "<f4", sizeof(float),
                      DIGITS_IMAGES_SAMPLE_COUNT, &n_train);
  int64_t *y = load_npy(dir, "train_y.npy", "<i8", sizeof(int64_t), 1, &n_labels);
  float *xt = load_npy(dir, "test_x.npy", "<f4", sizeof(float),
                       DIGITS_IMAGES_SAMPLE_COUNT, &n_test);
  int64_t *yt = load_npy(dir, "test_y.npy", "<i8", sizeof(int64_t), 1,
                         &n_test_labels);
  if (n_train != n_labels || n_test != n_test_labels) {
    fprintf(stderr, "images and labels differ in sample count\n");
    return 1;
  }

  digits_model *model = digits_create();
  float *bx = malloc(sizeof(float) * DIGITS_STEP_SAMPLES * DIGITS_IMAGES_SAMPLE_COUNT);
  int64_t *by = malloc(sizeof(int64_t) * DIGITS_STEP_SAMPLES);
  int64_t *order = malloc(sizeof(int64_t) * n_train);
  if (!model || !bx || !by || !order)
    return 1;
  for (int64_t i = 0; i < n_train; ++i)
    order[i] = i;

  srand(1);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    for (int64_t i = n_train - 1; i > 0; --i) { /* shuffle */
      int64_t j = rand() % (i + 1), t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double total = 0;
    for (int64_t first = 0; first < n_train; first += DIGITS_STEP_SAMPLES) {
      int64_t n = n_train - first < DIGITS_STEP_SAMPLES ? n_train - first
                                                        : DIGITS_STEP_SAMPLES;
      for (int64_t r = 0; r < n; ++r) {
        memcpy(bx + r * DIGITS_IMAGES_SAMPLE_COUNT,
               x + order[first + r] * DIGITS_IMAGES_SAMPLE_COUNT,
               sizeof(float) * DIGITS_IMAGES_SAMPLE_COUNT);
        by[r] = y[order[first + r]];
      }
      float loss;
      digits_train_step(model, bx, by, n, &loss, NULL);
      total += (double)loss * n;
    }
    float test_loss, accuracy;
    digits_evaluate(model, xt, yt, n_test, &test_loss, &accuracy);
    printf("epoch %d: train loss %.4f, test loss %.4f, test accuracy %.2f%%\n",
           epoch, total / n_train, test_loss, 100 * accuracy);
  }

  /* Predictions for every test image; the first ten as classes. */
  float *logits = malloc(sizeof(float) * n_test * DIGITS_OUTPUT_SAMPLE_COUNT);
  if (!logits)
    return 1;
  digits_predict(model, xt, n_test, logits);
  printf("predicted:");
  for (int64_t i = 0; i < 10 && i < n_test; ++i) {
    const float *row = logits + i * DIGITS_OUTPUT_SAMPLE_COUNT;
    int best = 0;
    for (int c = 1; c < DIGITS_OUTPUT_SAMPLE_COUNT; ++c)
      if (row[c] > row[best])
        best = c;
    printf(" %d", best);
  }
  printf("\nlabels:   ");
  for (int64_t i = 0; i < 10 && i < n_test; ++i)
    printf(" %lld", (long long)yt[i]);

  float bias[DIGITS_FC_BIAS_COUNT];
  digits_get_param(model, digits_param_index("fc.bias"), bias);
  printf("\nfc.bias[0..2] = %.4f %.4f %.4f\n", bias[0], bias[1], bias[2]);

  digits_destroy(model);
  free(logits);
  free(order);
  free(by);
  free(bx);
  free(x);
  free(y);
  free(xt);
  free(yt);
  return 0;
}
