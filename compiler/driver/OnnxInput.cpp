//===- OnnxInput.cpp - .onnx files wherever a .tcnn file goes -------------===//

#include "compiler/driver/OnnxInput.h"

#include "compiler/importers/Import.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace tcnnc;

bool tcnnc::isOnnxFile(const std::string &path) {
  return llvm::StringRef(path).ends_with(".onnx");
}

static std::string modelNameOf(const std::string &onnxPath) {
  return llvm::sys::path::stem(onnxPath).str();
}

OnnxInput::~OnnxInput() {
  if (!dir.empty())
    (void)llvm::sys::fs::remove_directories(dir);
}

bool OnnxInput::import(const std::string &onnxPath, const std::string &loss) {
  import::Model model;
  std::string error;
  if (!import::importOnnx(onnxPath, modelNameOf(onnxPath), loss, model,
                          error)) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return false;
  }
  llvm::SmallString<128> tmp;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("tcnn-import", tmp)) {
    llvm::errs() << "tcnnc: error: cannot create a temporary directory: "
                 << ec.message() << "\n";
    return false;
  }
  dir = std::string(tmp);
  if (!import::writeModel(model, dir, file, error)) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return false;
  }
  return true;
}

int tcnnc::importToDirectory(const std::string &onnxPath,
                             const std::string &dir,
                             const std::string &loss) {
  import::Model model;
  std::string error, written;
  if (!import::importOnnx(onnxPath, modelNameOf(onnxPath), loss, model,
                          error) ||
      !import::writeModel(model, dir, written, error)) {
    llvm::errs() << "tcnnc: error: " << error << "\n";
    return 1;
  }
  llvm::outs() << "wrote " << written << " and " << model.files.size()
               << " .npy file" << (model.files.size() == 1 ? "" : "s")
               << "\n";
  return 0;
}
