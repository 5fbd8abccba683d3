//===- edge-aotc-opt.cpp - run any edge-aotc pass or pipeline -------------===//
#include "compiler/Pipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  edge::registerCompilerDialects(registry);
  edge::registerCompilerPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "edge-aotc optimizer driver\n", registry));
}
