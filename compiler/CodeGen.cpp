//===- CodeGen.cpp - LLVM dialect -> object, in process -------------------===//
#include "compiler/CodeGen.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/LowerMemIntrinsics.h"

using namespace llvm;

namespace edge {

static void initializeTargets() {
  static bool done = [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
    return true;
  }();
  (void)done;
}

/// Replaces every llvm.memcpy/memmove/memset (and their .inline forms) with
/// an equivalent loop in place, so the backend has no call to lower them to.
/// Before O3 the loops are vectorized like the rest of the model; the
/// functions are "no-builtins", so loop-idiom recognition does not turn them
/// back into intrinsics. Returns how many were replaced.
static unsigned expandMemIntrinsics(Module &m, TargetMachine &tm) {
  SmallVector<IntrinsicInst *> work;
  for (Function &f : m)
    for (Instruction &i : instructions(f))
      if (isa<MemIntrinsic>(&i) || isa<MemSetPatternInst>(&i))
        work.push_back(cast<IntrinsicInst>(&i));
  unsigned expanded = 0;
  for (IntrinsicInst *call : work) {
    TargetTransformInfo tti = tm.getTargetTransformInfo(*call->getFunction());
    if (auto *copy = dyn_cast<MemCpyInst>(call)) {
      expandMemCpyAsLoop(copy, tti);
    } else if (auto *move = dyn_cast<MemMoveInst>(call)) {
      if (!expandMemMoveAsLoop(move, tti))
        continue; // left to the object check below, which names it
    } else if (auto *set = dyn_cast<MemSetInst>(call)) {
      expandMemSetAsLoop(set);
    } else if (auto *pattern = dyn_cast<MemSetPatternInst>(call)) {
      expandMemSetPatternAsLoop(pattern);
    } else {
      continue;
    }
    call->eraseFromParent();
    ++expanded;
  }
  return expanded;
}

/// x86 has no double -> half instruction (F16C converts from float only), so
/// LLVM would call __truncdfhf2. Rounding twice (double -> float -> half) is
/// wrong in rare ties; rounding to float *to odd* first is exact, as float
/// keeps more than two bits beyond half's precision at every magnitude half
/// can represent. Replaces each such fptrunc (scalar or vector) in place.
static void expandDoubleToHalf(Module &m) {
  SmallVector<FPTruncInst *> work;
  for (Function &f : m)
    for (Instruction &i : instructions(f))
      if (auto *trunc = dyn_cast<FPTruncInst>(&i))
        if (trunc->getSrcTy()->getScalarType()->isDoubleTy() &&
            trunc->getDestTy()->getScalarType()->isHalfTy())
          work.push_back(trunc);
  for (FPTruncInst *trunc : work) {
    IRBuilder<> b(trunc);
    Value *d = trunc->getOperand(0);
    Type *f32 = trunc->getDestTy()->getWithNewType(b.getFloatTy());
    Type *i32 = trunc->getDestTy()->getWithNewType(b.getInt32Ty());
    Value *f = b.CreateFPTrunc(d, f32);
    Value *back = b.CreateFPExt(f, d->getType());
    Value *inexact = b.CreateFCmpONE(back, d); // false for NaN
    Value *away = b.CreateFCmpOGT(
        b.CreateUnaryIntrinsic(Intrinsic::fabs, back),
        b.CreateUnaryIntrinsic(Intrinsic::fabs, d));
    // Toward zero (one step down in magnitude when rounding went away from
    // zero), then the sticky bit: float's last bit set when inexact.
    Value *bits = b.CreateBitCast(f, i32);
    bits = b.CreateSelect(b.CreateAnd(inexact, away),
                          b.CreateSub(bits, ConstantInt::get(i32, 1)), bits);
    bits = b.CreateSelect(inexact, b.CreateOr(bits, ConstantInt::get(i32, 1)),
                          bits);
    Value *half = b.CreateFPTrunc(b.CreateBitCast(bits, f32), trunc->getDestTy());
    trunc->replaceAllUsesWith(half);
    trunc->eraseFromParent();
  }
}

/// Weights (every constant global left after optimization): at least
/// kWeightsAlignment-byte aligned, and in `section` when one is given.
static void placeConstantData(Module &m, StringRef section) {
  for (GlobalVariable &gv : m.globals()) {
    if (!gv.isConstant() || !gv.hasInitializer() ||
        gv.getName().starts_with("llvm.") || gv.isThreadLocal())
      continue;
    if (gv.getAlign().valueOrOne() < Align(kWeightsAlignment))
      gv.setAlignment(Align(kWeightsAlignment));
    if (!section.empty())
      gv.setSection(section);
  }
}

/// Why an object may need `symbol`, for the error message.
static StringRef explainSymbol(StringRef symbol) {
  if (symbol.contains("hf") || symbol.contains("h2f") ||
      symbol.contains("f2h"))
    return "half-precision conversions: the target has no instruction for "
           "them (x86_64: -mattr=+f16c, riscv64: -mattr=+zfhmin)";
  if (symbol.starts_with("fmod"))
    return "floating-point remainder (e.g. ONNX Mod with fmod=1)";
  if (symbol.ends_with("ti3"))
    return "128-bit integer arithmetic";
  return "";
}

/// The emitted object's undefined symbols must be at most memcpy, memmove and
/// memset, or none at all with --no-libc: an error is better than an object
/// that does not link into firmware.
static Error checkUndefinedSymbols(StringRef bytes, bool noLibc) {
  Expected<std::unique_ptr<object::ObjectFile>> obj =
      object::ObjectFile::createObjectFile(MemoryBufferRef(bytes, "object"));
  if (!obj)
    return obj.takeError();
  std::string bad, why;
  for (const object::SymbolRef &sym : (*obj)->symbols()) {
    Expected<uint32_t> flags = sym.getFlags();
    if (!flags)
      return flags.takeError();
    if (!(*flags & object::SymbolRef::SF_Undefined))
      continue;
    Expected<StringRef> name = sym.getName();
    if (!name)
      return name.takeError();
    if (name->empty())
      continue;
    if (!noLibc && (*name == "memcpy" || *name == "memmove" ||
                    *name == "memset"))
      continue;
    bad += (bad.empty() ? "'" : ", '") + name->str() + "'";
    StringRef reason = explainSymbol(*name);
    if (!reason.empty() && !StringRef(why).contains(reason))
      why += ("; " + reason).str();
  }
  if (bad.empty())
    return Error::success();
  return createStringError(
      inconvertibleErrorCode(),
      "the object would reference " + bad +
          (noLibc ? ", which --no-libc forbids (no undefined symbols)"
                  : ", beyond memcpy/memmove/memset") +
          why);
}

Error generateCode(mlir::ModuleOp module, const TargetDescription &target,
                   CodeGenOutput kind, raw_pwrite_stream &os,
                   const CodeGenOptions &options) {
  initializeTargets();
  Triple triple(target.triple);
  std::string err;
  const Target *t = TargetRegistry::lookupTarget(triple, err);
  if (!t)
    return createStringError(inconvertibleErrorCode(),
                             "no LLVM target for " + target.triple + ": " + err);
  TargetOptions opts;
  opts.MCOptions.ABIName = target.abi;
  // One section per function and per global: --gc-sections can drop what is
  // unused, and a linker script can place each piece.
  opts.FunctionSections = true;
  opts.DataSections = true;
  std::unique_ptr<TargetMachine> tm(t->createTargetMachine(
      triple, target.cpu, target.features, opts,
      options.staticRelocation ? Reloc::Static : Reloc::PIC_, std::nullopt,
      CodeGenOptLevel::Aggressive));
  if (!tm)
    return createStringError(inconvertibleErrorCode(),
                             "cannot create a target machine for " +
                                 target.triple);

  LLVMContext ctx;
  std::unique_ptr<Module> m = mlir::translateModuleToLLVMIR(module, ctx);
  if (!m)
    return createStringError(inconvertibleErrorCode(),
                             "translation to LLVM IR failed");
  m->setTargetTriple(triple);
  m->setDataLayout(tm->createDataLayout());
  if (!target.abi.empty())
    m->addModuleFlag(Module::Error, "target-abi",
                     MDString::get(ctx, target.abi));
  // Firmware wants no unwind tables (unless asked) and code tuned for the
  // chosen CPU.
  for (Function &f : *m) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target.cpu);
    if (!target.features.empty())
      f.addFnAttr("target-features", target.features);
    f.addFnAttr(Attribute::NoUnwind);
    // A division marked `arcp` (the sigmoid's: x P(x^2) / Q(x^2) in f32,
    // 1 / (1 + e^-x) in f64; nothing the user wrote) may become the target's reciprocal estimate refined by
    // Newton steps to full f32 precision (x86 rcp14 + 1 step, AArch64
    // frecpe + 2 frecps, RVV vfrec7 + 2): a pipelined multiply chain instead
    // of a divider that takes one vector every few cycles.
    f.addFnAttr("reciprocal-estimates", "divf,vec-divf");
    f.setUWTableKind(options.unwindTables ? UWTableKind::Async
                                          : UWTableKind::None);
    if (options.noLibc)
      f.addFnAttr("no-builtins");
  }
  if (options.noLibc)
    expandMemIntrinsics(*m, *tm);
  if (target.arch == Arch::X86_64 &&
      !StringRef(target.features).contains("+avx512fp16"))
    expandDoubleToHalf(*m);
  if (verifyModule(*m, &errs()))
    return createStringError(inconvertibleErrorCode(),
                             "generated LLVM IR does not verify");

  {
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cgam;
    ModuleAnalysisManager mam;
    // With --no-libc no C library function exists for the optimizer either
    // (registered before PassBuilder's default, which it then replaces).
    TargetLibraryInfoImpl tlii(triple);
    if (options.noLibc) {
      tlii.disableAllFunctions();
      fam.registerPass([&] { return TargetLibraryAnalysis(tlii); });
    }
    PassBuilder pb(tm.get());
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
    mpm.run(*m, mam);
  }
  // Anything the optimizer turned back into an intrinsic becomes a loop
  // again (not vectorized any more, but correct).
  if (options.noLibc)
    expandMemIntrinsics(*m, *tm);
  placeConstantData(*m, options.weightsSection);

  if (kind == CodeGenOutput::LLVMIR) {
    m->print(os, nullptr);
    return Error::success();
  }
  // An object is built in memory and checked before a byte of it is written.
  SmallString<0> buffer;
  raw_svector_ostream bufferStream(buffer);
  raw_pwrite_stream &dest =
      kind == CodeGenOutput::Object ? static_cast<raw_pwrite_stream &>(bufferStream)
                                    : os;
  legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, dest, nullptr,
                              kind == CodeGenOutput::Object
                                  ? CodeGenFileType::ObjectFile
                                  : CodeGenFileType::AssemblyFile))
    return createStringError(inconvertibleErrorCode(),
                             "the target cannot emit this file type");
  pm.run(*m);
  if (kind == CodeGenOutput::Object) {
    if (Error e = checkUndefinedSymbols(buffer, options.noLibc))
      return e;
    os << buffer;
  }
  return Error::success();
}

} // namespace edge
