/* The C library of the no-loss model `net`: create, predict the embedded
 * input (two samples) and write the outputs as raw float32 to argv[1]. */
#include "net.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  net_model *m = net_create();
  if (!m)
    return 1;
  float out[NET_OUTPUT_COUNT];
  if (net_predict(m, net_data_x, 2, out) != 0)
    return 1;
  net_destroy(m);
  FILE *f = fopen(argv[1], "wb");
  if (!f || fwrite(out, sizeof out, 1, f) != 1)
    return 1;
  return fclose(f) == 0 ? 0 : 1;
}
