//===- edge-aotc.cpp - the compiler driver --------------------------------===//
//
//   edge-aotc MODEL.onnx -target=TARGET [-mcpu=CPU] [-mattr=+a,-b] [-o OUT.o]
//             [--name=IDENT] [--input-shape=NAME:D0xD1x...]...
//             [--emit=mlir|edge|linalg|llvm-mlir|llvm|asm|obj]
//             [--no-libc] [-relocation-model=static|pic] [--weights-section=NAME]
//             [--unwind-tables]
//
// Writes OUT.o and OUT.h, or one text stage with --emit. On error: exit 1,
// one `error:` line naming the ONNX node, and no output file left behind.
//
//===----------------------------------------------------------------------===//
#include "compiler/CodeGen.h"
#include "compiler/Report.h"
#include "compiler/Importer.h"
#include "compiler/Pipeline.h"
#include "runtime_stub/HeaderEmitter.h"
#include "targets/TargetDescription.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace {
enum class Emit { MLIR, Edge, Linalg, LLVMMLIR, LLVMIR, Asm, Obj };

cl::OptionCategory category("edge-aotc options");
cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required, cl::cat(category));
cl::opt<std::string> targetName(
    "target", cl::desc("x86_64, aarch64, riscv64 or a full triple"),
    cl::Required, cl::cat(category));
cl::opt<std::string> mcpu("mcpu", cl::desc("target CPU (or 'native')"),
                          cl::cat(category));
cl::opt<std::string> mattr("mattr", cl::desc("target features, +a,-b"),
                           cl::cat(category));
cl::opt<std::string> outputFile("o", cl::desc("output file ('-' for stdout)"),
                                cl::value_desc("OUT.o"), cl::cat(category));
cl::opt<std::string> modelName("name",
                               cl::desc("C identifier prefix (default: the "
                                        "sanitized model file stem)"),
                               cl::cat(category));
cl::list<std::string> inputShapes(
    "input-shape", cl::desc("fix an input's shape: NAME:D0xD1x..."),
    cl::value_desc("NAME:D0xD1x..."), cl::cat(category));
cl::opt<std::string> reportFile(
    "report", cl::value_desc("FILE.json"),
    cl::desc("write the footprint report (arena plan, weights, code, per-layer "
             "FLOPs and offsets) as JSON"),
    cl::cat(category));
cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("compile with a graph input fixed to the tensor (ONNX "
             "TensorProto) in FILE: NAME:FILE"),
    cl::value_desc("NAME:FILE.pb"), cl::cat(category));
cl::opt<Emit> emit(
    "emit", cl::desc("stop after this stage"), cl::init(Emit::Obj),
    cl::values(clEnumValN(Emit::MLIR, "mlir", "imported IR"),
               clEnumValN(Emit::Edge, "edge", "edge dialect after clean-up"),
               clEnumValN(Emit::Linalg, "linalg", "linalg on tensors"),
               clEnumValN(Emit::LLVMMLIR, "llvm-mlir", "LLVM dialect"),
               clEnumValN(Emit::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Asm, "asm", "target assembly"),
               clEnumValN(Emit::Obj, "obj", "object file and header")),
    cl::cat(category));
cl::opt<bool> noLibc(
    "no-libc",
    cl::desc("no undefined symbols: memcpy/memmove/memset become inline "
             "loops (fails naming any other library call the target needs)"),
    cl::cat(category));
cl::opt<std::string> relocationModel(
    "relocation-model", cl::desc("static or pic (default: pic)"),
    cl::value_desc("static|pic"), cl::init("pic"), cl::cat(category));
cl::opt<std::string> weightsSection(
    "weights-section",
    cl::desc("put the weights (every constant global) in section NAME"),
    cl::value_desc("NAME"), cl::cat(category));
cl::opt<bool> unwindTables("unwind-tables",
                           cl::desc("emit unwind tables (.eh_frame)"),
                           cl::cat(category));
cl::opt<std::string> convTile(
    "conv-tile",
    cl::desc("override the row convolution kernel's register tile: output "
             "channels x vectors of output columns (default: the target's)"),
    cl::value_desc("CxV"), cl::cat(category));
cl::opt<std::string> channelTile(
    "channel-tile",
    cl::desc("override the channel convolution kernel's tile: "
             "vectors of output channels x output columns (default: its "
             "cost model)"),
    cl::value_desc("VxP"), cl::cat(category));
cl::opt<bool> splitStrided(
    "split-strided-conv",
    cl::desc("x86: run stride-2 convolutions whose output rows fill a vector "
             "as one stride-1 convolution over the input's four stride "
             "phases (default: on; off for A/B comparisons)"),
    cl::init(true), cl::cat(category));

/// "AxB" with A, B > 0, or false.
bool parseTile(llvm::StringRef text, unsigned &a, unsigned &b) {
  auto [l, r] = text.split('x');
  return !l.getAsInteger(10, a) && !r.getAsInteger(10, b) && a > 0 && b > 0 &&
         a <= 64 && b <= 64;
}

/// "node 'conv1' (Conv)" from the importer's NameLoc(name, NameLoc(op)).
std::string describeLocation(mlir::Location loc) {
  if (auto name = dyn_cast<mlir::NameLoc>(loc)) {
    // Nodes are NameLoc(node name, NameLoc(op type)); graph inputs and
    // initializers are NameLoc(tensor name, file) and their messages name
    // the tensor themselves.
    if (auto op = dyn_cast<mlir::NameLoc>(name.getChildLoc()))
      return "node '" + name.getName().str() + "' (" + op.getName().str() + ")";
    return describeLocation(name.getChildLoc());
  }
  if (auto file = dyn_cast<mlir::FileLineColLoc>(loc))
    return file.getFilename().str();
  if (auto fused = dyn_cast<mlir::FusedLoc>(loc))
    for (mlir::Location l : fused.getLocations()) {
      std::string s = describeLocation(l);
      if (!s.empty())
        return s;
    }
  if (auto callsite = dyn_cast<mlir::CallSiteLoc>(loc))
    return describeLocation(callsite.getCallee());
  return "";
}

std::string firstLine(const std::string &s) {
  return s.substr(0, s.find('\n'));
}

bool parseShape(StringRef spec, std::string &name, std::vector<int64_t> &dims) {
  auto [n, shape] = spec.rsplit(':');
  if (n.empty() || shape.empty())
    return false;
  name = n.str();
  SmallVector<StringRef> parts;
  shape.split(parts, 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d < 0)
      return false;
    dims.push_back(d);
  }
  return true;
}

int fail(const Twine &msg) {
  WithColor::error(errs(), "") << msg << "\n";
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  mlir::registerMLIRContextCLOptions();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  edge::registerCompilerPasses();
  // --help shows ours; LLVM's and MLIR's (still accepted) are under
  // --help-hidden.
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "edge-aotc: ONNX -> object + header\n\n"
      "  LLVM's and MLIR's own options (--mlir-print-ir-after-all, ...) are "
      "accepted too: --help-hidden lists them.\n");

  auto target = edge::resolveTarget(targetName, mcpu, mattr);
  if (!target)
    return fail(toString(target.takeError()));
  edge::CodeGenOptions codegenOptions;
  codegenOptions.noLibc = noLibc;
  codegenOptions.unwindTables = unwindTables;
  if (relocationModel != "static" && relocationModel != "pic")
    return fail("-relocation-model='" + relocationModel +
                "' is not static or pic");
  codegenOptions.staticRelocation = relocationModel == "static";
  if (weightsSection.getNumOccurrences() &&
      (weightsSection.empty() ||
       StringRef(weightsSection).find_first_not_of(
           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._$") !=
           StringRef::npos))
    return fail("--weights-section='" + weightsSection +
                "' is not a section name (letters, digits, '.', '_', '$')");
  codegenOptions.weightsSection = weightsSection;
  // The convolution kernels' shape: the target's, then the overrides
  // (checked here, before anything is written).
  edge::KernelShape kernel;
  kernel.vectorLanes = target->minVectorBits / 32;
  kernel.channelBlock = target->mr;
  kernel.columnVectors = target->nrVectors;
  // NEON has FMA by element (fmla v.4s, v.4s, v.s[i]): one vector load
  // feeds four output channels, where x86 folds a broadcast from memory
  // into the FMA and RVV takes the scalar (vfmacc.vf).
  kernel.laneFma = target->arch == edge::Arch::AArch64;
  // x86 deinterleaves a stride-2 row with a shuffle per input vector (in
  // an FMA port): stride-2 convolutions whose rows fill a vector run as
  // stride-1 convolutions over the input's stride phases instead. NEON and
  // RVV load a stride-2 row deinterleaved (ld2, vlseg2), and their narrow
  // vectors already fill rows: no split there.
  if (target->arch == edge::Arch::X86_64 && splitStrided)
    kernel.splitStridedMinWidth = kernel.vectorLanes;
  kernel.l1Bytes = target->l1DataBytes;
  kernel.l2Bytes = target->l2Bytes;
  if (!convTile.empty() &&
      !parseTile(convTile, kernel.channelBlock, kernel.columnVectors))
    return fail("--conv-tile='" + convTile +
                "' is not CxV, two integers in 1..64 (e.g. 8x3)");
  if (!channelTile.empty() &&
      !parseTile(channelTile, kernel.channelVectors, kernel.channelPixels))
    return fail("--channel-tile='" + channelTile +
                "' is not VxP, two integers in 1..64 (e.g. 2x7)");

  std::string stem = sys::path::stem(inputFile).str();
  if (StringRef(inputFile).ends_with(".onnxtxt"))
    stem = sys::path::stem(stem).str();
  std::string name = modelName.empty() ? edge::sanitizeIdentifier(stem)
                                       : modelName.getValue();
  if (name != edge::sanitizeIdentifier(name))
    return fail("--name='" + name + "' is not a C identifier");

  edge::ImportOptions importOptions;
  importOptions.functionName = name;
  for (const std::string &spec : inputShapes) {
    std::string n;
    std::vector<int64_t> dims;
    if (!parseShape(spec, n, dims))
      return fail("--input-shape='" + spec + "' is not NAME:D0xD1x...");
    importOptions.inputShapes[n] = dims;
  }
  for (const std::string &spec : frozenInputs) {
    auto [n, file] = StringRef(spec).split(':');
    if (n.empty() || file.empty())
      return fail("--freeze-input='" + spec + "' is not NAME:FILE");
    importOptions.frozenInputs[n.str()] = file.str();
  }

  mlir::DialectRegistry registry;
  edge::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  bool reported = false;
  ctx.getDiagEngine().registerHandler([&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Note ||
        d.getSeverity() == mlir::DiagnosticSeverity::Remark)
      return;
    bool isError = d.getSeverity() == mlir::DiagnosticSeverity::Error;
    if (isError && reported)
      return; // one line: the first error is the cause
    reported |= isError;
    std::string where = describeLocation(d.getLocation());
    auto &os = isError ? WithColor::error(errs(), "")
                       : WithColor::warning(errs(), "");
    if (!where.empty())
      os << where << ": ";
    os << firstLine(d.str()) << "\n";
  });

  // Output paths. Files are written under temporary names and only kept
  // when everything succeeded.
  const char *ext = ".o";
  switch (emit) {
  case Emit::MLIR: ext = ".mlir"; break;
  case Emit::Edge: ext = ".edge.mlir"; break;
  case Emit::Linalg: ext = ".linalg.mlir"; break;
  case Emit::LLVMMLIR: ext = ".llvm.mlir"; break;
  case Emit::LLVMIR: ext = ".ll"; break;
  case Emit::Asm: ext = ".s"; break;
  case Emit::Obj: ext = ".o"; break;
  }
  std::string outPath = outputFile.empty() ? stem + ext : outputFile.getValue();
  if (emit == Emit::Obj && outPath == "-")
    return fail("-o - is only for text stages (--emit=...)");

  edge::ModelInterface interface;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      edge::importOnnxModel(ctx, inputFile, importOptions, interface);
  if (!module)
    return 1;

  std::error_code ec;
  auto out = std::make_unique<ToolOutputFile>(outPath, ec, sys::fs::OF_None);
  if (ec)
    return fail("cannot open " + outPath + ": " + ec.message());
  auto finishText = [&]() {
    module->print(out->os());
    out->keep();
    return 0;
  };
  auto run = [&](const std::string &pipeline) {
    mlir::PassManager pm(&ctx);
    if (failed(mlir::applyPassManagerCLOptions(pm)))
      return false;
    mlir::applyDefaultTimingPassManagerCLOptions(pm);
    if (failed(mlir::parsePassPipeline(pipeline, pm, errs())))
      return false;
    return succeeded(pm.run(*module));
  };

  if (emit == Emit::MLIR)
    return finishText();
  if (!run(edge::edgeCleanupPipeline()))
    return 1;
  if (emit == Emit::Edge)
    return finishText();
  if (!reportFile.empty() && emit != Emit::Obj)
    return fail("--report needs an object (no --emit=...)");
  std::vector<edge::LayerInfo> layers;
  if (!reportFile.empty())
    layers = edge::collectLayers(*module);
  if (!run(edge::lowerToLinalgPipeline()))
    return 1;
  if (emit == Emit::Linalg)
    return finishText();
  if (!run(edge::lowerToLLVMPipeline(name, kernel)))
    return 1;
  if (emit == Emit::LLVMMLIR)
    return finishText();

  edge::CodeGenOutput kind = emit == Emit::LLVMIR ? edge::CodeGenOutput::LLVMIR
                             : emit == Emit::Asm  ? edge::CodeGenOutput::Assembly
                                                  : edge::CodeGenOutput::Object;
  if (Error e = edge::generateCode(*module, *target, kind, out->os(),
                                   codegenOptions))
    return fail(toString(std::move(e)));
  if (emit != Emit::Obj) {
    out->keep();
    return 0;
  }

  edge::HeaderInfo info;
  info.name = name;
  info.modelFile = sys::path::filename(inputFile).str();
  info.triple = target->triple;
  if (auto size = (*module)->getAttrOfType<mlir::IntegerAttr>("edge.arena_size"))
    info.arenaSize = size.getInt();
  info.interface = interface;
  SmallString<256> headerPath(outPath);
  sys::path::replace_extension(headerPath, ".h");
  auto header = std::make_unique<ToolOutputFile>(headerPath, ec,
                                                 sys::fs::OF_Text);
  if (ec)
    return fail("cannot open " + headerPath + ": " + ec.message());
  header->os() << edge::emitHeader(info);
  header->os().flush();
  out->os().flush();
  if (header->os().has_error() || out->os().has_error())
    return fail("cannot write the outputs");
  std::unique_ptr<ToolOutputFile> report;
  if (!reportFile.empty()) {
    report = std::make_unique<ToolOutputFile>(reportFile, ec, sys::fs::OF_Text);
    if (ec)
      return fail("cannot open " + reportFile + ": " + ec.message());
    if (Error e = edge::writeReport(report->os(), name, target->triple, layers,
                                    *module, outPath))
      return fail(toString(std::move(e)));
    report->os().flush();
    if (report->os().has_error())
      return fail("cannot write " + reportFile);
  }
  out->keep();
  header->keep();
  if (report)
    report->keep();
  return 0;
}
