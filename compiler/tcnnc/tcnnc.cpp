//===- tcnnc.cpp - the tcnn compiler driver -------------------------------===//
//
// tcnnc MODEL.tcnn [--emit=STAGE] [-o FILE]
//
// Parses a model file and runs it through tcnn's one pipeline up to the
// stage named by --emit, printing that stage. Every stage is named after
// what it prints.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/OnnxInput.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/driver/Registration.h"
#include "compiler/support/MemoryBudget.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"

#include <unistd.h>

namespace cl = llvm::cl;

static cl::OptionCategory tcnncCategory("tcnnc options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.tcnn>"),
                                          cl::Required,
                                          cl::cat(tcnncCategory));

static cl::opt<std::string> targetCpu(
    "target-cpu",
    cl::desc("CPU to generate code for: 'host' (default) or an LLVM CPU name "
             "such as x86-64 or x86-64-v3 for a portable binary"),
    cl::value_desc("cpu"), cl::init("host"), cl::cat(tcnncCategory));

static cl::opt<std::string> outputFilename(
    "o", cl::desc("Write the output to <file> ('-' for stdout, the default)"),
    cl::value_desc("file"), cl::init("-"), cl::cat(tcnncCategory));

static cl::opt<tcnnc::Stage> emitStage(
    "emit", cl::desc("The pipeline stage to print:"),
    cl::init(tcnnc::Stage::Mlir),
    cl::values(
        clEnumValN(tcnnc::Stage::Ast, "ast",
                   "the parsed model file (syntax tree)"),
        clEnumValN(tcnnc::Stage::Mlir, "mlir",
                   "the forward function in the tcnn dialect (default)"),
        clEnumValN(tcnnc::Stage::MlirGrad, "mlir-grad",
                   "after -tcnn-autodiff: forward plus the derived backward "
                   "ops"),
        clEnumValN(tcnnc::Stage::Linalg, "linalg",
                   "after -tcnn-to-linalg: linalg/tensor ops on tensors"),
        clEnumValN(tcnnc::Stage::Tiled, "tiled",
                   "convolutions and matmuls tiled (scf.forall, scf.for)"),
        clEnumValN(tcnnc::Stage::Vector, "vector",
                   "the tiles vectorized (vector dialect)"),
        clEnumValN(tcnnc::Stage::Loops, "loops",
                   "bufferized: loop nests (scf) on memrefs"),
        clEnumValN(tcnnc::Stage::LlvmMlir, "llvm-mlir", "the LLVM dialect"),
        clEnumValN(tcnnc::Stage::LlvmIr, "llvm-ir",
                   "LLVM IR, optimized (O2, host CPU)"),
        clEnumValN(tcnnc::Stage::Asm, "asm", "host assembly"),
        clEnumValN(tcnnc::Stage::Obj, "obj", "host object file"),
        clEnumValN(tcnnc::Stage::Exe, "exe",
                   "an executable (the default for -o FILE without one of "
                   "the extensions .mlir .ll .s .o)")),
    cl::cat(tcnncCategory));

static cl::opt<bool> compileOnly(
    "c",
    cl::desc("Write <name>.o and <name>.h, the model as a C library "
             "(<name> from -o, else the model file's name)"),
    cl::cat(tcnncCategory));

static cl::list<std::string> wrtInputs(
    "wrt",
    cl::desc("Also differentiate with respect to these inputs (comma "
             "separated); parameters are always differentiated"),
    cl::CommaSeparated, cl::value_desc("input,..."), cl::cat(tcnncCategory));

static cl::opt<bool> runModel(
    "run",
    cl::desc("Interpret forward and backward; print loss, output and "
             "gradients"),
    cl::cat(tcnncCategory));

static cl::opt<bool> evalMode(
    "eval-mode",
    cl::desc("Inference mode, PyTorch's model.eval(): BatchNorm uses its "
             "running statistics, Dropout passes its input through (the "
             "default is training mode, model.train())"),
    cl::cat(tcnncCategory));

static cl::opt<std::string> dumpDir(
    "dump",
    cl::desc("With --run: write every input, parameter, activation and "
             "gradient as <name>.npy / <name>.grad.npy into <dir>"),
    cl::value_desc("dir"), cl::cat(tcnncCategory));

static cl::opt<bool> checkGradients(
    "check-gradients",
    cl::desc("Compare every gradient with central finite differences in "
             "double precision; exit 1 on disagreement"),
    cl::cat(tcnncCategory));

static cl::opt<std::string> maxMemory(
    "max-memory",
    cl::desc("Refuse models whose training step needs more memory than "
             "this (inputs, parameters, activations and their gradients), "
             "e.g. 512M, 8G; default 4G"),
    cl::value_desc("size"), cl::init("4G"), cl::cat(tcnncCategory));

static cl::OptionCategory explainCategory(
    "tcnnc explain options (tcnnc explain MODEL.tcnn [options])");

static cl::opt<std::string> explainFormat(
    "format",
    cl::desc("Report format: md (default) or html (one self-contained page "
             "with rendered formulas, heatmaps and the op graph)"),
    cl::init("md"), cl::value_desc("md|html"), cl::cat(explainCategory));

static cl::opt<std::string> explainLayer(
    "layer", cl::desc("Explain only this layer"), cl::value_desc("name"),
    cl::cat(explainCategory));

static cl::opt<std::string> explainAt(
    "at",
    cl::desc("The output position to explain, b,c,y,x (default 0,0,1,1 "
             "where it exists, else 0,0,0,0)"),
    cl::value_desc("b,c,y,x"), cl::cat(explainCategory));

static cl::opt<int> explainPrecision(
    "precision",
    cl::desc("Decimals of the operands written out in arithmetic (default "
             "6, the precision of every value; fewer reads more easily and "
             "the report says it rounded)"),
    cl::init(6), cl::cat(explainCategory));

static cl::opt<bool> explainSymbolic(
    "symbolic",
    cl::desc("Derive each convolution with symbols (w1.., d1..) instead"),
    cl::cat(explainCategory));

static cl::OptionCategory importCategory(
    "ONNX models (tcnnc import MODEL.onnx -o DIR, or MODEL.onnx in place of "
    "a model file)");

static cl::opt<std::string> importLoss(
    "loss",
    cl::desc("Append this loss to the imported model, with a target input "
             "'target' (e.g. CrossEntropyLoss, MSELoss)"),
    cl::value_desc("kind"), cl::cat(importCategory));

int main(int argc, char **argv) {
  // `tcnnc explain ...` is tcnnc with an explanation as its output.
  bool explain = argc > 1 && llvm::StringRef(argv[1]) == "explain";
  // `tcnnc import MODEL.onnx -o DIR` writes DIR/<name>.tcnn and its .npy.
  bool import = argc > 1 && llvm::StringRef(argv[1]) == "import";
  std::vector<char *> args(argv, argv + argc);
  if (explain || import)
    args.erase(args.begin() + 1);
  argc = static_cast<int>(args.size());
  argv = args.data();
  llvm::InitLLVM init(argc, argv);
  // With --max-memory raised past what the machine has, an allocation can
  // still fail: say so in one line instead of a stack dump.
  llvm::install_bad_alloc_error_handler([](void *, const char *, bool) {
    static const char message[] =
        "tcnnc: error: out of memory (the model is larger than this machine "
        "can hold; see --max-memory)\n";
    (void)!write(2, message, sizeof message - 1);
    _exit(1);
  });
  tcnnc::registerPasses();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::SetVersionPrinter(
      [](llvm::raw_ostream &os) { os << "tcnnc (tcnn) on LLVM/MLIR 19\n"; });
  // tcnnc's own options in --help; MLIR's (printing, pass manager,
  // timing) in --help-hidden; none of the LLVM backends' hundreds.
  auto &registered = cl::getRegisteredOptions();
  for (auto &entry : registered) {
    cl::Option *option = entry.second;
    llvm::StringRef name = entry.first();
    bool ours = llvm::any_of(option->Categories, [](cl::OptionCategory *c) {
      return c == &tcnncCategory || c == &explainCategory ||
             c == &importCategory;
    });
    bool generic = name.starts_with("help") || name == "version" ||
                   name.starts_with("print-") && name.ends_with("options");
    if (name.starts_with("mlir-"))
      option->setHiddenFlag(cl::Hidden);
    else if (!ours && !generic)
      option->setHiddenFlag(cl::ReallyHidden);
  }
  // An error names its place; the whole module after it ("see current
  // operation") is noise to a model author. The flag turns it back on.
  if (auto *printOp = registered.lookup("mlir-print-op-on-diagnostic"))
    static_cast<cl::opt<bool> *>(printOp)->setInitialValue(false);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tcnnc: compile a TinyCNN model file (.tcnn)\n\n"
      "Parses the model, checks every layer's arguments and shapes, and\n"
      "prints the pipeline stage chosen with --emit. Errors are reported as\n"
      "file:line:col: error: message, with a non-zero exit.\n\n"
      "Examples:\n"
      "  tcnnc examples/tinycnn.tcnn                 # tcnn dialect MLIR\n"
      "  tcnnc examples/tinycnn.tcnn --emit=ast      # the syntax tree\n"
      "  tcnnc examples/tinycnn.tcnn --emit=mlir-grad  # with backward ops\n"
      "  tcnnc examples/tinycnn.tcnn -o tinycnn      # native executable\n"
      "  tcnnc -c examples/tinycnn.tcnn              # tinycnn.o + tinycnn.h\n"
      "  tcnnc examples/tinycnn.tcnn --emit=loops    # any stage: linalg, loops,\n"
      "                                  # llvm-mlir, llvm-ir, asm, obj\n"
      "  tcnnc examples/tinycnn.tcnn --run --dump out  # interpret, write .npy\n"
      "  tcnnc examples/tinycnn.tcnn --check-gradients # finite differences\n"
      "  tcnnc m.tcnn --mlir-print-ir-after-all      # watch every pass\n"
      "  tcnnc explain examples/tinycnn.tcnn -o report.md  # explain every op\n"
      "  tcnnc explain m.tcnn --symbolic --layer conv  # derivation with symbols\n"
      "  tcnnc explain m.tcnn --emit=mlir-grad       # IR with computed values\n"
      "  tcnnc import net.onnx -o net/               # net/net.tcnn + .npy\n"
      "  tcnnc net.onnx --loss CrossEntropyLoss -o net  # ONNX in place of .tcnn\n"
      "(--help-hidden lists MLIR's printing and pass-manager flags.)\n");

  if (import) {
    if (outputFilename.getNumOccurrences() == 0 || outputFilename == "-") {
      llvm::errs() << "tcnnc: error: tcnnc import needs -o DIR, the "
                      "directory for the model file and its .npy files\n";
      return 1;
    }
    if (!tcnnc::isOnnxFile(inputFilename)) {
      llvm::errs() << "tcnnc: error: tcnnc import reads ONNX models "
                      "(.onnx), not '"
                   << inputFilename << "'\n";
      return 1;
    }
    return tcnnc::importToDirectory(inputFilename, outputFilename,
                                    importLoss);
  }
  tcnnc::PipelineOptions options;
  options.inputFilename = inputFilename;
  options.importLoss = importLoss;
  options.outputFilename = outputFilename;
  options.stage = emitStage;
  // Without --emit: -c builds the C library, -o FILE an executable.
  bool emitGiven = emitStage.getNumOccurrences() > 0;
  std::string stem = llvm::sys::path::stem(inputFilename).str();
  if (compileOnly) {
    if (emitGiven) {
      llvm::errs() << "tcnnc: error: -c and --emit cannot be combined\n";
      return 1;
    }
    options.stage = tcnnc::Stage::Lib;
    if (outputFilename.getNumOccurrences() == 0)
      options.outputFilename = stem;
  } else if (!emitGiven && outputFilename.getNumOccurrences() > 0 &&
             outputFilename != "-") {
    // As compilers do: the output's extension names what to write.
    llvm::StringRef ext = llvm::sys::path::extension(outputFilename);
    options.stage = ext == ".mlir" ? tcnnc::Stage::Mlir
                    : ext == ".ll" ? tcnnc::Stage::LlvmIr
                    : ext == ".s"  ? tcnnc::Stage::Asm
                    : ext == ".o"  ? tcnnc::Stage::Obj
                                   : tcnnc::Stage::Exe;
  }
  if (options.stage == tcnnc::Stage::Exe && options.outputFilename == "-")
    options.outputFilename = stem;
  options.wrt.assign(wrtInputs.begin(), wrtInputs.end());
  options.run = runModel || !dumpDir.empty();
  options.dumpDir = dumpDir;
  options.checkGradients = checkGradients;
  options.evalMode = evalMode;
  options.targetCpu = targetCpu;
  auto memory = tcnnc::parseByteSize(maxMemory);
  if (!memory || *memory == 0) {
    llvm::errs() << "tcnnc: error: --max-memory expects a size such as 512M "
                    "or 8G, got '"
                 << maxMemory << "'\n";
    return 1;
  }
  options.maxMemory = *memory;
  if (!options.wrt.empty() && options.stage >= tcnnc::Stage::Exe) {
    llvm::errs() << "tcnnc: error: --wrt is for --emit=mlir-grad and later "
                    "IR stages, --run and explain; executables and "
                    "libraries compute the parameter gradients only\n";
    return 1;
  }
  if (options.evalMode && options.stage >= tcnnc::Stage::Exe) {
    llvm::errs() << "tcnnc: error: --eval-mode is for the IR stages, --run "
                    "and explain; executables and libraries train in "
                    "training mode and evaluate and predict in inference "
                    "mode\n";
    return 1;
  }
  bool explainFlags = explainFormat.getNumOccurrences() ||
                      explainLayer.getNumOccurrences() ||
                      explainAt.getNumOccurrences() ||
                      explainPrecision.getNumOccurrences() ||
                      explainSymbolic.getNumOccurrences();
  if (explainFlags && !explain) {
    llvm::errs() << "tcnnc: error: --format, --layer, --at, --precision and "
                    "--symbolic belong to 'tcnnc explain MODEL'\n";
    return 1;
  }
  if (explain) {
    if (explainFormat != "md" && explainFormat != "html") {
      llvm::errs() << "tcnnc: error: --format=" << explainFormat
                   << " is not supported (formats: md, html)\n";
      return 1;
    }
    if (explainFormat == "html" && emitGiven) {
      llvm::errs() << "tcnnc: error: --format=html is for the report and "
                      "--symbolic, not --emit\n";
      return 1;
    }
    options.explainHtml = explainFormat == "html";
    if (explainPrecision < 1 || explainPrecision > 12) {
      llvm::errs() << "tcnnc: error: --precision must be between 1 and 12\n";
      return 1;
    }
    if (emitGiven && emitStage != tcnnc::Stage::MlirGrad) {
      llvm::errs() << "tcnnc: error: tcnnc explain --emit accepts only "
                      "mlir-grad (the IR annotated with values)\n";
      return 1;
    }
    options.explain = true;
    options.stage = emitGiven ? tcnnc::Stage::MlirGrad : tcnnc::Stage::Mlir;
    options.outputFilename = outputFilename;
    options.explainLayer = explainLayer;
    options.explainAt = explainAt;
    options.explainPrecision = explainPrecision;
    options.explainSymbolic = explainSymbolic;
  }
  return tcnnc::runPipeline(options);
}
