//===- Import.h - ONNX models as .tcnn model files --------------*- C++ -*-===//
//
// `tcnnc import MODEL.onnx -o DIR` and `tcnnc MODEL.onnx ...`: an ONNX
// graph becomes a model in tcnn's own language, with PyTorch's layer names
// and one .npy per parameter, so that an imported model reads, compiles,
// explains and trains like a hand-written one (docs/import.md).
//
// The importer is plain C++ on standard containers; OnnxGraph.cpp alone
// reads protobuf.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_IMPORTERS_IMPORT_H
#define TCNN_IMPORTERS_IMPORT_H

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tcnnc::import {

/// One layer statement of the written model file.
struct Layer {
  /// A valid tcnn name, unique in the model.
  std::string name;
  /// Whether the name came from the ONNX graph (a module path or a
  /// parameter name) rather than from the layer's kind and a counter.
  bool named = false;
  std::string kind;
  /// The arguments as written: positional first, then keyword=value.
  std::vector<std::string> args;
  /// tcnn value names (layer names or model inputs).
  std::vector<std::string> inputs;
  /// Parameter and buffer name ("weight", "running_mean") -> .npy file.
  std::vector<std::pair<std::string, std::string>> params;
};

struct TensorData {
  std::vector<int64_t> shape;
  std::vector<double> values;
};

struct Model {
  std::string name, source;
  int64_t opset = 0;
  /// The opset the file declared, when ONNX's converter upgraded it.
  int64_t upgradedFrom = 0;
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputs;
  std::vector<Layer> layers;
  /// The tcnn value the graph outputs, and its shape.
  std::string output;
  std::vector<int64_t> outputShape;
  /// .npy file name -> contents.
  std::map<std::string, TensorData> files;
  /// A loss layer to append (e.g. "CrossEntropyLoss"), or empty.
  std::string loss;
};

/// Reads the ONNX model at `path` into `model`, named `modelName`. On
/// failure returns false with a one-line `error` that names the file and,
/// for an unsupported node, the node and its op type.
bool importOnnx(const std::string &path, const std::string &modelName,
                const std::string &loss, Model &model, std::string &error);

/// The model file's text.
std::string modelText(const Model &model);

/// Writes `<dir>/<name>.tcnn` and the .npy files into `dir` (created if
/// needed). On failure nothing it wrote is left behind. Sets `written` to
/// the model file's path.
bool writeModel(const Model &model, const std::string &dir,
                std::string &written, std::string &error);

} // namespace tcnnc::import

#endif // TCNN_IMPORTERS_IMPORT_H
