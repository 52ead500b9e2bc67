//===- ExplainInterface.h - an op's sections in a report --------*- C++ -*-===//

#ifndef TCNN_EXPLAIN_EXPLAININTERFACE_H
#define TCNN_EXPLAIN_EXPLAININTERFACE_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

namespace tcnnc::explain {
class Report;
} // namespace tcnnc::explain

#include "compiler/explain/ExplainInterface.h.inc"

namespace tcnnc::explain {

/// Attaches `Fn` as the section writer of `OpT` (one line per op in each
/// family's registration function).
template <typename OpT, void (*Fn)(Report &, mlir::Operation *)>
struct FnSections
    : ExplainOpInterface::ExternalModel<FnSections<OpT, Fn>, OpT> {
  void explain(mlir::Operation *op, Report &report) const { Fn(report, op); }
};

/// Attaches every op family's section writers.
void registerSections(mlir::DialectRegistry &registry);
void registerConvSections(mlir::DialectRegistry &registry);
void registerPoolSections(mlir::DialectRegistry &registry);
void registerElementwiseSections(mlir::DialectRegistry &registry);
void registerActivationSections(mlir::DialectRegistry &registry);
void registerLinearSections(mlir::DialectRegistry &registry);
void registerLossSections(mlir::DialectRegistry &registry);
void registerNormSections(mlir::DialectRegistry &registry);
void registerDropoutSections(mlir::DialectRegistry &registry);
void registerPadSections(mlir::DialectRegistry &registry);

} // namespace tcnnc::explain

#endif // TCNN_EXPLAIN_EXPLAININTERFACE_H
