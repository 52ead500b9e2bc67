//===- Layer.cpp - a forward op as a PyTorch layer ------------------------===//

#include "dialect/TcnnOps.h"

using namespace mlir::tcnn;

#include "dialect/LayerInterface.cpp.inc"

int64_t LayerPlan::getInt(llvm::StringRef name, int64_t dflt) const {
  auto it = args.find(name.str());
  return it == args.end() ? dflt : it->second.i;
}

bool LayerPlan::getBool(llvm::StringRef name, bool dflt) const {
  auto it = args.find(name.str());
  return it == args.end() ? dflt : it->second.b;
}

double LayerPlan::getFloat(llvm::StringRef name, double dflt) const {
  auto it = args.find(name.str());
  return it == args.end() ? dflt : it->second.f;
}

llvm::StringRef LayerPlan::getString(llvm::StringRef name,
                                    llvm::StringRef dflt) const {
  auto it = args.find(name.str());
  return it == args.end() ? dflt : llvm::StringRef(it->second.s);
}

std::array<int64_t, 2> LayerPlan::getPair(llvm::StringRef name,
                                          std::array<int64_t, 2> dflt) const {
  auto it = args.find(name.str());
  if (it == args.end())
    return dflt;
  if (it->second.type == LayerArg::Type::Int)
    return {it->second.i, it->second.i};
  return it->second.pair;
}

std::array<int64_t, 4> LayerPlan::getSides(llvm::StringRef name,
                                           std::array<int64_t, 4> dflt) const {
  auto it = args.find(name.str());
  return it == args.end() ? dflt : it->second.sides;
}

mlir::DenseI64ArrayAttr LayerPlan::givenPairAttr(mlir::Builder &b,
                                                 llvm::StringRef name) const {
  return has(name) ? pairAttr(b, getPair(name, {0, 0}))
                   : mlir::DenseI64ArrayAttr();
}

mlir::DenseI64ArrayAttr mlir::tcnn::pairAttr(mlir::Builder &b,
                                             std::array<int64_t, 2> p) {
  return b.getDenseI64ArrayAttr({p[0], p[1]});
}
