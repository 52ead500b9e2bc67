/* Drives the model object of `tcnnc -c` for batch_norm_torch.py, on the
 * model `bnnet` (x [4, 2, 5, 5], labels [4]): trains one step on the
 * samples of DIR/x.bin and DIR/y.bin (at most 4), writes every buffer as
 * DIR/lib-NAME.bin, then predicts those samples into DIR/lib-pred.bin.
 * Out-of-range buffer indices must be refused. */
#include "bnnet.h"
#include "driver_files.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  const char *dir = argv[1];
  int n = atoi(argv[2]);
  int64_t nx, ny;
  float *x = slurp(dir, "x.bin", sizeof(float), &nx);
  int64_t *y = slurp(dir, "y.bin", sizeof(int64_t), &ny);
  if (nx < (int64_t)n * BNNET_X_SAMPLE_COUNT || ny < n)
    return 2;
  bnnet_model *m = bnnet_create();
  if (!m || bnnet_train_step(m, x, y, n, NULL, NULL) != 0)
    return 2;
  for (int i = 0; i < BNNET_NUM_BUFFERS; ++i) {
    float values[16];
    if (bnnet_buffer_count(i) > 16 || bnnet_get_buffer(m, i, values) != 0)
      return 2;
    char name[256];
    snprintf(name, sizeof name, "lib-%s.bin", bnnet_buffer_name(i));
    spill(dir, name, values, (size_t)bnnet_buffer_count(i) * sizeof(float));
  }
  float pred[4 * BNNET_OUTPUT_SAMPLE_COUNT];
  if (bnnet_predict(m, x, n, pred) != 0)
    return 2;
  spill(dir, "lib-pred.bin", pred, (size_t)n * BNNET_OUTPUT_SAMPLE_COUNT * sizeof(float));
  float dummy[16];
  printf("refused: %d %d %d; bn.running_var is buffer %d\n",
         bnnet_get_buffer(m, BNNET_NUM_BUFFERS, dummy),
         bnnet_set_buffer(m, -1, dummy), bnnet_buffer_index("nope"),
         bnnet_buffer_index("bn.running_var"));
  bnnet_destroy(m);
  free(x);
  free(y);
  return 0;
}
