//===- Report.h - explain every op of a model with its numbers --*- C++ -*-===//
//
// `tcnnc explain` runs the interpreter over the gradient function and
// writes one section per op in IR order: forward ops, then the derived
// backward ops, each mapped back to its layer. The sections of each op
// family live in their own file (ConvSections.cpp, ...); this class holds
// what they share: the values, the chosen positions, names and shapes.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_EXPLAIN_REPORT_H
#define TCNN_EXPLAIN_REPORT_H

#include "compiler/explain/Markdown.h"
#include "compiler/interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcnnc::explain {

struct ReportOptions {
  /// Only this layer's sections (empty: all).
  std::string layer;
  /// The output position to explain; unset: (0, 0, 1, 1) where it exists,
  /// else (0, 0, 0, 0).
  std::optional<std::array<int64_t, 4>> at;
  /// Decimals of operands shown in arithmetic.
  int precision = 6;
};

using Index = std::vector<int64_t>;

class Report {
public:
  Report(mlir::func::FuncOp grad, Interpreter &interp,
         const std::vector<Tensor> &args, ReportOptions options);

  /// Checks the options (the layer exists, --at fits it) and writes the
  /// whole report; fails with an error message on stderr.
  mlir::LogicalResult write(std::string &out);

  // Shared by the section writers.
  Markdown md;
  const Tensor &value(mlir::Value v) const;
  /// The user's name of a value: its layer or its argument's name.
  std::string nameOf(mlir::Value v) const;
  /// The layer an op belongs to (its NameLoc).
  std::string layerOf(mlir::Operation *op) const;
  /// "Conv2d", "MaxPool2d", ...: the PyTorch name of a layer's forward op.
  std::string kindOf(const std::string &layer) const;
  /// A description of where a value comes from: "pool1 (MaxPool2d output)".
  std::string describe(mlir::Value v) const;
  /// The position explained in a tensor of `shape` (the output of the op
  /// being explained): --at where it fits, else the default.
  Index positionIn(const std::vector<int64_t> &shape) const;
  /// The op as it reads in the IR, with the function's value names.
  std::string irLine(mlir::Operation *op);
  /// True when calculated and actual agree (relative 1e-5, absolute 1e-6);
  /// writes the comparison paragraph, loudly when they do not.
  bool compare(const std::string &what, double calculated, double actual);
  /// Starts an op's section: heading (unique) and the op's IR.
  void beginSection(mlir::Operation *op, const std::string &title);
  /// The same, headed by `layer` instead of the op's own layer (a backward
  /// op that serves another layer's value).
  void beginSection(mlir::Operation *op, const std::string &title,
                    const std::string &layer);
  /// Compares a whole recomputed tensor with the interpreter's (reports
  /// the worst element).
  bool compareTensor(const std::string &what,
                     const std::vector<double> &calculated,
                     const Tensor &actual);
  /// Writes "Upstream gradient dL/dy (shape S) at P: v." for the gradient
  /// `dy` flowing into a backward op, at the explained position; returns v.
  double upstream(mlir::Value dy, const Index &at);
  /// Says where the upstream gradient `dy` at `at` was computed.
  void traceUpstream(mlir::Value dy, const Index &at);
  /// Counts sections whose numbers disagreed.
  int mismatches = 0;

private:
  void writeHeader();
  void writeLoss(mlir::Value loss);
  void writeInputValues();
  void writeConventions();
  void writeSummary();
  void writeOp(mlir::Operation *op);
  void figures(mlir::Operation *op);

  mutable mlir::func::FuncOp grad;
  Interpreter &interp;
  const std::vector<Tensor> &args;
  ReportOptions options;
  mlir::AsmState asmState;
  std::map<std::string, mlir::Operation *> forwardOps; // layer -> forward op
};

/// "(0, 1, 2, 3)".
std::string indexStr(const Index &index);
/// Row-major flat offset of `index` in `shape`.
int64_t flat(const std::vector<int64_t> &shape, const Index &index);
/// "[1, 2, 8, 8]".
std::string shapeStr(const std::vector<int64_t> &shape);
/// The receptive field of output position (n, c, i, j) of a windowed op
/// (conv2d, pooling): input rows h0 .. h0 + kh - 1 with h0 = i s_h - p_h,
/// and likewise for columns. Rows and columns may fall on the padding.
struct Window {
  int64_t n, c, i, j, h0, w0, kh, kw;
  /// Whether (h, w) lies inside an [N, C, H, W] input rather than padding.
  bool inside(const std::vector<int64_t> &shape, int64_t h, int64_t w) const {
    return h >= 0 && h < shape[2] && w >= 0 && w < shape[3];
  }
};
Window windowAt(const Index &at, llvm::ArrayRef<int64_t> kernel,
                llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> pad);

/// from, from + 1, ..., from + count - 1 (table rows and columns).
std::vector<int64_t> indexRange(int64_t from, int64_t count);

/// The windows of the max-pool gradient `op` (tcnn.max_pool2d_grad) whose
/// first maximum is input position `at`, each with the upstream gradient
/// it sends there, as text (PoolSections.cpp).
std::vector<std::string> maxPoolGradientSources(Report &r, mlir::Operation *op,
                                                const Index &at);

/// The section of the seed dL/dL = 1 where the backward pass starts
/// (LossSections.cpp).
void seedGradient(Report &r, mlir::Operation *op);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_REPORT_H
