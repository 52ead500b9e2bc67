//===- ASTPrinter.cpp - `tcnnc --emit=ast` --------------------------------===//

#include "compiler/frontend/AST.h"

#include <cstdio>

using namespace tcnnc;

/// Shortest readable form of a number ("0.5", "7", "1e-06").
static std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

static void printShape(const std::vector<int64_t> &shape,
                       llvm::raw_ostream &os) {
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  os << "]";
}

static void printInit(const TensorInit &init, llvm::raw_ostream &os) {
  switch (init.kind) {
  case TensorInit::Kind::Npy:
    os << "npy(\"" << init.path << "\")";
    break;
  case TensorInit::Kind::Zeros:
    os << "zeros";
    break;
  case TensorInit::Kind::Ones:
    os << "ones";
    break;
  case TensorInit::Kind::Full:
    os << "full(" << num(init.a) << ")";
    break;
  case TensorInit::Kind::Uniform:
  case TensorInit::Kind::Randint:
    os << (init.kind == TensorInit::Kind::Uniform ? "uniform(" : "randint(")
       << num(init.a) << ", " << num(init.b);
    if (init.seed)
      os << ", seed=" << *init.seed;
    os << ")";
    break;
  case TensorInit::Kind::Literal:
    os << "list of shape ";
    printShape(init.literalShape, os);
    break;
  }
}

static void printLoc(SourceLoc loc, llvm::raw_ostream &os) {
  os << "  @" << loc.line << ":" << loc.col;
}

/// `Kind(arg, key=value, ...)`.
static void printCall(const LayerCall &call, llvm::raw_ostream &os) {
  os << call.kind << "(";
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Arg &a = call.args[i];
    os << (i ? ", " : "");
    if (!a.keyword.empty())
      os << a.keyword << "=";
    switch (a.value.kind) {
    case ArgValue::Kind::Int:
      os << a.value.i;
      break;
    case ArgValue::Kind::Float:
      os << num(a.value.f);
      break;
    case ArgValue::Kind::Bool:
      os << (a.value.b ? "true" : "false");
      break;
    case ArgValue::Kind::Pair:
      os << "(" << a.value.pair[0] << ", " << a.value.pair[1] << ")";
      break;
    case ArgValue::Kind::FloatPair:
      os << "(" << num(a.value.fpair[0]) << ", " << num(a.value.fpair[1])
         << ")";
      break;
    case ArgValue::Kind::Quad:
      os << "(" << a.value.quad[0] << ", " << a.value.quad[1] << ", "
         << a.value.quad[2] << ", " << a.value.quad[3] << ")";
      break;
    case ArgValue::Kind::String:
      os << '"' << a.value.s << '"';
      break;
    case ArgValue::Kind::None:
      os << "None";
      break;
    }
  }
  os << ")";
}

void tcnnc::printAST(const ModelAST &model, llvm::raw_ostream &os) {
  os << "Model " << model.name;
  printLoc(model.nameLoc, os);
  os << "\n  seed " << model.seed << "\n";
  for (const TensorDecl &t : model.tensors) {
    os << "  " << (t.isTarget ? "Target " : "Input ") << t.name << " ";
    printShape(t.shape, os);
    if (t.init) {
      os << " = ";
      printInit(*t.init, os);
    }
    printLoc(t.loc, os);
    os << "\n";
  }
  for (const LayerStmt &l : model.layers) {
    os << "  Layer " << l.name << " = ";
    printCall(l.call, os);
    os << "(";
    for (size_t i = 0; i < l.operands.size(); ++i)
      os << (i ? ", " : "") << l.operands[i].first;
    os << ")";
    printLoc(l.loc, os);
    os << "\n";
  }
  if (model.optimizer) {
    os << "  Optimizer ";
    printCall(*model.optimizer, os);
    printLoc(model.optimizer->loc, os);
    os << "\n";
  }
  for (const auto &[alias, target] : model.aliases)
    os << "  Alias " << alias << " -> " << target << "\n";
  for (const ParamAssign &p : model.params) {
    os << "  Param " << p.layer << "." << p.param;
    if (p.index) {
      printShape(*p.index, os);
      os << " = " << num(p.scalar);
    } else {
      os << " = ";
      printInit(p.init, os);
    }
    printLoc(p.loc, os);
    os << "\n";
  }
}
