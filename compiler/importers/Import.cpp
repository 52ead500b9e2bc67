//===- Import.cpp - read, fold, translate, write --------------------------===//

#include "compiler/importers/Translate.h"

#include "compiler/support/Npy.h"

#include <filesystem>
#include <fstream>
#include <set>

using namespace tcnnc::import;

namespace {

/// The losses a model file can end with (docs/language.md).
bool isLoss(const std::string &kind) {
  static const std::set<std::string> losses = {
      "MSELoss",  "L1Loss", "SmoothL1Loss", "BCEWithLogitsLoss",
      "CrossEntropyLoss", "NLLLoss"};
  return losses.count(kind);
}

} // namespace

bool tcnnc::import::importOnnx(const std::string &path,
                               const std::string &modelName,
                               const std::string &loss, Model &model,
                               std::string &error) {
  if (!loss.empty() && !isLoss(loss)) {
    error = "--loss " + loss +
            " is not a loss (MSELoss, L1Loss, SmoothL1Loss, "
            "BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss)";
    return false;
  }
  onnx::Graph graph;
  if (!onnx::loadGraph(path, graph, error)) {
    error = path + ": " + error;
    return false;
  }
  model.name = toIdentifier(modelName);
  if (model.name.empty())
    model.name = "imported";
  model.source = std::filesystem::path(path).filename().string();
  model.opset = graph.opset;
  model.upgradedFrom = graph.upgradedFrom;
  model.loss = loss;
  if (!translateGraph(graph, model, error)) {
    error = path + ": " + error;
    return false;
  }
  if (!loss.empty() && model.outputShape.empty()) {
    error = path + ": the output's shape is not static, so --loss cannot "
                   "declare its target";
    return false;
  }
  return true;
}

bool tcnnc::import::writeModel(const Model &model, const std::string &dir,
                               std::string &written, std::string &error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool created = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    error = "cannot create the directory '" + dir + "'";
    return false;
  }
  std::vector<fs::path> paths;
  auto undo = [&] {
    for (const fs::path &p : paths)
      fs::remove(p, ec);
    if (created)
      fs::remove(dir, ec);
    return false;
  };
  for (const auto &[file, data] : model.files) {
    fs::path p = fs::path(dir) / file;
    if (!tcnnc::writeNpy(p.string(), data.shape, data.values,
                         /*classIndices=*/false, error))
      return undo();
    paths.push_back(p);
  }
  fs::path text = fs::path(dir) / (model.name + ".tcnn");
  {
    std::ofstream os(text, std::ios::binary);
    os << modelText(model);
    os.close();
    if (!os) {
      error = "cannot write '" + text.string() + "'";
      paths.push_back(text);
      return undo();
    }
  }
  written = text.string();
  return true;
}
