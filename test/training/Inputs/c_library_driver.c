/* Drives the model object of `tcnnc -c` for c_library_torch.py, on the
 * model `cnn` (x [8, 1, 8, 8], labels [8]): sets the parameters from
 * DIR/init/NAME.bin, trains EPOCHS epochs in file order with the given
 * optimizer, writes DIR/out/NAME.bin, predicts and evaluates DIR/xe.bin.
 *
 *   driver DIR EPOCHS sgd LR MOMENTUM WEIGHT_DECAY NESTEROV
 *   driver DIR EPOCHS adam LR BETA1 BETA2 EPS WEIGHT_DECAY
 *
 * Raw little-endian float32 / int64 files; the sample count comes from
 * the file size. */
#include "cnn.h"
#include "driver_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 4)
    return 2;
  const char *dir = argv[1];
  int epochs = atoi(argv[2]);
  cnn_model *m = cnn_create();
  if (!m)
    return 2;

  char name[256];
  for (int i = 0; i < CNN_NUM_PARAMS; ++i) {
    int64_t count;
    snprintf(name, sizeof name, "init/%s.bin", cnn_param_name(i));
    float *values = slurp(dir, name, sizeof(float), &count);
    if (count != cnn_param_count(i) ||
        cnn_set_param(m, cnn_param_index(cnn_param_name(i)), values) != 0)
      return 3;
    free(values);
  }

  cnn_optimizer o = cnn_default_optimizer();
  if (!strcmp(argv[3], "sgd") && argc == 8) {
    o.adam = 0;
    o.lr = atof(argv[4]);
    o.momentum = atof(argv[5]);
    o.weight_decay = atof(argv[6]);
    o.nesterov = atoi(argv[7]);
  } else if (!strcmp(argv[3], "adam") && argc == 9) {
    o.adam = 1;
    o.lr = atof(argv[4]);
    o.beta1 = atof(argv[5]);
    o.beta2 = atof(argv[6]);
    o.eps = atof(argv[7]);
    o.weight_decay = atof(argv[8]);
  } else {
    return 2;
  }
  cnn_set_optimizer(m, &o);

  int64_t nx, n;
  float *x = slurp(dir, "x.bin", sizeof(float), &nx);
  int64_t *y = slurp(dir, "y.bin", sizeof(int64_t), &n);
  for (int e = 1; e <= epochs; ++e) {
    double total = 0;
    for (int64_t first = 0; first < n; first += CNN_STEP_SAMPLES) {
      int64_t k = n - first < CNN_STEP_SAMPLES ? n - first : CNN_STEP_SAMPLES;
      float loss, out[CNN_OUTPUT_COUNT];
      if (cnn_train_step(m, x + first * CNN_X_SAMPLE_COUNT, y + first, k,
                         &loss, out) != 0)
        return 4;
      total += (double)loss * k;
    }
    printf("epoch %d: loss %.9g\n", e, total / n);
  }

  for (int i = 0; i < CNN_NUM_PARAMS; ++i) {
    float *values = malloc(sizeof(float) * cnn_param_count(i));
    if (!values || cnn_get_param(m, i, values) != 0)
      return 5;
    snprintf(name, sizeof name, "out/%s.bin", cnn_param_name(i));
    spill(dir, name, values, sizeof(float) * cnn_param_count(i));
    free(values);
  }

  int64_t nex, ne;
  float *xe = slurp(dir, "xe.bin", sizeof(float), &nex);
  int64_t *ye = slurp(dir, "ye.bin", sizeof(int64_t), &ne);
  float *pred = malloc(sizeof(float) * ne * CNN_OUTPUT_SAMPLE_COUNT);
  float loss, accuracy;
  if (!pred || cnn_predict(m, xe, ne, pred) != 0 ||
      cnn_evaluate(m, xe, ye, ne, &loss, &accuracy) != 0)
    return 6;
  spill(dir, "pred.bin", pred, sizeof(float) * ne * CNN_OUTPUT_SAMPLE_COUNT);
  printf("eval: loss %.9g, accuracy %.9g\n", loss, accuracy);

  /* Arguments out of range are refused, and change nothing. */
  float p0[CNN_CONV1_BIAS_COUNT];
  printf("refused: %d %d %d %d %d %d\n",
         cnn_train_step(m, x, y, 0, NULL, NULL),
         cnn_train_step(m, x, y, CNN_STEP_SAMPLES + 1, NULL, NULL),
         cnn_param_index("conv1.nope"), cnn_get_param(m, -1, p0),
         cnn_set_param(m, CNN_NUM_PARAMS, p0), cnn_evaluate(m, xe, ye, 0, NULL, NULL));
  cnn_destroy(m);
  return 0;
}
