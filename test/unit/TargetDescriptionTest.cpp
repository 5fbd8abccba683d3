#include "targets/TargetDescription.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <gtest/gtest.h>

using namespace edge;

TEST(TargetDescription, ArchitectureDefaults) {
  auto x86 = resolveTarget("x86_64", "", "");
  ASSERT_TRUE(bool(x86));
  EXPECT_EQ(x86->cpu, "x86-64-v3");
  auto a64 = resolveTarget("aarch64", "", "");
  ASSERT_TRUE(bool(a64));
  EXPECT_NE(a64->features.find("+neon"), std::string::npos);
  auto rv = resolveTarget("riscv64", "", "");
  ASSERT_TRUE(bool(rv));
  EXPECT_NE(rv->features.find("+v"), std::string::npos);
  EXPECT_EQ(rv->abi, "lp64d");
  EXPECT_EQ(rv->vectorBits, 0u) << "RVV code must be VLEN-agnostic";
}

TEST(TargetDescription, FullTriplesKeepTheirSpelling) {
  auto t = resolveTarget("aarch64-none-elf", "", "");
  ASSERT_TRUE(bool(t));
  EXPECT_EQ(t->arch, Arch::AArch64);
  EXPECT_EQ(llvm::Triple(t->triple).getOS(), llvm::Triple::UnknownOS);
  auto rv = resolveTarget("riscv64-unknown-elf", "", "");
  ASSERT_TRUE(bool(rv));
  EXPECT_EQ(rv->arch, Arch::RISCV64);
}

TEST(TargetDescription, MattrOverridesDefaults) {
  auto rv = resolveTarget("riscv64", "", "-v");
  ASSERT_TRUE(bool(rv));
  EXPECT_NE(rv->features.find("-v"), std::string::npos);
  EXPECT_EQ(rv->features.find("+v"), std::string::npos);
  EXPECT_EQ(rv->minVectorBits, 0u);
}

TEST(TargetDescription, RejectsUnknownTargets) {
  auto t = resolveTarget("mips", "", "");
  ASSERT_FALSE(bool(t));
  std::string msg = llvm::toString(t.takeError());
  EXPECT_NE(msg.find("unknown target 'mips'"), std::string::npos) << msg;
}

TEST(TargetDescription, NativeOnlyForTheHost) {
  llvm::Triple host(llvm::sys::getProcessTriple());
  const char *other = host.getArch() == llvm::Triple::aarch64 ? "riscv64" : "aarch64";
  auto t = resolveTarget(other, "native", "");
  ASSERT_FALSE(bool(t));
  llvm::consumeError(t.takeError());
  if (host.getArch() == llvm::Triple::x86_64) {
    auto n = resolveTarget("x86_64", "native", "");
    ASSERT_TRUE(bool(n));
    EXPECT_FALSE(n->cpu.empty());
  }
}
