//===- CodeGen.cpp - LLVM dialect -> object, in process -------------------===//
#include "compiler/CodeGen.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"

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

Error generateCode(mlir::ModuleOp module, const TargetDescription &target,
                   CodeGenOutput kind, raw_pwrite_stream &os) {
  initializeTargets();
  Triple triple(target.triple);
  std::string err;
  const Target *t = TargetRegistry::lookupTarget(triple, err);
  if (!t)
    return createStringError(inconvertibleErrorCode(),
                             "no LLVM target for " + target.triple + ": " + err);
  TargetOptions opts;
  opts.MCOptions.ABIName = target.abi;
  std::unique_ptr<TargetMachine> tm(t->createTargetMachine(
      triple, target.cpu, target.features, opts, Reloc::PIC_, std::nullopt,
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
  // Firmware wants no unwind tables and code tuned for the chosen CPU.
  for (Function &f : *m) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target.cpu);
    if (!target.features.empty())
      f.addFnAttr("target-features", target.features);
    f.addFnAttr(Attribute::NoUnwind);
    f.setUWTableKind(UWTableKind::None);
  }
  if (verifyModule(*m, &errs()))
    return createStringError(inconvertibleErrorCode(),
                             "generated LLVM IR does not verify");

  {
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cgam;
    ModuleAnalysisManager mam;
    PassBuilder pb(tm.get());
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
    mpm.run(*m, mam);
  }

  if (kind == CodeGenOutput::LLVMIR) {
    m->print(os, nullptr);
    return Error::success();
  }
  legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr,
                              kind == CodeGenOutput::Object
                                  ? CodeGenFileType::ObjectFile
                                  : CodeGenFileType::AssemblyFile))
    return createStringError(inconvertibleErrorCode(),
                             "the target cannot emit this file type");
  pm.run(*m);
  return Error::success();
}

} // namespace edge
