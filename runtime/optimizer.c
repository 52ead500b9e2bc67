/*===- optimizer.c - the compiled optimizer steps, driven -----------------===*
 *
 * The update itself is compiled code (the model's _sgd and _adam
 * functions, lowered like the rest of a step); this file owns their
 * state and swaps the result buffers in.
 *
 *===----------------------------------------------------------------------===*/

#include "internal.h"

const char *tcnn_optimizer_name(const tcnn_state *s) {
  return s->opt.adam ? "Adam" : "SGD";
}

static void swap_in(tcnn_state *s, float **current, float **spare) {
  for (int k = 0; k < s->num_params; ++k) {
    float *t = current[k];
    current[k] = spare[k];
    spare[k] = t;
  }
}

void tcnn_optimizer_step(tcnn_state *s) {
  const tcnn_model *m = s->m;
  const tcnn_optimizer_config *o = &s->opt;
  for (int k = 0; k < s->num_params; ++k)
    s->params[k] = s->args[s->param_index[k]];
  ++s->steps;
  if (o->adam)
    m->adam(s->params, s->grads, s->opt_state[0], s->opt_state[1],
            (float)o->lr, (float)o->beta1, (float)o->beta2, (float)o->eps,
            (float)o->weight_decay, s->steps, s->spare[0], s->spare[1],
            s->spare[2]);
  else
    m->sgd(s->params, s->grads, s->opt_state[0], (float)o->lr,
           (float)o->momentum, (float)o->weight_decay, o->nesterov,
           s->spare[0], s->spare[1]);
  swap_in(s, s->params, s->spare[0]);
  for (int k = 0; k < s->num_params; ++k)
    s->args[s->param_index[k]] = s->params[k];
  swap_in(s, s->opt_state[0], s->spare[1]);
  if (o->adam)
    swap_in(s, s->opt_state[1], s->spare[2]);
}
