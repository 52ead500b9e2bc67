//===- OnnxLayers.cpp - ONNX nodes as tcnn layers -------------------------===//
//
// One translation per ONNX op type, found in a table by the op's name: each
// reads its node's attributes and constant inputs and adds the layer that
// computes the same (PyTorch's layer with PyTorch's keywords), or refuses
// the node with a message that names it.
//
//===----------------------------------------------------------------------===//

#include "compiler/importers/Translate.h"

#include <cctype>
#include <cstdlib>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

using namespace tcnnc;
using namespace tcnnc::import;
using onnx::Constant;
using onnx::Graph;
using onnx::Node;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// A float as the model file writes it: the shortest form that reads
/// back as the same float32.
std::string str(double v) {
  float f = static_cast<float>(v);
  std::string s;
  for (int digits = 6; digits <= 9; ++digits) {
    std::ostringstream os;
    os.precision(digits);
    os << f;
    s = os.str();
    if (std::strtof(s.c_str(), nullptr) == f)
      break;
  }
  if (s.find_first_of(".e") == std::string::npos)
    s += ".0";
  return s;
}

/// `k` for a square pair, `(h, w)` otherwise.
std::string pair(int64_t h, int64_t w) {
  return h == w ? str(h) : "(" + str(h) + ", " + str(w) + ")";
}

/// Words the model language reads as statements when they start a line.
bool isKeyword(const std::string &s) {
  static const std::set<std::string> words = {
      "model", "seed", "input", "target", "optimizer", "sequential"};
  return words.count(s);
}

/// `s` as a tcnn name: other characters become '_', a leading digit gets
/// a '_' in front, keywords a '_' behind.
std::string identifier(const std::string &s) {
  std::string id;
  for (char c : s)
    id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  while (id.find("__") != std::string::npos)
    id.erase(id.find("__"), 1);
  while (!id.empty() && id.back() == '_')
    id.pop_back();
  while (!id.empty() && id.front() == '_')
    id.erase(0, 1);
  if (id.empty())
    return id;
  if (std::isdigit(static_cast<unsigned char>(id[0])))
    id = "v" + id;
  if (isKeyword(id))
    id += "_";
  return id;
}

std::string lowercase(const std::string &s) {
  std::string lower;
  for (char c : s)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

class Translator;
using Translation = std::function<bool(Translator &, const Node &)>;

class Translator {
public:
  Translator(const Graph &graph, Model &model, std::string &error)
      : graph(graph), model(model), error(error) {
    for (const Node &n : graph.nodes)
      for (const std::string &in : n.inputs)
        ++uses[in];
    for (const std::string &out : graph.outputs)
      ++uses[out];
  }

  bool run();

  // What translations use.
  const Graph &graph;
  bool fail(const Node &n, const std::string &why) {
    error = n.label() + ": " + why;
    return false;
  }
  /// The tcnn value an ONNX value is, or fails naming the node.
  bool value(const Node &n, size_t input, std::string &out);
  const Constant *constant(const Node &n, size_t input) const {
    return input < n.inputs.size() && !n.inputs[input].empty()
               ? graph.constant(n.inputs[input])
               : nullptr;
  }
  const std::vector<int64_t> *shapeOf(const Node &n, size_t input) const {
    return input < n.inputs.size() ? graph.shape(n.inputs[input]) : nullptr;
  }
  /// A new layer for `n`, named after its module path when it has one.
  /// `suffix` names a helper layer of the node's module ("_pad").
  Layer &add(const Node &n, const std::string &kind,
             const std::string &paramName = "",
             const std::string &suffix = "");
  /// Stores `data` as the layer's parameter `param` (file named after the
  /// ONNX initializer when that name is a PyTorch one).
  void param(Layer &layer, const std::string &param, const std::string &onnx,
             TensorData data);
  void produce(const Node &n, const Layer &layer) {
    values[n.outputs[0]] = layer.name;
  }
  /// The layer that computes `n`'s output from `inputs`: `add`, then
  /// `produce`. The caller fills in its arguments and parameters.
  Layer &layerFor(const Node &n, const std::string &kind,
                  std::vector<std::string> inputs,
                  const std::string &paramName = "") {
    Layer &layer = add(n, kind, paramName);
    layer.inputs = std::move(inputs);
    produce(n, layer);
    return layer;
  }
  void alias(const Node &n, const std::string &value) {
    values[n.outputs[0]] = value;
  }
  /// Whether output `k` of `n` is read by anything.
  bool used(const Node &n, size_t k) const {
    return k < n.outputs.size() && !n.outputs[k].empty() &&
           uses.count(n.outputs[k]);
  }
  /// The only node reading `value`, if exactly one does.
  const Node *soleReader(const std::string &value) const;
  void skip(const Node &n) { skipped.insert(&n); }
  std::string lookup(const std::string &onnxValue) const {
    auto it = values.find(onnxValue);
    return it == values.end() ? std::string() : it->second;
  }

private:
  std::string uniqueName(std::string base);

  Model &model;
  std::string &error;
  std::map<std::string, std::string> values;
  std::map<std::string, int> uses;
  std::set<std::string> names;
  std::map<std::string, int> counters;
  std::set<const Node *> skipped;
};

std::string Translator::uniqueName(std::string base) {
  if (base.empty())
    base = "layer";
  std::string name = base;
  for (int k = 2; names.count(name); ++k)
    name = base + "_" + str(int64_t(k));
  names.insert(name);
  return name;
}

Layer &Translator::add(const Node &n, const std::string &kind,
                       const std::string &paramName,
                       const std::string &suffix) {
  Layer layer;
  layer.kind = kind;
  // torch.onnx.export names nodes "/features/features.0/Conv": the module
  // path, then the op. The last module is the layer's PyTorch name.
  std::string base;
  size_t slash = n.name.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    size_t begin = n.name.rfind('/', slash - 1);
    base = identifier(n.name.substr(begin + 1, slash - begin - 1));
  }
  // Else the parameters' names: "fc.weight" -> fc.
  if (base.empty() && !paramName.empty() &&
      paramName.rfind("onnx::", 0) != 0) {
    size_t dot = paramName.rfind('.');
    if (dot != std::string::npos)
      base = identifier(paramName.substr(0, dot));
  }
  if (!base.empty())
    base += suffix;
  // A second op of one module (a functional ReLU in its forward).
  if (!base.empty() && names.count(base))
    base += "_" + lowercase(kind);
  layer.named = !base.empty();
  if (base.empty())
    base = lowercase(kind) + str(int64_t(++counters[lowercase(kind)]));
  layer.name = uniqueName(base);
  model.layers.push_back(std::move(layer));
  return model.layers.back();
}

void Translator::param(Layer &layer, const std::string &param,
                       const std::string &onnx, TensorData data) {
  bool pytorchName = !onnx.empty() && onnx.rfind("onnx::", 0) != 0 &&
                     onnx.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789._-") == std::string::npos &&
                     onnx.size() > param.size() &&
                     onnx.compare(onnx.size() - param.size(), param.size(),
                                  param) == 0;
  std::string file = (pytorchName ? onnx : layer.name + "." + param) + ".npy";
  while (model.files.count(file))
    file = layer.name + "." + param + "_" + str(int64_t(model.files.size())) +
           ".npy";
  model.files[file] = std::move(data);
  layer.params.emplace_back(param, file);
}

bool Translator::value(const Node &n, size_t input, std::string &out) {
  if (input >= n.inputs.size() || n.inputs[input].empty())
    return fail(n, "input " + str(int64_t(input)) + " is missing");
  auto it = values.find(n.inputs[input]);
  if (it != values.end()) {
    out = it->second;
    return true;
  }
  if (graph.constant(n.inputs[input]))
    return fail(n, "input '" + n.inputs[input] +
                       "' is a constant where tcnn expects a computed "
                       "value (constant operands are supported only as "
                       "weights)");
  return fail(n, "input '" + n.inputs[input] +
                     "' comes from a node tcnn could not translate");
}

const Node *Translator::soleReader(const std::string &value) const {
  const Node *reader = nullptr;
  auto it = uses.find(value);
  if (it == uses.end() || it->second != 1)
    return nullptr;
  for (const Node &n : graph.nodes)
    for (const std::string &in : n.inputs)
      if (in == value)
        reader = &n;
  return reader;
}

TensorData tensor(const Constant &c) { return {c.shape, c.values}; }

/// Spatial attributes of Conv, ConvTranspose and the pools.
struct Window {
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t top = 0, left = 0, bottom = 0, right = 0;
  bool symmetric() const { return top == bottom && left == right; }
};

/// Reads kernel_shape (or `kernel` from the weight), strides, dilations,
/// pads and auto_pad. SAME_UPPER / SAME_LOWER pad so that the output is
/// ceil(input / stride), the extra row at the end / the start.
bool readWindow(Translator &t, const Node &n, const int64_t *kernel,
                Window &w) {
  std::vector<int64_t> k = n.getInts("kernel_shape", {});
  if (k.empty() && kernel)
    k = {kernel[0], kernel[1]};
  if (k.size() != 2)
    return t.fail(n, "only 2-D windows (4-D [N, C, H, W] inputs) are "
                     "supported");
  std::vector<int64_t> s = n.getInts("strides", {1, 1});
  std::vector<int64_t> d = n.getInts("dilations", {1, 1});
  std::vector<int64_t> p = n.getInts("pads", {0, 0, 0, 0});
  if (s.size() != 2 || d.size() != 2 || p.size() != 4)
    return t.fail(n, "strides, dilations and pads must describe 2 spatial "
                     "dimensions");
  w = {k[0], k[1], s[0], s[1], d[0], d[1], p[0], p[1], p[2], p[3]};
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad == "VALID")
    w.top = w.left = w.bottom = w.right = 0;
  else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    const std::vector<int64_t> *in = t.shapeOf(n, 0);
    if (!in || in->size() != 4)
      return t.fail(n, "auto_pad needs the input's static 4-D shape");
    int64_t size[2] = {(*in)[2], (*in)[3]}, kk[2] = {w.kh, w.kw},
            ss[2] = {w.sh, w.sw}, dd[2] = {w.dh, w.dw}, lo[2], hi[2];
    for (int a = 0; a < 2; ++a) {
      int64_t out = (size[a] + ss[a] - 1) / ss[a];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * ss[a] + dd[a] * (kk[a] - 1) + 1 - size[a]);
      lo[a] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      hi[a] = total - lo[a];
    }
    w.top = lo[0];
    w.left = lo[1];
    w.bottom = hi[0];
    w.right = hi[1];
  } else if (autoPad != "NOTSET")
    return t.fail(n, "auto_pad '" + autoPad + "' is not supported");
  for (int64_t v : {w.kh, w.kw, w.sh, w.sw, w.dh, w.dw})
    if (v < 1)
      return t.fail(n, "kernel sizes, strides and dilations must be at "
                       "least 1");
  return true;
}

void addWindowArgs(Layer &l, const Window &w, bool dilation) {
  if (w.sh != 1 || w.sw != 1)
    l.args.push_back("stride=" + pair(w.sh, w.sw));
  if (w.top || w.left)
    l.args.push_back("padding=" + pair(w.top, w.left));
  if (dilation && (w.dh != 1 || w.dw != 1))
    l.args.push_back("dilation=" + pair(w.dh, w.dw));
}

/// A ZeroPad2d in front of `n`'s layer for padding that is not the same
/// on both sides (PyTorch's convolutions pad symmetrically); returns the
/// value the layer then reads.
std::string padAsymmetric(Translator &t, const Node &n, std::string input,
                          Window &w) {
  if (w.symmetric())
    return input;
  Layer &pad = t.add(n, "ZeroPad2d", n.inputs[1], "_pad");
  pad.args.push_back("(" + str(w.left) + ", " + str(w.right) + ", " +
                     str(w.top) + ", " + str(w.bottom) + ")");
  pad.inputs = {input};
  w.top = w.left = w.bottom = w.right = 0;
  return pad.name;
}

/// The operands of Conv and ConvTranspose: the computed input, a constant
/// 4-D weight and an optional constant bias.
struct ConvOperands {
  std::string x;
  const Constant *weight = nullptr, *bias = nullptr;
};

bool readConvOperands(Translator &t, const Node &n, const std::string &what,
                      ConvOperands &ops) {
  if (!t.value(n, 0, ops.x))
    return false;
  ops.weight = t.constant(n, 1);
  if (!ops.weight || ops.weight->shape.size() != 4)
    return t.fail(n, "the weight must be a constant 4-D tensor (2-D " + what +
                         ")");
  ops.bias = n.inputs.size() > 2 ? t.constant(n, 2) : nullptr;
  if (n.inputs.size() > 2 && !n.inputs[2].empty() && !ops.bias)
    return t.fail(n, "the bias must be a constant");
  return true;
}

/// The layer's weight and bias files.
void convParams(Translator &t, const Node &n, Layer &l,
                const ConvOperands &ops) {
  t.param(l, "weight", n.inputs[1], tensor(*ops.weight));
  if (ops.bias)
    t.param(l, "bias", n.inputs[2], tensor(*ops.bias));
}

/// The refusal of padding PyTorch's layer cannot express.
bool asymmetricPadding(Translator &t, const Node &n) {
  return t.fail(n, "padding that differs between the two sides of a "
                   "dimension is not supported");
}

bool conv(Translator &t, const Node &n) {
  ConvOperands ops;
  if (!readConvOperands(t, n, "convolution", ops))
    return false;
  const Constant &weight = *ops.weight;
  Window w;
  if (!readWindow(t, n, &weight.shape[2], w))
    return false;
  if (w.kh != weight.shape[2] || w.kw != weight.shape[3])
    return t.fail(n, "kernel_shape does not match the weight");
  int64_t groups = n.getInt("group", 1);
  std::string in = padAsymmetric(t, n, ops.x, w);
  Layer &l = t.layerFor(n, "Conv2d", {in}, n.inputs[1]);
  l.args = {str(weight.shape[1] * groups), str(weight.shape[0]),
            pair(w.kh, w.kw)};
  addWindowArgs(l, w, true);
  if (groups != 1)
    l.args.push_back("groups=" + str(groups));
  if (!ops.bias)
    l.args.push_back("bias=False");
  convParams(t, n, l, ops);
  return true;
}

bool convTranspose(Translator &t, const Node &n) {
  ConvOperands ops;
  if (!readConvOperands(t, n, "transposed convolution", ops))
    return false;
  const Constant &weight = *ops.weight;
  if (n.has("output_shape"))
    return t.fail(n, "output_shape is not supported; export with pads and "
                     "output_padding");
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    return t.fail(n, "auto_pad '" + autoPad + "' is not supported");
  Window w;
  if (!readWindow(t, n, &weight.shape[2], w))
    return false;
  if (!w.symmetric())
    return asymmetricPadding(t, n);
  std::vector<int64_t> outPad = n.getInts("output_padding", {0, 0});
  if (outPad.size() != 2)
    return t.fail(n, "output_padding must have 2 values");
  int64_t groups = n.getInt("group", 1);
  Layer &l = t.layerFor(n, "ConvTranspose2d", {ops.x}, n.inputs[1]);
  l.args = {str(weight.shape[0]), str(weight.shape[1] * groups),
            pair(w.kh, w.kw)};
  addWindowArgs(l, w, false);
  if (outPad[0] || outPad[1])
    l.args.push_back("output_padding=" + pair(outPad[0], outPad[1]));
  if (groups != 1)
    l.args.push_back("groups=" + str(groups));
  // PyTorch's positional order puts bias before dilation.
  if (!ops.bias)
    l.args.push_back("bias=False");
  if (w.dh != 1 || w.dw != 1)
    l.args.push_back("dilation=" + pair(w.dh, w.dw));
  convParams(t, n, l, ops);
  return true;
}

bool pool(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  bool isMax = n.opType == "MaxPool";
  if (isMax && t.used(n, 1))
    return t.fail(n, "the Indices output is not supported");
  if (n.getInt("storage_order", 0) != 0)
    return t.fail(n, "storage_order=1 is not supported");
  Window w;
  if (!readWindow(t, n, nullptr, w))
    return false;
  if (!w.symmetric())
    return asymmetricPadding(t, n);
  if (2 * w.top > w.kh || 2 * w.left > w.kw)
    return t.fail(n, "padding " + pair(w.top, w.left) +
                         " is more than half the window " + pair(w.kh, w.kw) +
                         ", which PyTorch's pooling layers (and tcnn's) do "
                         "not allow");
  Layer &l = t.layerFor(n, isMax ? "MaxPool2d" : "AvgPool2d", {x});
  l.args = {pair(w.kh, w.kw)};
  // ONNX's strides default to 1, PyTorch's to the kernel: always written.
  l.args.push_back("stride=" + pair(w.sh, w.sw));
  if (w.top || w.left)
    l.args.push_back("padding=" + pair(w.top, w.left));
  if (isMax && (w.dh != 1 || w.dw != 1))
    l.args.push_back("dilation=" + pair(w.dh, w.dw));
  if (!isMax && (w.dh != 1 || w.dw != 1))
    return t.fail(n, "dilated average pooling is not supported");
  if (n.getInt("ceil_mode", 0))
    l.args.push_back("ceil_mode=True");
  // ONNX counts only the input's positions unless told otherwise;
  // PyTorch counts the padding too by default.
  if (!isMax && (w.top || w.left) && !n.getInt("count_include_pad", 0))
    l.args.push_back("count_include_pad=False");
  return true;
}

bool globalPool(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  const std::vector<int64_t> *shape = t.shapeOf(n, 0);
  if (shape && shape->size() != 4)
    return t.fail(n, "only 4-D [N, C, H, W] inputs are supported");
  Layer &l = t.layerFor(n,
                        n.opType == "GlobalAveragePool" ? "AdaptiveAvgPool2d"
                                                        : "AdaptiveMaxPool2d",
                        {x});
  l.args = {"1"};
  return true;
}

/// A Linear layer [out, in] from `weight` and an optional bias of `out`
/// values (a single value is broadcast).
bool linear(Translator &t, const Node &n, const std::string &x,
            TensorData weight, const std::string &weightName,
            const Constant *bias, const std::string &biasName,
            double biasScale) {
  int64_t out = weight.shape[0], in = weight.shape[1];
  Layer &l = t.layerFor(n, "Linear", {x}, weightName);
  l.args = {str(in), str(out)};
  if (!bias)
    l.args.push_back("bias=False");
  t.param(l, "weight", weightName, std::move(weight));
  if (bias) {
    if (bias->numElements() != out && bias->numElements() != 1)
      return t.fail(n, "the bias has " + str(bias->numElements()) +
                           " values; expected " + str(out));
    TensorData b{{out}, {}};
    for (int64_t k = 0; k < out; ++k)
      b.values.push_back(biasScale *
                         bias->values[bias->numElements() == 1 ? 0 : k]);
    t.param(l, "bias", biasName, std::move(b));
  }
  return true;
}

/// `c` [rows, cols] transposed (and scaled).
TensorData transposed(const Constant &c, double scale = 1.0) {
  int64_t rows = c.shape[0], cols = c.shape[1];
  TensorData r{{cols, rows}, std::vector<double>(c.values.size())};
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      r.values[j * rows + i] = scale * c.values[i * cols + j];
  return r;
}

bool gemm(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  const Constant *b = t.constant(n, 1);
  if (!b || b->shape.size() != 2)
    return t.fail(n, "B must be a constant matrix (the weight)");
  if (n.getInt("transA", 0))
    return t.fail(n, "transA=1 is not supported");
  const std::vector<int64_t> *shape = t.shapeOf(n, 0);
  if (shape && shape->size() != 2)
    return t.fail(n, "A must be a matrix [N, in_features]");
  double alpha = n.getFloat("alpha", 1.0), beta = n.getFloat("beta", 1.0);
  const Constant *c = n.inputs.size() > 2 ? t.constant(n, 2) : nullptr;
  if (n.inputs.size() > 2 && !n.inputs[2].empty() && !c)
    return t.fail(n, "C must be a constant (the bias)");
  TensorData weight;
  if (n.getInt("transB", 0)) {
    weight = tensor(*b);
    for (double &v : weight.values)
      v *= alpha;
  } else {
    weight = transposed(*b, alpha);
  }
  return linear(t, n, x, std::move(weight), n.inputs[1], c,
                c ? n.inputs[2] : "", beta);
}

/// MatMul by a constant [in, out], and the Add of a constant bias after
/// it when that Add is its only reader: torch.onnx.export's Linear on
/// inputs of rank other than 2.
bool matmul(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  const Constant *w = t.constant(n, 1);
  if (!w || w->shape.size() != 2)
    return t.fail(n, "only a product with a constant matrix (a Linear "
                     "layer's weight) is supported");
  const Constant *bias = nullptr;
  std::string biasName;
  const Node *add = t.soleReader(n.outputs[0]);
  if (add && add->opType == "Add" && add->inputs.size() == 2) {
    size_t other = add->inputs[0] == n.outputs[0] ? 1 : 0;
    bias = t.graph.constant(add->inputs[other]);
    if (bias && (bias->numElements() == w->shape[1]))
      biasName = add->inputs[other];
    else
      bias = nullptr;
  }
  if (!linear(t, n, x, transposed(*w), n.inputs[1], bias, biasName, 1.0))
    return false;
  if (bias) {
    // The Add's output is the Linear's.
    t.alias(*add, t.lookup(n.outputs[0]));
    t.skip(*add);
  }
  return true;
}

bool flatten(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  const std::vector<int64_t> *shape = t.shapeOf(n, 0);
  int64_t axis = n.getInt("axis", 1);
  int64_t rank = shape ? static_cast<int64_t>(shape->size()) : -1;
  if (axis < 0 && rank > 0)
    axis += rank;
  if (axis != 1)
    return t.fail(n, "only axis=1 (keep the batch, flatten the rest) is "
                     "supported");
  t.layerFor(n, "Flatten", {x});
  return true;
}

bool reshape(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  const std::vector<int64_t> *in = t.shapeOf(n, 0);
  const std::vector<int64_t> *out =
      n.outputs.empty() ? nullptr : t.graph.shape(n.outputs[0]);
  if (!in || !out)
    return t.fail(n, "the shapes around the reshape are not static");
  if (*in == *out) {
    t.alias(n, x);
    return true;
  }
  int64_t rest = 1;
  for (size_t k = 1; k < in->size(); ++k)
    rest *= (*in)[k];
  if (in->size() < 2 || out->size() != 2 || (*out)[0] != (*in)[0] ||
      (*out)[1] != rest)
    return t.fail(n, "only a reshape that flattens [N, ...] to [N, "
                     "features] is supported");
  t.layerFor(n, "Flatten", {x});
  return true;
}

bool identity(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  t.alias(n, x);
  return true;
}

/// Relu, Sigmoid, Tanh, and the ones with one float attribute.
bool activation(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  static const std::map<std::string, std::string> kinds = {
      {"Relu", "ReLU"}, {"Sigmoid", "Sigmoid"}, {"Tanh", "Tanh"},
      {"LeakyRelu", "LeakyReLU"}, {"Elu", "ELU"}};
  Layer &l = t.layerFor(n, kinds.at(n.opType), {x});
  if (n.opType == "LeakyRelu" && n.getFloat("alpha", 0.01) != 0.01f)
    l.args.push_back("negative_slope=" + str(n.getFloat("alpha", 0.01)));
  if (n.opType == "Elu" && n.getFloat("alpha", 1.0) != 1.0)
    l.args.push_back("alpha=" + str(n.getFloat("alpha", 1.0)));
  return true;
}

bool softmax(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  const std::vector<int64_t> *shape = t.shapeOf(n, 0);
  if (!shape)
    return t.fail(n, "the input's shape is not static");
  int64_t rank = static_cast<int64_t>(shape->size());
  int64_t axis = n.getInt("axis", t.graph.opset >= 13 ? -1 : 1);
  if (axis < 0)
    axis += rank;
  // Before opset 13 the axis flattens [d0..axis-1] x [axis..]: one
  // PyTorch dim only when it is the last.
  if (t.graph.opset < 13 && axis != rank - 1)
    return t.fail(n, "before opset 13, softmax over the axis " + str(axis) +
                         " of a rank-" + str(rank) +
                         " input flattens the dimensions after it; only "
                         "the last axis is supported");
  Layer &l =
      t.layerFor(n, n.opType == "Softmax" ? "Softmax" : "LogSoftmax", {x});
  l.args = {"dim=" + str(axis)};
  return true;
}

bool batchNorm(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  for (size_t k = 1; k < n.outputs.size(); ++k)
    if (t.used(n, k))
      return t.fail(n, "the running-statistics outputs (training mode) are "
                       "not supported");
  const Constant *parts[4];
  for (size_t k = 0; k < 4; ++k) {
    parts[k] = t.constant(n, k + 1);
    if (!parts[k] || parts[k]->shape.size() != 1)
      return t.fail(n, "scale, B, mean and var must be constant vectors");
  }
  const std::vector<int64_t> *shape = t.shapeOf(n, 0);
  if (shape && shape->size() != 4)
    return t.fail(n, "only 4-D [N, C, H, W] inputs (BatchNorm2d) are "
                     "supported");
  Layer &l = t.layerFor(n, "BatchNorm2d", {x}, n.inputs[1]);
  l.args = {str(parts[0]->shape[0])};
  double eps = n.getFloat("epsilon", 1e-5);
  if (static_cast<float>(eps) != 1e-5f)
    l.args.push_back("eps=" + str(eps));
  // ONNX's momentum weighs the old statistics, PyTorch's the new ones.
  double momentum = 1.0 - n.getFloat("momentum", 0.9);
  if (std::fabs(momentum - 0.1) > 1e-7)
    l.args.push_back("momentum=" + str(momentum));
  static const char *names[4] = {"weight", "bias", "running_mean",
                                 "running_var"};
  for (size_t k = 0; k < 4; ++k)
    t.param(l, names[k], n.inputs[k + 1], tensor(*parts[k]));
  return true;
}

bool dropout(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  if (t.used(n, 1))
    return t.fail(n, "the mask output is not supported");
  double p = n.getFloat("ratio", 0.5);
  if (const Constant *ratio = t.constant(n, 1))
    p = ratio->values.empty() ? p : ratio->values[0];
  Layer &l = t.layerFor(n, "Dropout", {x});
  if (static_cast<float>(p) != 0.5f)
    l.args.push_back("p=" + str(p));
  return true;
}

bool binary(Translator &t, const Node &n) {
  std::string a, b;
  if (n.inputs.size() != 2 || !t.value(n, 0, a) || !t.value(n, 1, b))
    return false;
  const std::vector<int64_t> *sa = t.shapeOf(n, 0), *sb = t.shapeOf(n, 1);
  if (sa && sb && *sa != *sb)
    return t.fail(n, "the operands have different shapes; tcnn's " +
                         std::string(n.opType) +
                         " takes two of the same shape (no broadcasting)");
  t.layerFor(n, n.opType, {a, b});
  return true;
}

bool concat(Translator &t, const Node &n) {
  std::vector<std::string> ins;
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    std::string v;
    if (!t.value(n, k, v))
      return false;
    ins.push_back(v);
  }
  if (ins.size() < 2)
    return t.fail(n, "needs two or more inputs");
  t.layerFor(n, "Cat", ins).args = {"dim=" + str(n.getInt("axis", 0))};
  return true;
}

bool pad(Translator &t, const Node &n) {
  std::string x;
  if (!t.value(n, 0, x))
    return false;
  if (n.getString("mode", "constant") != "constant")
    return t.fail(n, "only constant (zero) padding is supported");
  std::vector<int64_t> pads = n.getInts("pads", {});
  if (const Constant *p = t.constant(n, 1))
    pads.assign(p->values.begin(), p->values.end());
  double value = n.getFloat("value", 0.0);
  if (const Constant *v = t.constant(n, 2))
    value = v->values.empty() ? 0.0 : v->values[0];
  if (value != 0.0)
    return t.fail(n, "only padding with zeros is supported");
  if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5])
    return t.fail(n, "only padding of the last two dimensions of a 4-D "
                     "input is supported");
  Layer &l = t.layerFor(n, "ZeroPad2d", {x});
  l.args = {"(" + str(pads[3]) + ", " + str(pads[7]) + ", " + str(pads[2]) +
            ", " + str(pads[6]) + ")"};
  return true;
}

const std::map<std::string, Translation> &translations() {
  static const std::map<std::string, Translation> table = {
      {"Conv", conv},
      {"ConvTranspose", convTranspose},
      {"MaxPool", pool},
      {"AveragePool", pool},
      {"GlobalAveragePool", globalPool},
      {"GlobalMaxPool", globalPool},
      {"Gemm", gemm},
      {"MatMul", matmul},
      {"Flatten", flatten},
      {"Reshape", reshape},
      {"Identity", identity},
      {"Relu", activation},
      {"LeakyRelu", activation},
      {"Sigmoid", activation},
      {"Tanh", activation},
      {"Elu", activation},
      {"Softmax", softmax},
      {"LogSoftmax", softmax},
      {"BatchNormalization", batchNorm},
      {"Dropout", dropout},
      {"Add", binary},
      {"Mul", binary},
      {"Concat", concat},
      {"Pad", pad},
  };
  return table;
}

bool Translator::run() {
  for (const auto &[name, shape] : graph.inputs) {
    std::string id = identifier(name);
    if (id.empty())
      id = "x";
    id = uniqueName(id);
    values[name] = id;
    model.inputs.emplace_back(id, shape);
  }
  for (const Node &n : graph.nodes) {
    if (skipped.count(&n))
      continue;
    auto it = translations().find(n.opType);
    if (it == translations().end()) {
      std::string known;
      for (const auto &entry : translations())
        known += (known.empty() ? "" : ", ") + entry.first;
      return fail(n, "op type " + n.opType +
                         " is not supported (tcnn imports " + known + ")");
    }
    if (n.outputs.empty())
      return fail(n, "has no output");
    if (!it->second(*this, n))
      return false;
  }
  if (graph.outputs.size() != 1) {
    error = "the graph has " + str(int64_t(graph.outputs.size())) +
            " outputs; a tcnn model has one";
    return false;
  }
  auto out = values.find(graph.outputs[0]);
  if (out == values.end() || out->second.empty()) {
    error = "the graph's output '" + graph.outputs[0] +
            "' is not computed by a supported node";
    return false;
  }
  for (const auto &input : model.inputs)
    if (input.first == out->second) {
      error = "the graph computes nothing: its output is its input";
      return false;
    }
  model.output = out->second;
  if (const std::vector<int64_t> *shape = graph.shape(graph.outputs[0]))
    model.outputShape = *shape;
  return true;
}

} // namespace

bool tcnnc::import::translateGraph(const onnx::Graph &graph, Model &model,
                                   std::string &error) {
  return Translator(graph, model, error).run();
}

std::string tcnnc::import::toIdentifier(const std::string &s) {
  return identifier(s);
}
