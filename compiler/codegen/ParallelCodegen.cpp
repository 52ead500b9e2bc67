//===- ParallelCodegen.cpp - O2 and machine code on every core ------------===//
//
// LLVM's O2 pipeline and instruction selection take most of `tcnnc -o`'s
// time, on one core. Each top-level loop nest moves into a function of its
// own, the module is split into parts by function, each part optimized and
// compiled in a thread of its own (one LLVMContext and TargetMachine each:
// neither is shared between threads), and the resulting objects are linked
// together. Little that O2 could use crosses a part: tcnn's functions never
// call each other and the OpenMP bodies outlined from them are called
// through the runtime; an extracted loop nest no longer sees that its
// buffers come from distinct allocations (docs/pipeline.md).
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Native.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <thread>

using namespace tcnnc::codegen;

namespace {

/// Whether `v` is a vector splat of a scalar, `shufflevector (insertelement
/// poison, x, 0), poison, zeroinitializer`: what a vector.broadcast
/// becomes.
bool isSplat(llvm::Value *v) {
  auto *shuffle = llvm::dyn_cast<llvm::ShuffleVectorInst>(v);
  if (!shuffle || !shuffle->isZeroEltSplat())
    return false;
  auto *insert =
      llvm::dyn_cast<llvm::InsertElementInst>(shuffle->getOperand(0));
  auto *index = insert ? llvm::dyn_cast<llvm::ConstantInt>(insert->getOperand(2))
                       : nullptr;
  return index && index->isZero() &&
         llvm::isa<llvm::UndefValue>(insert->getOperand(0));
}

/// Recomputes, inside each top-level loop, the vector splats it uses from
/// before it. MLIR hoists a broadcast of a scalar out of the loops and
/// shares it between them; extracted as is, each loop function would take
/// the 64-lane vector as an argument, passed piecewise on the stack (a
/// few hundred instructions per loop) instead of one broadcast.
void rematerializeSplats(llvm::Function &f) {
  llvm::DominatorTree dom(f);
  llvm::LoopInfo loops(dom);
  for (llvm::Loop *loop : loops) {
    llvm::DenseMap<llvm::Value *, llvm::Value *> copies;
    llvm::Instruction *at = &*loop->getHeader()->getFirstInsertionPt();
    for (llvm::BasicBlock *block : loop->blocks())
      for (llvm::Instruction &inst : *block) {
        // A phi's operand is used on its incoming edge, which may come
        // from outside the loop: it keeps the value from there.
        if (llvm::isa<llvm::PHINode>(inst))
          continue;
        for (llvm::Use &use : inst.operands()) {
          auto *def = llvm::dyn_cast<llvm::Instruction>(use.get());
          if (!def || loop->contains(def) || !isSplat(def))
            continue;
          llvm::Value *&copy = copies[def];
          if (!copy) {
            auto *insert = llvm::cast<llvm::Instruction>(def->getOperand(0));
            llvm::Instruction *newInsert = insert->clone();
            newInsert->insertBefore(at);
            llvm::Instruction *newShuffle = def->clone();
            newShuffle->setOperand(0, newInsert);
            newShuffle->insertBefore(at);
            copy = newShuffle;
          }
          use.set(copy);
        }
      }
  }
}

/// Moves every top-level loop nest of the module's functions into a
/// function of its own (LLVM's loop-extract), so that the one large train
/// step function, otherwise most of the module, can be dealt out over the
/// parts too. The new functions are never inlined back: each part must
/// compile only its own.
bool extractLoops(llvm::Module &module, std::string &error) {
  llvm::SmallPtrSet<llvm::Function *, 16> before;
  for (llvm::Function &f : module)
    before.insert(&f);
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  for (llvm::Function &f : module)
    if (!f.isDeclaration())
      rematerializeSplats(f);
  llvm::ModulePassManager mpm;
  if (llvm::Error err = pb.parsePassPipeline(
          mpm, "function(loop-simplify),loop-extract")) {
    error = "cannot extract loops: " + llvm::toString(std::move(err));
    return false;
  }
  mpm.run(module, mam);
  for (llvm::Function &f : module)
    if (!before.contains(&f))
      f.addFnAttr(llvm::Attribute::NoInline);
  return true;
}

/// Gives every definition a name that is global to the program: local
/// symbols (OpenMP bodies, constants) become hidden globals prefixed with
/// `prefix`, so that a part can refer to what another part defines, and
/// two models linked into one program keep theirs apart.
void externalize(llvm::Module &module, const std::string &prefix) {
  for (llvm::GlobalValue &gv : module.global_values()) {
    if (gv.isDeclaration() || !gv.hasLocalLinkage())
      continue;
    gv.setName(prefix + "." + (gv.hasName() ? gv.getName() : "unnamed"));
    gv.setLinkage(llvm::GlobalValue::ExternalLinkage);
    gv.setVisibility(llvm::GlobalValue::HiddenVisibility);
  }
}

/// The part of every definition: functions dealt out largest first to the
/// part with the fewest instructions so far; variables (data, constants)
/// to part 0.
llvm::DenseMap<const llvm::GlobalValue *, unsigned>
partition(llvm::Module &module, unsigned parts) {
  llvm::SmallVector<std::pair<size_t, llvm::Function *>> functions;
  for (llvm::Function &f : module)
    if (!f.isDeclaration())
      functions.push_back({f.getInstructionCount(), &f});
  llvm::stable_sort(functions, [](auto &a, auto &b) { return a.first > b.first; });
  llvm::SmallVector<size_t> load(parts, 0);
  llvm::DenseMap<const llvm::GlobalValue *, unsigned> partOf;
  for (auto &[size, f] : functions) {
    unsigned least = std::min_element(load.begin(), load.end()) - load.begin();
    partOf[f] = least;
    load[least] += size;
  }
  return partOf;
}

/// O2 and machine code of one part, given as bitcode, in a context of its
/// own.
void compilePart(llvm::StringRef bitcode, llvm::TargetMachine &tm,
                 std::string &object, std::string &error) {
  llvm::LLVMContext context;
  auto module = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(bitcode, "tcnn-part"), context);
  if (!module) {
    error = "cannot read back a part of the module: " +
            llvm::toString(module.takeError());
    return;
  }
  optimizeLLVMIR(**module, tm);
  llvm::SmallString<0> code;
  llvm::raw_svector_ostream os(code);
  if (emitMachineCode(**module, tm, os, /*assembly=*/false, error))
    object = code.str().str();
}

} // namespace

unsigned tcnnc::codegen::codegenThreads() {
  return std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
}

bool tcnnc::codegen::compileInParts(std::unique_ptr<llvm::Module> module,
                                    const std::string &cpu,
                                    const std::string &prefix, unsigned parts,
                                    std::vector<std::string> &objects,
                                    std::string &error) {
  size_t definitions = llvm::count_if(
      *module, [](llvm::Function &f) { return !f.isDeclaration(); });
  parts = std::max<unsigned>(1, std::min<size_t>(parts, definitions));
  if (parts > 1 && !extractLoops(*module, error))
    return false;
  externalize(*module, prefix);
  auto partOf = partition(*module, parts);
  // Each part as bitcode, cloned from the one context before any thread
  // starts.
  std::vector<std::string> bitcode(parts);
  for (unsigned i = 0; i < parts; ++i) {
    llvm::ValueToValueMapTy map;
    std::unique_ptr<llvm::Module> part = llvm::CloneModule(
        *module, map, [&](const llvm::GlobalValue *gv) {
          auto it = partOf.find(gv);
          return (it == partOf.end() ? 0u : it->second) == i;
        });
    llvm::raw_string_ostream os(bitcode[i]);
    llvm::WriteBitcodeToFile(*part, os);
  }
  module.reset();
  std::vector<std::unique_ptr<llvm::TargetMachine>> machines;
  for (unsigned i = 0; i < parts; ++i) {
    machines.push_back(hostTargetMachine(cpu, error));
    if (!machines.back())
      return false;
  }
  objects.assign(parts, std::string());
  std::vector<std::string> errors(parts);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < parts; ++i)
    threads.emplace_back(compilePart, llvm::StringRef(bitcode[i]),
                         std::ref(*machines[i]), std::ref(objects[i]),
                         std::ref(errors[i]));
  compilePart(bitcode[0], *machines[0], objects[0], errors[0]);
  for (std::thread &t : threads)
    t.join();
  for (const std::string &e : errors)
    if (!e.empty()) {
      error = e;
      return false;
    }
  return true;
}
