//===- OnnxGraph.cpp - read an ONNX ModelProto into plain data ------------===//
//
// The only file of tcnn that includes protobuf: it is compiled with RTTI
// and exceptions (ONNX's headers and shape inference use them) and
// includes nothing of LLVM, whose Debian build has neither.
//
//===----------------------------------------------------------------------===//

#include "compiler/importers/OnnxGraph.h"

#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include <cstring>
#include <fstream>
#include <set>

using namespace tcnnc::onnx;

int64_t Constant::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string Node::label() const {
  std::string who = !name.empty()            ? name
                    : !outputs.empty()       ? outputs.front()
                                             : std::string("(unnamed)");
  return "node '" + who + "' (" + opType + ")";
}

int64_t Node::getInt(const std::string &attr, int64_t otherwise) const {
  auto it = attributes.find(attr);
  return it != attributes.end() && it->second.i ? *it->second.i : otherwise;
}

double Node::getFloat(const std::string &attr, double otherwise) const {
  auto it = attributes.find(attr);
  return it != attributes.end() && it->second.f ? *it->second.f : otherwise;
}

std::string Node::getString(const std::string &attr,
                            const std::string &otherwise) const {
  auto it = attributes.find(attr);
  return it != attributes.end() && it->second.s ? *it->second.s : otherwise;
}

std::vector<int64_t> Node::getInts(const std::string &attr,
                                   std::vector<int64_t> otherwise) const {
  auto it = attributes.find(attr);
  return it != attributes.end() && it->second.ints ? *it->second.ints
                                                   : otherwise;
}

const Constant *Graph::constant(const std::string &value) const {
  auto it = constants.find(value);
  return it == constants.end() ? nullptr : &it->second;
}

const std::vector<int64_t> *Graph::shape(const std::string &value) const {
  if (const Constant *c = constant(value))
    return &c->shape;
  auto it = shapes.find(value);
  return it == shapes.end() ? nullptr : &it->second;
}

namespace {

/// `count` elements of type T, widened: from the little-endian raw bytes
/// when the tensor has them, else from its typed field.
template <typename T, typename Field>
bool readValues(const ::onnx::TensorProto &t, const Field &typed,
                int64_t count, std::vector<double> &out) {
  if (!t.has_raw_data()) {
    if (typed.size() != count)
      return false;
    out.assign(typed.begin(), typed.end());
    return true;
  }
  const std::string &raw = t.raw_data();
  if (static_cast<int64_t>(raw.size()) != count * int64_t(sizeof(T)))
    return false;
  out.resize(count);
  for (int64_t k = 0; k < count; ++k) {
    T v;
    std::memcpy(&v, raw.data() + k * sizeof(T), sizeof(T));
    out[k] = static_cast<double>(v);
  }
  return true;
}

/// A TensorProto as a Constant: float, double, int32 and int64 tensors,
/// stored raw or in the typed fields; nothing external.
bool readTensor(const ::onnx::TensorProto &t, Constant &c,
                std::string &error) {
  std::string what = "tensor '" + t.name() + "'";
  if (t.data_location() == ::onnx::TensorProto::EXTERNAL) {
    error = what + " keeps its data in an external file, which tcnn does "
                   "not read";
    return false;
  }
  c.shape.assign(t.dims().begin(), t.dims().end());
  int64_t count = 1;
  for (int64_t d : c.shape) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 40) / d)) {
      error = what + " has an invalid or too large shape";
      return false;
    }
    count *= d;
  }
  bool ok = true;
  switch (t.data_type()) {
  case ::onnx::TensorProto::FLOAT:
    ok = readValues<float>(t, t.float_data(), count, c.values);
    break;
  case ::onnx::TensorProto::DOUBLE:
    ok = readValues<double>(t, t.double_data(), count, c.values);
    break;
  case ::onnx::TensorProto::INT64:
    c.isInteger = true;
    ok = readValues<int64_t>(t, t.int64_data(), count, c.values);
    break;
  case ::onnx::TensorProto::INT32:
    c.isInteger = true;
    ok = readValues<int32_t>(t, t.int32_data(), count, c.values);
    break;
  default:
    error = what + " has element type " +
            ::onnx::TensorProto::DataType_Name(
                static_cast<::onnx::TensorProto::DataType>(t.data_type())) +
            "; tcnn reads float, double, int32 and int64 tensors";
    return false;
  }
  if (!ok) {
    error = what + ": its data does not match its shape";
    return false;
  }
  return true;
}

bool readAttribute(const ::onnx::AttributeProto &a, Attribute &out,
                   std::string &error) {
  switch (a.type()) {
  case ::onnx::AttributeProto::INT:
    out.i = a.i();
    break;
  case ::onnx::AttributeProto::FLOAT:
    out.f = a.f();
    break;
  case ::onnx::AttributeProto::STRING:
    out.s = a.s();
    break;
  case ::onnx::AttributeProto::INTS:
    out.ints = std::vector<int64_t>(a.ints().begin(), a.ints().end());
    break;
  case ::onnx::AttributeProto::FLOATS:
    out.floats = std::vector<double>(a.floats().begin(), a.floats().end());
    break;
  case ::onnx::AttributeProto::TENSOR: {
    Constant c;
    if (!readTensor(a.t(), c, error))
      return false;
    out.t = std::move(c);
    break;
  }
  default:
    // Graphs, sparse tensors, type protos: no op tcnn maps uses them; the
    // op's translation refuses the node by name.
    break;
  }
  return true;
}

/// The static shape of a value's type, if every dimension is a number.
std::optional<std::vector<int64_t>>
staticShape(const ::onnx::ValueInfoProto &v) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
    return std::nullopt;
  std::vector<int64_t> shape;
  for (const auto &d : v.type().tensor_type().shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() <= 0)
      return std::nullopt;
    shape.push_back(d.dim_value());
  }
  return shape;
}

/// `c` as an initializer named `name`.
void writeTensor(const std::string &name, const Constant &c,
                 ::onnx::TensorProto &t) {
  t.set_name(name);
  for (int64_t d : c.shape)
    t.add_dims(d);
  if (c.isInteger) {
    t.set_data_type(::onnx::TensorProto::INT64);
    for (double v : c.values)
      t.add_int64_data(static_cast<int64_t>(v));
  } else {
    t.set_data_type(::onnx::TensorProto::FLOAT);
    for (double v : c.values)
      t.add_float_data(static_cast<float>(v));
  }
}

/// Shape inference stops at a node whose shape depends on a computed
/// value (a Pad whose pads torch.onnx.export computes): with the folded
/// constants as initializers and the folded nodes gone, it runs again and
/// reaches every value.
void refineShapes(::onnx::ModelProto &model, Graph &graph) {
  ::onnx::GraphProto &g = *model.mutable_graph();
  std::set<std::string> needed;
  for (const Node &n : graph.nodes)
    needed.insert(n.inputs.begin(), n.inputs.end());
  std::set<std::string> present;
  for (const auto &t : g.initializer())
    present.insert(t.name());
  // The nodes folding removed are those whose output became a constant.
  ::google::protobuf::RepeatedPtrField<::onnx::NodeProto> kept;
  for (const auto &p : g.node())
    if (p.output_size() != 1 || !graph.constants.count(p.output(0)) ||
        present.count(p.output(0)))
      *kept.Add() = p;
  g.mutable_node()->Swap(&kept);
  for (const auto &[name, c] : graph.constants)
    if (needed.count(name) && !present.count(name))
      writeTensor(name, c, *g.add_initializer());
  g.clear_value_info();
  try {
    ::onnx::shape_inference::InferShapes(model);
  } catch (const std::exception &) {
    return;
  }
  for (const auto &v : g.value_info())
    if (auto shape = staticShape(v))
      graph.shapes[v.name()] = *shape;
  for (const auto &v : g.output())
    if (auto shape = staticShape(v))
      graph.shapes[v.name()] = *shape;
}

} // namespace

bool tcnnc::onnx::loadGraph(const std::string &path, Graph &graph,
                            std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open the file";
    return false;
  }
  ::onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) {
    error = "not an ONNX model (the protobuf does not parse)";
    return false;
  }
  for (const auto &op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx")
      graph.opset = op.version();
  if (graph.opset < 1 || graph.opset > 17) {
    error = "opset " + std::to_string(graph.opset) +
            " of the default domain is not supported (tcnn reads opsets "
            "9 to 17, and older ones through ONNX's version converter)";
    return false;
  }
  // Older models (PyTorch exported opset 6 for years) are upgraded to
  // opset 9 by ONNX's own version converter, so that one reading of each op
  // covers them.
  if (graph.opset < 9) {
    try {
      model = ::onnx::version_conversion::ConvertVersion(model, 9);
    } catch (const std::exception &e) {
      error = "opset " + std::to_string(graph.opset) +
              ": ONNX's version converter cannot upgrade the model to "
              "opset 9: " + e.what();
      return false;
    }
    graph.upgradedFrom = graph.opset;
    graph.opset = 9;
  }
  try {
    ::onnx::shape_inference::InferShapes(model);
  } catch (const std::exception &e) {
    error = std::string("ONNX shape inference failed: ") + e.what();
    return false;
  }
  const ::onnx::GraphProto &g = model.graph();
  graph.name = g.name();
  for (const auto &t : g.initializer()) {
    Constant c;
    if (!readTensor(t, c, error))
      return false;
    graph.constants[t.name()] = std::move(c);
  }
  auto record = [&](const ::onnx::ValueInfoProto &v) {
    if (auto shape = staticShape(v))
      graph.shapes[v.name()] = *shape;
  };
  for (const auto &v : g.value_info())
    record(v);
  for (const auto &v : g.output()) {
    record(v);
    graph.outputs.push_back(v.name());
  }
  for (const auto &v : g.input()) {
    record(v);
    if (graph.constants.count(v.name()))
      continue;
    auto shape = staticShape(v);
    if (!shape) {
      error = "input '" + v.name() +
              "' has no static shape (every dimension must be a number; "
              "export with fixed sizes)";
      return false;
    }
    if (shape->empty()) {
      error = "input '" + v.name() +
              "' is a scalar; tcnn's inputs have at least one dimension";
      return false;
    }
    if (v.type().tensor_type().elem_type() != ::onnx::TensorProto::FLOAT) {
      error = "input '" + v.name() + "' is not float32";
      return false;
    }
    graph.inputs.emplace_back(v.name(), *shape);
  }
  for (const auto &n : g.node()) {
    Node node;
    node.name = n.name();
    node.opType = n.op_type();
    if (!n.domain().empty() && n.domain() != "ai.onnx") {
      error = node.label() + " is in domain '" + n.domain() +
              "'; tcnn reads the default ONNX domain only";
      return false;
    }
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto &a : n.attribute())
      if (!readAttribute(a, node.attributes[a.name()], error)) {
        error = node.label() + ": " + error;
        return false;
      }
    graph.nodes.push_back(std::move(node));
  }
  size_t before = graph.nodes.size();
  foldConstants(graph);
  if (graph.nodes.size() != before)
    refineShapes(model, graph);
  return true;
}
