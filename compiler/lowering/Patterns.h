//===- Patterns.h - tcnn -> linalg rewrite patterns, by op family -*- C++ -*-===//

#ifndef TCNN_LOWERING_PATTERNS_H
#define TCNN_LOWERING_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace tcnnc::lowering {
/// conv2d, conv2d_input_grad, conv2d_weight_grad, bias_grad (LowerConv.cpp).
void populateConvPatterns(mlir::RewritePatternSet &patterns);
/// max/avg pooling and their gradients (LowerPool.cpp).
void populatePoolPatterns(mlir::RewritePatternSet &patterns);
/// relu, relu_grad, add, flatten, reshape (LowerElementwise.cpp).
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
/// linear and its gradients (LowerLinear.cpp).
void populateLinearPatterns(mlir::RewritePatternSet &patterns);
/// mse_loss, cross_entropy_loss and their gradients (LowerLoss.cpp).
void populateLossPatterns(mlir::RewritePatternSet &patterns);
} // namespace tcnnc::lowering

#endif // TCNN_LOWERING_PATTERNS_H
