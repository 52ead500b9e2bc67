//===- TransformScript.cpp - run a transform script on a module -----------===//

#include "compiler/optimize/Passes.h"

#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/TransformOps/DialectExtension.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/TransformOps/SCFTransformOps.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/TransformOps/VectorTransformOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

void tcnnc::optimize::registerOptimizeInterfaces(DialectRegistry &registry) {
  registry.insert<transform::TransformDialect, vector::VectorDialect>();
  linalg::registerTransformDialectExtension(registry);
  scf::registerTransformDialectExtension(registry);
  vector::registerTransformDialectExtension(registry);
  linalg::registerTilingInterfaceExternalModels(registry);
  affine::registerValueBoundsOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  linalg::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
}

LogicalResult tcnnc::optimize::applyTransformScript(ModuleOp payload,
                                                    StringRef script) {
  ParserConfig config(payload.getContext());
  OwningOpRef<ModuleOp> library =
      parseSourceString<ModuleOp>(script, config, "tcnn-schedule");
  if (!library)
    return payload.emitError("tcnn built a transform script it cannot parse");
  auto entry = library->lookupSymbol<transform::NamedSequenceOp>(
      "__transform_main");
  if (!entry)
    return payload.emitError("transform script without @__transform_main");
  return transform::applyTransformNamedSequence(
      payload, entry, *library, transform::TransformOptions());
}
