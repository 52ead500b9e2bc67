//===- Registration.h - dialects and passes tcnn's tools load ---*- C++ -*-===//

#ifndef TCNN_COMPILER_DRIVER_REGISTRATION_H
#define TCNN_COMPILER_DRIVER_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tcnnc {
/// Adds the tcnn dialect and the upstream dialects a tcnn module uses at
/// any stage of its lowering.
void registerDialects(mlir::DialectRegistry &registry);
/// Registers tcnn's passes and the upstream passes its pipelines use, so
/// tcnn-opt can run each one alone.
void registerPasses();
} // namespace tcnnc

#endif // TCNN_COMPILER_DRIVER_REGISTRATION_H
