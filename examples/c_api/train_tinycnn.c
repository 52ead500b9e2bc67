/* Using a tcnn model as a C library.
 *
 *   tcnnc -c examples/tinycnn.tcnn -o tinycnn      # tinycnn.o + tinycnn.h
 *   cc -I. examples/c_api/train_tinycnn.c tinycnn.o -lm -o train_tinycnn
 *   ./train_tinycnn
 *
 * Starts from the parameters embedded in the model file, evaluates the
 * loss, runs ten SGD steps with the inline tinycnn_train_step, and reads
 * one gradient with tinycnn_grad. */
#include "tinycnn.h"

#include <stdio.h>
#include <string.h>

/* The parameters are trained in place, so they live in writable copies. */
static float conv1_weight[TINYCNN_CONV1_WEIGHT_COUNT], conv1_bias[TINYCNN_CONV1_BIAS_COUNT];
static float conv2_weight[TINYCNN_CONV2_WEIGHT_COUNT], conv2_bias[TINYCNN_CONV2_BIAS_COUNT];
static float conv3_weight[TINYCNN_CONV3_WEIGHT_COUNT], conv3_bias[TINYCNN_CONV3_BIAS_COUNT];
static float conv_out_weight[TINYCNN_CONV_OUT_WEIGHT_COUNT], conv_out_bias[TINYCNN_CONV_OUT_BIAS_COUNT];
static float workspace[TINYCNN_WORKSPACE_COUNT];

#define COPY(name) memcpy(name, tinycnn_data_##name, sizeof name)

int main(void) {
  COPY(conv1_weight); COPY(conv1_bias); COPY(conv2_weight); COPY(conv2_bias);
  COPY(conv3_weight); COPY(conv3_bias); COPY(conv_out_weight); COPY(conv_out_bias);
  const float *x = tinycnn_data_x, *y = tinycnn_data_y;
  float loss, logits[TINYCNN_OUTPUT_COUNT];

  tinycnn_forward(x, y, conv1_weight, conv1_bias, conv2_weight, conv2_bias,
                  conv3_weight, conv3_bias, conv_out_weight, conv_out_bias,
                  TINYCNN_BATCH, &loss, logits);
  printf("initial loss %.6f, logits [%.6f, %.6f]\n", loss, logits[0], logits[1]);

  for (int step = 1; step <= 10; ++step) {
    tinycnn_train_step(x, y, conv1_weight, conv1_bias, conv2_weight, conv2_bias,
                       conv3_weight, conv3_bias, conv_out_weight, conv_out_bias,
                       0.1f, &loss, logits, workspace);
    printf("step %2d: loss %.6f\n", step, loss);
  }

  /* Gradients of the trained model, e.g. dL/d(conv1.bias). */
  float g[TINYCNN_WORKSPACE_COUNT];
  float *gw1 = g, *gb1 = gw1 + TINYCNN_CONV1_WEIGHT_COUNT;
  float *gw2 = gb1 + TINYCNN_CONV1_BIAS_COUNT, *gb2 = gw2 + TINYCNN_CONV2_WEIGHT_COUNT;
  float *gw3 = gb2 + TINYCNN_CONV2_BIAS_COUNT, *gb3 = gw3 + TINYCNN_CONV3_WEIGHT_COUNT;
  float *gwo = gb3 + TINYCNN_CONV3_BIAS_COUNT, *gbo = gwo + TINYCNN_CONV_OUT_WEIGHT_COUNT;
  tinycnn_grad(x, y, conv1_weight, conv1_bias, conv2_weight, conv2_bias,
               conv3_weight, conv3_bias, conv_out_weight, conv_out_bias,
               TINYCNN_BATCH, &loss, logits, gw1, gb1, gw2, gb2, gw3, gb3, gwo, gbo);
  printf("after training: loss %.6f, dL/d(conv1.bias) = [%.6f, %.6f]\n", loss,
         gb1[0], gb1[1]);
  return 0;
}
