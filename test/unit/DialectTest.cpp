// Shape helpers and type inference of the edge dialect, where a lit test
// cannot reach (C++ builders and the helpers behind them).
#include "dialects/Edge/EdgeOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;

TEST(EdgeShapes, BroadcastFollowsNumpy) {
  auto r = edge::broadcastShapes({1, 3, 4, 4}, {3, 1, 1});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{1, 3, 4, 4}));
  r = edge::broadcastShapes({2, 1}, {1, 5});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{2, 5}));
  EXPECT_TRUE(failed(edge::broadcastShapes({2, 3}, {4})));
  r = edge::broadcastShapes({}, {7});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{7}));
}

TEST(EdgeShapes, WindowOutputSize) {
  // 224 input, 7x7 kernel, stride 2, pads 3: ResNet's stem gives 112.
  EXPECT_EQ(edge::windowOutputSize(224, 7, 2, 3, 3, 1, false), 112);
  // 7 input, 2x2 window, stride 2: floor gives 3, ceil 4.
  EXPECT_EQ(edge::windowOutputSize(7, 2, 2, 0, 0, 1, false), 3);
  EXPECT_EQ(edge::windowOutputSize(7, 2, 2, 0, 0, 1, true), 4);
  // A ceil-mode window that would start in the end padding is dropped.
  EXPECT_EQ(edge::windowOutputSize(5, 2, 2, 0, 1, 1, true), 3);
  // Dilation 2 makes a 3-tap kernel span 5.
  EXPECT_EQ(edge::windowOutputSize(9, 3, 1, 0, 0, 2, false), 5);
}

class EdgeBuild : public ::testing::Test {
protected:
  void SetUp() override {
    ctx.loadDialect<edge::EdgeDialect>();
    module = ModuleOp::create(UnknownLoc::get(&ctx));
    b.setInsertionPointToEnd(module->getBody());
  }
  Value arg(ArrayRef<int64_t> shape) {
    // Values with the given type, from an edge.constant of zeros.
    auto type = RankedTensorType::get(shape, b.getF32Type());
    return edge::ConstantOp::create(
               b, b.getUnknownLoc(),
               DenseElementsAttr::get(type, b.getF32FloatAttr(0.0f)))
        .getResult();
  }
  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
  OpBuilder b{&ctx};
};

TEST_F(EdgeBuild, ConvInfersItsResultType) {
  Value x = arg({1, 3, 224, 224}), w = arg({64, 3, 7, 7});
  auto conv = edge::ConvOp::create(b, b.getUnknownLoc(), x, w, Value(),
                                   ArrayRef<int64_t>{2, 2},
                                   ArrayRef<int64_t>{3, 3, 3, 3},
                                   ArrayRef<int64_t>{1, 1}, 1);
  EXPECT_EQ(conv.getType(),
            RankedTensorType::get({1, 64, 112, 112}, b.getF32Type()));
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(EdgeBuild, MatMulBroadcastsBatch) {
  auto mm = edge::MatMulOp::create(b, b.getUnknownLoc(), arg({2, 3, 4, 5}),
                                   arg({1, 5, 6}));
  EXPECT_EQ(mm.getType(),
            RankedTensorType::get({2, 3, 4, 6}, b.getF32Type()));
}

TEST_F(EdgeBuild, InvalidGroupIsReportedAtTheOpLocation) {
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  SmallVector<Type> types;
  OperationState state(NameLoc::get(b.getStringAttr("conv_bad")),
                       edge::ConvOp::getOperationName());
  Value x = arg({1, 6, 8, 8}), w = arg({4, 3, 3, 3});
  auto props = edge::ConvOp::Properties();
  props.strides = b.getDenseI64ArrayAttr({1, 1});
  props.pads = b.getDenseI64ArrayAttr({0, 0, 0, 0});
  props.dilations = b.getDenseI64ArrayAttr({1, 1});
  props.group = b.getI64IntegerAttr(4);
  LogicalResult r = edge::ConvOp::inferReturnTypes(
      &ctx, state.location, ValueRange{x, w}, DictionaryAttr(), &props, {},
      types);
  EXPECT_TRUE(failed(r));
  EXPECT_NE(message.find("group 4 does not divide"), std::string::npos)
      << message;
}
