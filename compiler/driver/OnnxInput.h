//===- OnnxInput.h - .onnx files wherever a .tcnn file goes -----*- C++ -*-===//

#ifndef TCNN_COMPILER_DRIVER_ONNXINPUT_H
#define TCNN_COMPILER_DRIVER_ONNXINPUT_H

#include <string>

namespace tcnnc {

/// `tcnnc MODEL.onnx ...`: the model imported into a temporary directory
/// (removed again when this goes away), so that the rest of the pipeline
/// reads a .tcnn file as usual.
class OnnxInput {
public:
  OnnxInput() = default;
  OnnxInput(const OnnxInput &) = delete;
  OnnxInput &operator=(const OnnxInput &) = delete;
  ~OnnxInput();

  /// Imports `onnxPath` (with `loss` appended when not empty). On failure
  /// prints the error and returns false.
  bool import(const std::string &onnxPath, const std::string &loss);
  /// The imported model file.
  const std::string &modelFile() const { return file; }

private:
  std::string dir, file;
};

/// Whether `path` names an ONNX model.
bool isOnnxFile(const std::string &path);

/// `tcnnc import MODEL.onnx -o DIR`: writes DIR/<name>.tcnn and its .npy
/// files; returns the exit code.
int importToDirectory(const std::string &onnxPath, const std::string &dir,
                      const std::string &loss);

} // namespace tcnnc

#endif // TCNN_COMPILER_DRIVER_ONNXINPUT_H
