//===- OptimizerSpec.h - `optimizer SGD(...)` in a model file ---*- C++ -*-===//
//
// A model file may name the optimizer its executable trains with by
// default, in torch.optim's spelling. The command line of the executable
// overrides any of its settings.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_FRONTEND_OPTIMIZERSPEC_H
#define TCNN_FRONTEND_OPTIMIZERSPEC_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Diagnostics.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>

namespace tcnnc {

/// Every setting of both optimizers, PyTorch's defaults where the model
/// file says nothing (lr 0.01 for SGD, whose lr PyTorch requires).
struct OptimizerConfig {
  std::string kind = "sgd"; ///< "sgd" or "adam"
  double lr = 0.01;
  double momentum = 0;
  double weightDecay = 0;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
};

/// Checks `SGD(lr, momentum, dampening=0, weight_decay, nesterov)` or
/// `Adam(lr, betas, eps, weight_decay, amsgrad=False)` as torch.optim
/// takes them (positional in that order, then keywords), with its value
/// checks; reports file:line:col errors.
std::optional<OptimizerConfig> bindOptimizer(const LayerCall &call,
                                             Diagnostics &diags);

/// The module attribute `tcnn.optimizer`: every setting of `config`.
mlir::DictionaryAttr optimizerAttr(mlir::Builder &b,
                                   const OptimizerConfig &config);

} // namespace tcnnc

#endif // TCNN_FRONTEND_OPTIMIZERSPEC_H
