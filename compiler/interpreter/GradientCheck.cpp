//===- GradientCheck.cpp - finite-difference check of gradients -----------===//

#include "compiler/interpreter/GradientCheck.h"

#include "compiler/interpreter/Interpreter.h"
#include "dialect/ShapeRules.h"
#include "dialect/TcnnOps.h"

#include "llvm/Support/Format.h"

#include <cmath>

using namespace tcnnc;

bool tcnnc::checkGradients(mlir::func::FuncOp forward, mlir::func::FuncOp grad,
                          llvm::raw_ostream &os, int64_t maxPerTensor) {
  // Central differences with h = 1e-6 in double: truncation error ~h^2,
  // rounding error ~1e-16/h, both far below the tolerance.
  const double h = 1e-6, atol = 1e-7, rtol = 1e-5;
  Interpreter exact(/*roundToFloat=*/false);
  auto args = exact.loadArguments(grad);
  if (mlir::failed(args))
    return false;
  auto analytic = exact.run(grad, *args);
  if (mlir::failed(analytic))
    return false;
  auto names = grad->getAttrOfType<mlir::ArrayAttr>(
      mlir::tcnn::kResultNamesAttr);
  auto lossAt = [&](std::vector<Tensor> &a) -> double {
    auto r = exact.run(forward, a);
    return mlir::succeeded(r) ? (*r)[0].data[0] : NAN;
  };

  bool allOk = true;
  int tensorsChecked = 0;
  int64_t elementsChecked = 0;
  for (unsigned r = 0; names && r < names.size(); ++r) {
    llvm::StringRef resultName = mlir::cast<mlir::StringAttr>(names[r]);
    if (!resultName.ends_with(".grad"))
      continue;
    llvm::StringRef argName = resultName.drop_back(5);
    int arg = -1;
    for (unsigned i = 0; i < grad.getNumArguments(); ++i)
      if (mlir::tcnn::argumentName(grad, i) == argName)
        arg = static_cast<int>(i);
    if (arg < 0)
      continue;
    const Tensor &g = (*analytic)[r];
    int64_t n = g.size();
    int64_t step = n <= maxPerTensor ? 1 : (n + maxPerTensor - 1) / maxPerTensor;
    double maxAbs = 0, maxRel = 0;
    int64_t bad = 0, count = 0;
    std::vector<Tensor> a = *args;
    for (int64_t i = 0; i < n; i += step, ++count) {
      double saved = a[arg].data[i];
      a[arg].data[i] = saved + h;
      double plus = lossAt(a);
      a[arg].data[i] = saved - h;
      double minus = lossAt(a);
      a[arg].data[i] = saved;
      double fd = (plus - minus) / (2 * h);
      double err = std::fabs(fd - g.data[i]);
      maxAbs = std::max(maxAbs, err);
      if (std::fabs(g.data[i]) > atol)
        maxRel = std::max(maxRel, err / std::fabs(g.data[i]));
      if (!(err <= atol + rtol * std::fabs(g.data[i])))
        ++bad;
    }
    ++tensorsChecked;
    elementsChecked += count;
    allOk &= bad == 0;
    os << llvm::format("  %-24s %-16s %5lld of %6lld elements  max abs err "
                       "%.2e  max rel err %.2e  %s\n",
                       resultName.str().c_str(),
                       mlir::tcnn::shapes::str(g.shape).c_str(),
                       static_cast<long long>(count),
                       static_cast<long long>(n), maxAbs, maxRel,
                       bad ? "FAIL" : "ok");
  }
  os << "gradient check: " << tensorsChecked << " tensors, " << elementsChecked
     << " elements, central differences in double (h = 1e-6, atol = 1e-7, "
        "rtol = 1e-5): "
     << (allOk && tensorsChecked > 0 ? "PASS" : "FAIL") << "\n";
  return allOk && tensorsChecked > 0;
}
