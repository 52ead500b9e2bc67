//===- OnnxGraph.h - an ONNX model as plain data ----------------*- C++ -*-===//
//
// What the importer needs of an ONNX ModelProto, read once and held in
// standard containers: the nodes with their attributes, the constants
// (initializers, Constant nodes and everything folded from them), the
// static shape of every value and the graph's inputs and output. Only
// OnnxGraph.cpp sees protobuf; the rest of the importer reads this.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_IMPORTERS_ONNXGRAPH_H
#define TCNN_IMPORTERS_ONNXGRAPH_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcnnc::onnx {

/// A constant tensor: float32 weights or int64 shape data, widened to
/// double (exact for both).
struct Constant {
  std::vector<int64_t> shape;
  std::vector<double> values;
  bool isInteger = false;
  int64_t numElements() const;
};

/// One node attribute; which fields are set depends on its ONNX type.
struct Attribute {
  std::optional<int64_t> i;
  std::optional<double> f;
  std::optional<std::string> s;
  std::optional<std::vector<int64_t>> ints;
  std::optional<std::vector<double>> floats;
  std::optional<Constant> t;
};

struct Node {
  std::string name, opType;
  std::vector<std::string> inputs, outputs;
  std::map<std::string, Attribute> attributes;

  /// How the node is named in messages: its name, else its first output.
  std::string label() const;
  bool has(const std::string &attr) const { return attributes.count(attr); }
  int64_t getInt(const std::string &attr, int64_t otherwise) const;
  double getFloat(const std::string &attr, double otherwise) const;
  std::string getString(const std::string &attr,
                        const std::string &otherwise) const;
  std::vector<int64_t> getInts(const std::string &attr,
                               std::vector<int64_t> otherwise) const;
};

struct Graph {
  std::string name;
  /// The default domain's opset version.
  int64_t opset = 0;
  /// The opset the file declared, when it was older than 9 and upgraded.
  int64_t upgradedFrom = 0;
  /// Inputs that are not initializers, in order, with their shapes.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputs;
  std::vector<std::string> outputs;
  std::vector<Node> nodes;
  std::map<std::string, Constant> constants;
  /// Static shapes from ONNX shape inference (and the inputs').
  std::map<std::string, std::vector<int64_t>> shapes;

  const Constant *constant(const std::string &value) const;
  const std::vector<int64_t> *shape(const std::string &value) const;
};

/// Reads `path`, runs ONNX's shape inference, folds the constant parts
/// (foldConstants) and infers the shapes again past them. On failure
/// returns false with `error` naming what is wrong (the caller adds the
/// file name).
bool loadGraph(const std::string &path, Graph &graph, std::string &error);

/// Evaluates the nodes whose inputs are all constant (and Shape of a value
/// of static shape): the shape arithmetic torch.onnx.export writes around
/// Reshape and Flatten. Their outputs join `graph.constants` and the nodes
/// are removed; a node it cannot evaluate stays, for the importer to
/// translate or refuse by name.
void foldConstants(Graph &graph);

} // namespace tcnnc::onnx

#endif // TCNN_IMPORTERS_ONNXGRAPH_H
