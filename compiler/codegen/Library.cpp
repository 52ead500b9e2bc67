//===- Library.cpp - the model object of `tcnnc -c` -----------------------===//
//
// A C library user wants what the executable offers without rewriting its
// loops: a model object that owns its parameters and optimizer state,
// trains one minibatch at a time, predicts and evaluates any number of
// samples, and reads and writes parameters by PyTorch name. It is plain C
// generated per model (sizes and argument lists are known here), compiled
// into the same object as the model's code, and calls nothing but the
// compiled entry points and libc: the update itself is the compiled _sgd or
// _adam.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/ModelInterface.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace tcnnc::codegen;

namespace {
/// The names and sizes the generated declarations and code share.
struct LibraryShape {
  std::string P, U;
  std::vector<const TensorInterface *> data;   ///< inputs, then targets
  std::vector<const TensorInterface *> params;
  std::vector<const TensorInterface *> buffers; ///< running statistics, ...
  /// Rows of one step: the batch, or 1 whole-tensor "sample" when the model
  /// mixes the samples of its batch.
  int64_t rows;
  int64_t outputPerRow;
  /// The class-index target accuracy is measured on, or null.
  const TensorInterface *label = nullptr;

  explicit LibraryShape(const ModelInterface &m)
      : P(m.prefix), U(llvm::StringRef(m.prefix).upper()) {
    for (int role : {0, 1})
      for (const TensorInterface &t : m.args)
        if (t.role == role)
          data.push_back(&t);
    for (const TensorInterface &t : m.args)
      if (t.role == 2)
        params.push_back(&t);
      else if (t.role == 3)
        buffers.push_back(&t);
    rows = m.batch > 0 ? m.batch : 1;
    outputPerRow = m.outputCount / rows;
    if (m.outputShape.size() == 2)
      for (const TensorInterface *t : data)
        if (t->role == 1 && t->isInt64 && t->shape.size() == 1 &&
            t->shape[0] == m.outputShape[0] && m.batch > 0) {
          label = t;
          break;
        }
  }
  int64_t perRow(const TensorInterface &t) const { return t.count / rows; }
  /// The C parameter name of a data argument: its C name, unless that is
  /// one of the generated code's own names.
  static std::string arg(const TensorInterface &t) {
    static const char *const taken[] = {
        "m",   "n",    "k",     "l",     "r",     "c",        "o",
        "first", "row", "best", "loss", "output", "accuracy", "total",
        "hits", "next", "arrays", "values", "i", "a", "model"};
    for (const char *name : taken)
      if (t.cname == name)
        return t.cname + "_data";
    return t.cname;
  }
  /// `const float *x, const int64_t *labels, ` for the data arguments of
  /// `role` (-1: all).
  std::string dataParams(int role = -1) const {
    std::string s;
    for (const TensorInterface *t : data)
      if (role < 0 || t->role == role)
        s += std::string("const ") + t->ctype() + " *" + arg(*t) + ", ";
    return s;
  }
};
} // namespace

std::string tcnnc::codegen::generateLibraryDeclarations(const ModelInterface &m) {
  LibraryShape L(m);
  std::string s;
  llvm::raw_string_ostream os(s);
  const std::string &P = L.P, &U = L.U;
  os << "/* ---- The model object: training on data sets, prediction ----\n"
     << " * Data are `n` samples one after the other, each of the counts "
        "below";
  if (m.batch == 0)
    os << ";\n * this model mixes the samples of its batch, so a \"sample\" "
          "is the\n * whole tensor and a step takes n = 1";
  os << ".\n * Functions returning int give 0, or -1 for an argument out of "
        "range. */\n";
  for (const TensorInterface *t : L.data)
    os << "#define " << macroStem(m, *t) << "_SAMPLE_COUNT " << L.perRow(*t)
       << "\n";
  os << "#define " << U << "_OUTPUT_SAMPLE_COUNT " << L.outputPerRow << "\n"
     << "/* Samples one training step takes at most. */\n#define " << U
     << "_STEP_SAMPLES " << L.rows << "\n#define " << U << "_NUM_PARAMS "
     << L.params.size() << "\n\n"
     << "typedef struct " << P << "_model " << P << "_model;\n\n";
  if (m.hasLoss)
    os << "/* torch.optim.SGD (adam = 0) or torch.optim.Adam (adam = 1). */\n"
     << "typedef struct {\n  int32_t adam;\n  float lr, weight_decay;\n"
     << "  float momentum;\n  int32_t nesterov; /* SGD */\n"
     << "  float beta1, beta2, eps;     /* Adam */\n} " << P
     << "_optimizer;\n\n"
     << "/* The model file's optimizer (SGD with lr 0.01 if it names none). */\n"
     << P << "_optimizer " << P << "_default_optimizer(void);\n\n"
     << "/* A model holding the parameters embedded in the model file and the\n"
       << " * default optimizer with fresh state; NULL when out of memory. */\n";
  else
    os << "/* A model holding the parameters embedded in the model file;\n"
       << " * NULL when out of memory. */\n";
  os << P << "_model *" << P << "_create(void);\n"
     << "void " << P << "_destroy(" << P << "_model *model);\n\n";
  if (m.hasLoss)
    os << "/* Replaces the optimizer and clears its state (momentum buffers,\n"
       << " * Adam's moments and step count). */\n"
       << "void " << P << "_set_optimizer(" << P << "_model *model, const "
       << P << "_optimizer *optimizer);\n\n";
  os << "/* Parameters by PyTorch name (\"conv1.weight\") or index, copied in\n"
     << " * or out ("
     << U << "_<NAME>_COUNT floats). */\n"
     << "const char *" << P << "_param_name(int index);\n"
     << "int64_t " << P << "_param_count(int index);\n"
     << "int " << P << "_param_index(const char *name); /* -1 if unknown */\n"
     << "int " << P << "_get_param(const " << P
     << "_model *model, int index, float *values);\n"
     << "int " << P << "_set_param(" << P
     << "_model *model, int index, const float *values);\n\n"
     << "/* Buffers (BatchNorm's running statistics, Dropout's generator) by\n"
     << " * PyTorch name (\"bn1.running_mean\") or index: count elements of\n"
     << " * their type, float (int64_t for a generator). Training steps\n"
     << " * update them; predict and evaluate read them. */\n"
     << "#define " << U << "_NUM_BUFFERS " << L.buffers.size() << "\n"
     << "const char *" << P << "_buffer_name(int index);\n"
     << "int64_t " << P << "_buffer_count(int index);\n"
     << "int " << P << "_buffer_index(const char *name); /* -1 if unknown */\n"
     << "int " << P << "_get_buffer(const " << P
     << "_model *model, int index, void *values);\n"
     << "int " << P << "_set_buffer(" << P
     << "_model *model, int index, const void *values);\n\n";
  auto predict = [&] {
    os << "/* The forward pass on any number of samples (n >= 0), in steps "
          "of\n * "
       << U << "_STEP_SAMPLES: writes n * " << U
       << "_OUTPUT_SAMPLE_COUNT floats. */\n"
       << "int " << P << "_predict(" << P << "_model *model, "
       << L.dataParams(0) << "int64_t n,\n    float *output);\n\n";
  };
  if (!m.hasLoss) {
    predict();
    return s;
  }
  os << "/* One optimizer step on n samples, 1 <= n <= " << U
     << "_STEP_SAMPLES: the\n"
     << " * loss is their " << (m.lossIsSum ? "sum" : "mean")
     << ", as for a batch of n. `loss` and `output`\n"
     << " * (n * " << U
     << "_OUTPUT_SAMPLE_COUNT floats, before the step) may be NULL. */\n"
     << "int " << P << "_train_step(" << P << "_model *model, "
     << L.dataParams() << "int64_t n,\n    float *loss, float *output);\n\n";
  predict();
  os << "/* The loss per sample over n >= 1 samples"
     << (m.lossIsSum ? " (the losses' sum over n)" : "")
     << ", forward only; `accuracy` gets\n"
     << " * the fraction of samples whose largest output is their class";
  if (!L.label)
    os << "\n * (-1: this model has no class-index target)";
  os << ". Either may be NULL. */\n"
     << "int " << P << "_evaluate(" << P << "_model *model, " << L.dataParams()
     << "int64_t n,\n    float *loss, float *accuracy);\n\n";
  return s;
}

std::string tcnnc::codegen::generateLibrarySource(const ModelInterface &m,
                                                  const std::string &header) {
  LibraryShape L(m);
  std::string s;
  llvm::raw_string_ostream os(s);
  const std::string &P = L.P, &U = L.U;
  size_t np = L.params.size();
  os << "/* The model object of '" << m.name
     << "' (" << header << "), generated by tcnnc. */\n#include \"" << header
     << "\"\n\n#include <stdlib.h>\n#include <string.h>\n\n"
     << "#define NP " << np << "\n#define ROWS " << L.rows << "\n\n";
  // Tables of the parameters and the buffers, each sized at least 1 for a
  // model without any.
  auto table = [&](const char *decl,
                   const std::vector<const TensorInterface *> &tensors,
                   llvm::function_ref<void(const TensorInterface &)> cell) {
    os << "static const " << decl << "["
       << std::max<size_t>(tensors.size(), 1) << "] = {";
    for (const TensorInterface *t : tensors) {
      cell(*t);
      os << ", ";
    }
    os << "};\n";
  };
  auto name = [&](const TensorInterface &t) { os << "\"" << t.name << "\""; };
  auto count = [&](const TensorInterface &t) { os << t.count; };
  auto init = [&](const TensorInterface &t) {
    os << P << "_data_" << t.cname;
  };
  table("char *const param_names", L.params, name);
  table("int64_t param_counts", L.params, count);
  table("float *const param_init", L.params, init);
  size_t nb = L.buffers.size();
  os << "\n#define NB " << nb << "\n";
  table("char *const buffer_names", L.buffers, name);
  table("int64_t buffer_bytes", L.buffers, [&](const TensorInterface &t) {
    os << t.count * (t.isInt64 ? 8 : 4);
  });
  table("int64_t buffer_counts", L.buffers, count);
  table("void *const buffer_init", L.buffers, init);
  os << "\n";

  // The object: parameters, gradients, optimizer state and the spare
  // buffers the compiled step writes (its results must not alias its
  // inputs), then one step's worth of every data argument and the output.
  os << "struct " << P << "_model {\n"
     << "  float *p[NP + 1], *g[NP + 1], *s0[NP + 1], *s1[NP + 1];\n"
     << "  float *n0[NP + 1], *n1[NP + 1], *n2[NP + 1];\n"
     << "  void *b[NB + 1], *nb[NB + 1]; /* buffers, their next values */\n"
     << "  float *block;\n";
  if (m.hasLoss)
    os << "  " << P << "_optimizer opt;\n  int64_t steps;\n";
  for (const TensorInterface *t : L.data)
    os << "  " << t->ctype() << " *in_" << t->cname << ";\n";
  os << "  float *output;\n};\n\n";

  if (m.hasLoss)
    os << P << "_optimizer " << P << "_default_optimizer(void) {\n  " << P
     << "_optimizer o;\n  memset(&o, 0, sizeof o);\n"
     << "  o.adam = " << (m.optimizerKind == "adam") << ";\n"
     << llvm::formatv("  o.lr = {0:e9}f;\n  o.weight_decay = {1:e9}f;\n"
                      "  o.momentum = {2:e9}f;\n  o.nesterov = {3};\n"
                      "  o.beta1 = {4:e9}f;\n  o.beta2 = {5:e9}f;\n"
                      "  o.eps = {6:e9}f;\n",
                      m.lr, m.weightDecay, m.momentum, int(m.nesterov),
                      m.beta1, m.beta2, m.eps)
     << "  return o;\n}\n\n";

  os << "void " << P << "_destroy(" << P << "_model *m) {\n"
     << "  if (!m)\n    return;\n  free(m->block);\n"
     << "  for (int k = 0; k < NB; ++k) {\n    free(m->b[k]);\n"
     << "    free(m->nb[k]);\n  }\n";
  for (const TensorInterface *t : L.data)
    os << "  free(m->in_" << t->cname << ");\n";
  os << "  free(m->output);\n  free(m);\n}\n\n";

  int64_t total = 0;
  for (const TensorInterface *t : L.params)
    total += t->count;
  // Parameters, gradients, two optimizer states and three spare results
  // to train; the parameters alone to predict.
  int arrays = m.hasLoss ? 7 : 1;
  os << P << "_model *" << P << "_create(void) {\n  " << P
     << "_model *m = calloc(1, sizeof *m);\n  if (!m)\n    return NULL;\n"
     << "  m->block = calloc(" << arrays * total + 1
     << ", sizeof(float));\n";
  for (const TensorInterface *t : L.data)
    os << "  m->in_" << t->cname << " = calloc(" << t->count << ", sizeof("
       << t->ctype() << "));\n";
  os << "  m->output = calloc(" << m.outputCount << ", sizeof(float));\n"
     << "  if (!m->block || !m->output";
  for (const TensorInterface *t : L.data)
    os << " || !m->in_" << t->cname;
  os << ") {\n    " << P << "_destroy(m);\n    return NULL;\n  }\n"
     << "  for (int k = 0; k < NB; ++k) {\n"
     << "    m->b[k] = malloc(buffer_bytes[k]);\n"
     << "    m->nb[k] = malloc(buffer_bytes[k]);\n"
     << "    if (!m->b[k] || !m->nb[k]) {\n      " << P
     << "_destroy(m);\n      return NULL;\n    }\n"
     << "    memcpy(m->b[k], buffer_init[k], buffer_bytes[k]);\n  }\n"
     << "  float *next = m->block;\n"
     << "  float **arrays[7] = {m->p, m->g, m->s0, m->s1, m->n0, m->n1, "
        "m->n2};\n"
     << "  for (int a = 0; a < " << arrays
     << "; ++a)\n    for (int k = 0; k < NP; ++k) {\n"
     << "      arrays[a][k] = next;\n      next += param_counts[k];\n    }\n"
     << "  for (int k = 0; k < NP; ++k)\n"
     << "    memcpy(m->p[k], param_init[k], param_counts[k] * "
        "sizeof(float));\n"
     << (m.hasLoss ? "  m->opt = " + P + "_default_optimizer();\n" : "")
     << "  return m;\n}\n\n";

  if (m.hasLoss)
    os << "void " << P << "_set_optimizer(" << P << "_model *m, const " << P
     << "_optimizer *o) {\n  m->opt = *o;\n  m->steps = 0;\n"
     << "  for (int k = 0; k < NP; ++k) {\n"
     << "    memset(m->s0[k], 0, param_counts[k] * sizeof(float));\n"
     << "    memset(m->s1[k], 0, param_counts[k] * sizeof(float));\n  }\n}\n\n";

  os << "const char *" << P << "_param_name(int i) {\n"
     << "  return i >= 0 && i < NP ? param_names[i] : NULL;\n}\n\n"
     << "int64_t " << P << "_param_count(int i) {\n"
     << "  return i >= 0 && i < NP ? param_counts[i] : 0;\n}\n\n"
     << "int " << P << "_param_index(const char *name) {\n"
     << "  for (int i = 0; name && i < NP; ++i)\n"
     << "    if (!strcmp(name, param_names[i]))\n      return i;\n"
     << "  return -1;\n}\n\n"
     << "int " << P << "_get_param(const " << P
     << "_model *m, int i, float *values) {\n"
     << "  if (i < 0 || i >= NP)\n    return -1;\n"
     << "  memcpy(values, m->p[i], param_counts[i] * sizeof(float));\n"
     << "  return 0;\n}\n\n"
     << "int " << P << "_set_param(" << P
     << "_model *m, int i, const float *values) {\n"
     << "  if (i < 0 || i >= NP)\n    return -1;\n"
     << "  memcpy(m->p[i], values, param_counts[i] * sizeof(float));\n"
     << "  return 0;\n}\n\n"
     << "const char *" << P << "_buffer_name(int i) {\n"
     << "  return i >= 0 && i < NB ? buffer_names[i] : NULL;\n}\n\n"
     << "int64_t " << P << "_buffer_count(int i) {\n"
     << "  return i >= 0 && i < NB ? buffer_counts[i] : 0;\n}\n\n"
     << "int " << P << "_buffer_index(const char *name) {\n"
     << "  for (int i = 0; name && i < NB; ++i)\n"
     << "    if (!strcmp(name, buffer_names[i]))\n      return i;\n"
     << "  return -1;\n}\n\n"
     << "int " << P << "_get_buffer(const " << P
     << "_model *m, int i, void *values) {\n"
     << "  if (i < 0 || i >= NB)\n    return -1;\n"
     << "  memcpy(values, m->b[i], buffer_bytes[i]);\n  return 0;\n}\n\n"
     << "int " << P << "_set_buffer(" << P
     << "_model *m, int i, const void *values) {\n"
     << "  if (i < 0 || i >= NB)\n    return -1;\n"
     << "  memcpy(m->b[i], values, buffer_bytes[i]);\n  return 0;\n}\n\n";

  // Copies samples [first, first + n) into the step buffers, zeros in the
  // padding rows; an argument passed as NULL (the targets, when
  // predicting) is all zeros.
  os << "static void load(" << P << "_model *m, " << L.dataParams()
     << "int64_t first, int64_t n) {\n";
  for (const TensorInterface *t : L.data) {
    std::string c = L.arg(*t), ty = t->ctype();
    int64_t per = L.perRow(*t);
    os << "  if (" << c << ")\n    memcpy(m->in_" << t->cname << ", " << c
       << " + first * " << per << ", n * " << per << " * sizeof(" << ty
       << "));\n  memset(m->in_" << t->cname << " + (" << c << " ? n * " << per
       << " : 0), 0, ((" << c << " ? ROWS - n : ROWS) * " << per
       << ") * sizeof(" << ty << "));\n";
  }
  os << "}\n\n";

  auto entryArgs = [&] {
    std::string a;
    for (const TensorInterface &t : m.args)
      a += (t.role == 2   ? "m->p[" + std::to_string(
                                std::find(L.params.begin(), L.params.end(),
                                          &t) -
                                L.params.begin()) +
                                "]"
            : t.role == 3 ? "m->b[" + std::to_string(
                                std::find(L.buffers.begin(), L.buffers.end(),
                                          &t) -
                                L.buffers.begin()) +
                                "]"
                          : "m->in_" + t.cname) +
           ", ";
    return a;
  };
  auto perParam = [&](std::initializer_list<const char *> arrays) {
    std::string a;
    for (const char *array : arrays)
      for (size_t k = 0; k < np; ++k)
        a += std::string(", m->") + array + "[" + std::to_string(k) + "]";
    return a;
  };
  // `valid` is the count of real rows (the C variable `rows`); a model that
  // mixes its samples always takes its whole batch.
  auto valid = [&](const char *rows) { return m.batch > 0 ? rows : "1"; };

  // Forward over every sample, one step of at most ROWS at a time.
  os << "int " << P << "_predict(" << P << "_model *m, " << L.dataParams(0)
     << "int64_t n,\n    float *output) {\n"
     << "  if (n < 0)\n    return -1;\n"
     << "  for (int64_t first = 0; first < n; first += ROWS) {\n"
     << "    int64_t k = n - first < ROWS ? n - first : ROWS;\n    load(m, ";
  for (const TensorInterface *t : L.data)
    os << (t->role == 0 ? L.arg(*t) : "NULL") << ", ";
  os << "first, k);\n    " << (m.hasLoss ? "float l;\n    " : "") << P
     << "_forward(" << entryArgs() << valid("k")
     << (m.hasLoss ? ", &l" : "") << ", m->output);\n"
     << "    memcpy(output + first * " << L.outputPerRow
     << ", m->output, k * " << L.outputPerRow
     << " * sizeof(float));\n  }\n  return 0;\n}\n\n";
  if (!m.hasLoss)
    return s;

  os << "static void swap(float **a, float **b) {\n"
     << "  for (int k = 0; k < NP; ++k) {\n    float *t = a[k];\n"
     << "    a[k] = b[k];\n    b[k] = t;\n  }\n}\n\n";
  std::string sgdArgs = perParam({"p", "g", "s0"}),
              adamArgs = perParam({"p", "g", "s0", "s1"});
  os << "int " << P << "_train_step(" << P << "_model *m, " << L.dataParams()
     << "int64_t n, float *loss,\n    float *output) {\n"
     << "  if (n < 1 || n > ROWS)\n    return -1;\n  load(m, ";
  for (const TensorInterface *t : L.data)
    os << L.arg(*t) << ", ";
  os << "0, n);\n  float l;\n  " << P << "_grad(" << entryArgs() << valid("n")
     << ", &l, m->output";
  for (size_t k = 0; k < nb; ++k)
    os << ", m->nb[" << k << "]";
  os << perParam({"g"}) << ");\n"
     << "  for (int k = 0; k < NB; ++k) {\n    void *t = m->b[k];\n"
     << "    m->b[k] = m->nb[k];\n    m->nb[k] = t;\n  }\n"
     << "  const " << P << "_optimizer *o = &m->opt;\n  ++m->steps;\n"
     << "  if (o->adam) {\n    " << P << "_adam("
     << llvm::StringRef(adamArgs).drop_front(2)
     << (np ? ", " : "")
     << "o->lr, o->beta1, o->beta2, o->eps,\n        o->weight_decay, "
        "m->steps"
     << perParam({"n0", "n1", "n2"}) << ");\n"
     << "    swap(m->s1, m->n2);\n  } else {\n    " << P << "_sgd("
     << llvm::StringRef(sgdArgs).drop_front(2) << (np ? ", " : "")
     << "o->lr, o->momentum, o->weight_decay,\n        o->nesterov"
     << perParam({"n0", "n1"}) << ");\n  }\n"
     << "  swap(m->p, m->n0);\n  swap(m->s0, m->n1);\n"
     << "  if (loss)\n    *loss = l;\n  if (output)\n"
     << "    memcpy(output, m->output, n * " << L.outputPerRow
     << " * sizeof(float));\n  return 0;\n}\n\n";

  os << "int " << P << "_evaluate(" << P << "_model *m, " << L.dataParams()
     << "int64_t n,\n    float *loss, float *accuracy) {\n"
     << "  if (n < 1)\n    return -1;\n"
     << "  double total = 0;\n"
     << (L.label ? "  int64_t hits = 0;\n" : "")
     << "  for (int64_t first = 0; first < n; first += ROWS) {\n"
     << "    int64_t k = n - first < ROWS ? n - first : ROWS;\n    load(m, ";
  for (const TensorInterface *t : L.data)
    os << L.arg(*t) << ", ";
  os << "first, k);\n    float l;\n    " << P << "_forward(" << entryArgs()
     << valid("k") << ", &l, m->output);\n"
     << (m.lossIsSum ? "    total += l;\n" : "    total += (double)l * k;\n");
  if (L.label) {
    int64_t classes = m.outputShape[1];
    os << "    for (int64_t r = 0; r < k; ++r) {\n"
       << "      const float *row = m->output + r * " << classes << ";\n"
       << "      int64_t best = 0;\n"
       << "      for (int64_t c = 1; c < " << classes << "; ++c)\n"
       << "        if (row[c] > row[best])\n          best = c;\n"
       << "      hits += best == m->in_" << L.label->cname << "[r];\n    }\n";
  }
  os << "  }\n  if (loss)\n    *loss = (float)(total / n);\n"
     << "  if (accuracy)\n    *accuracy = "
     << (L.label ? "(float)((double)hits / n)" : "-1.0f")
     << ";\n  return 0;\n}\n";
  return s;
}
