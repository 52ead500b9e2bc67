/*===- state.c - the buffers of a running model ---------------------------===*/

#include "internal.h"

#include <stdlib.h>
#include <string.h>

int tcnn_find_arg(const tcnn_model *m, const char *name) {
  for (int i = 0; i < m->num_args; ++i)
    if (strcmp(m->args[i].name, name) == 0)
      return i;
  return -1;
}

static size_t bytes_of(const tcnn_tensor_info *t) {
  return (size_t)t->count * (t->is_int64 ? 8 : 4);
}

/* One zeroed buffer per parameter. */
static float **param_buffers(const tcnn_state *s) {
  float **b = calloc((size_t)s->num_params + 1, sizeof(float *));
  for (int k = 0; b && k < s->num_params; ++k) {
    b[k] = calloc((size_t)s->m->args[s->param_index[k]].count, sizeof(float));
    if (!b[k])
      return b; /* released with the rest */
  }
  return b;
}

static int complete(float **b, int n) {
  if (!b)
    return 0;
  for (int k = 0; k < n; ++k)
    if (!b[k])
      return 0;
  return 1;
}

int tcnn_state_init(tcnn_state *s, const tcnn_model *m) {
  memset(s, 0, sizeof *s);
  s->m = m;
  s->opt = m->optimizer;
  s->args = calloc((size_t)m->num_args, sizeof(void *));
  s->param_index = calloc((size_t)m->num_args + 1, sizeof(int));
  s->buffer_index = calloc((size_t)m->num_args + 1, sizeof(int));
  s->next_buffers = calloc((size_t)m->num_args + 1, sizeof(void *));
  s->output = calloc((size_t)m->output_count, sizeof(float));
  if (!s->args || !s->param_index || !s->output || !s->buffer_index ||
      !s->next_buffers)
    return -1;
  for (int i = 0; i < m->num_args; ++i) {
    const tcnn_tensor_info *t = &m->args[i];
    s->args[i] = malloc(bytes_of(t));
    if (!s->args[i])
      return -1;
    memcpy(s->args[i], t->data, bytes_of(t));
    if (t->role == TCNN_PARAM)
      s->param_index[s->num_params++] = i;
    if (t->role == TCNN_BUFFER) {
      s->buffer_index[s->num_buffers] = i;
      s->next_buffers[s->num_buffers] = malloc(bytes_of(t));
      if (!s->next_buffers[s->num_buffers++])
        return -1;
    }
  }
  s->grads = param_buffers(s);
  s->params = calloc((size_t)s->num_params + 1, sizeof(float *));
  for (int j = 0; j < 2; ++j)
    s->opt_state[j] = param_buffers(s);
  for (int j = 0; j < 3; ++j)
    s->spare[j] = param_buffers(s);
  if (!complete(s->grads, s->num_params) || !s->params)
    return -1;
  for (int j = 0; j < 2; ++j)
    if (!complete(s->opt_state[j], s->num_params))
      return -1;
  for (int j = 0; j < 3; ++j)
    if (!complete(s->spare[j], s->num_params))
      return -1;
  return 0;
}

void tcnn_forward(tcnn_state *s, int64_t valid) {
  s->m->forward(s->args, valid, &s->loss, s->output);
}

void tcnn_grad(tcnn_state *s, int64_t valid, int keep) {
  s->m->grad(s->args, valid, &s->loss, s->output, s->next_buffers, s->grads);
  for (int k = 0; keep && k < s->num_buffers; ++k) {
    void *t = s->args[s->buffer_index[k]];
    s->args[s->buffer_index[k]] = s->next_buffers[k];
    s->next_buffers[k] = t;
  }
}

void tcnn_state_restore_data(tcnn_state *s) {
  for (int i = 0; i < s->m->num_args; ++i)
    if (s->m->args[i].role == TCNN_INPUT || s->m->args[i].role == TCNN_TARGET)
      memcpy(s->args[i], s->m->args[i].data, bytes_of(&s->m->args[i]));
}

static void free_buffers(float **b, int n) {
  for (int k = 0; b && k < n; ++k)
    free(b[k]);
  free(b);
}

void tcnn_state_release(tcnn_state *s) {
  for (int i = 0; s->args && i < s->m->num_args; ++i)
    free(s->args[i]);
  free(s->args);
  free_buffers(s->grads, s->num_params);
  for (int j = 0; j < 2; ++j)
    free_buffers(s->opt_state[j], s->num_params);
  for (int j = 0; j < 3; ++j)
    free_buffers(s->spare[j], s->num_params);
  for (int k = 0; s->next_buffers && k < s->num_buffers; ++k)
    free(s->next_buffers[k]);
  free(s->next_buffers);
  free(s->buffer_index);
  free(s->params);
  free(s->param_index);
  free(s->output);
}
