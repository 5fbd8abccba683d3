#include "runtime_stub/HeaderEmitter.h"

#include <gtest/gtest.h>

using namespace edge;

TEST(HeaderEmitter, SanitizesIdentifiers) {
  EXPECT_EQ(sanitizeIdentifier("mobilenet-v2"), "mobilenet_v2");
  EXPECT_EQ(sanitizeIdentifier("2layers"), "m_2layers");
  EXPECT_EQ(sanitizeIdentifier(""), "m_");
}

TEST(HeaderEmitter, StatesTheContract) {
  HeaderInfo info;
  info.name = "net";
  info.modelFile = "net.onnx";
  info.triple = "aarch64-unknown-linux-gnu";
  info.arenaSize = 4096;
  info.interface.inputs.push_back({"input", {1, 3, 8, 8}, "float", "f32", 4});
  info.interface.outputs.push_back({"logits", {1, 10}, "float", "f32", 4});
  std::string h = emitHeader(info);
  for (const char *needle :
       {"#define NET_ARENA_SIZE 4096", "#define NET_ARENA_ALIGN 64",
        "int net_run(const void *const *inputs, void *const *outputs, void "
        "*arena);",
        "#define NET_INPUT0_SHAPE {1, 3, 8, 8}", "#define NET_OUTPUT0_BYTES 40",
        "namespace net {",
        "inline int run(const float *in_input, float *out_logits, void *arena)"})
    EXPECT_NE(h.find(needle), std::string::npos) << needle << "\n" << h;
}

TEST(HeaderEmitter, EmptyArenaStillDeclaresOneByte) {
  HeaderInfo info;
  info.name = "tiny";
  info.arenaSize = 0;
  EXPECT_NE(emitHeader(info).find("#define TINY_ARENA_SIZE 1\n"),
            std::string::npos);
}

TEST(HeaderEmitter, NamesThatCollideGetDistinctParameters) {
  HeaderInfo info;
  info.name = "m";
  info.interface.inputs.push_back({"a.b", {1}, "float", "f32", 4});
  info.interface.inputs.push_back({"a-b", {1}, "float", "f32", 4});
  std::string h = emitHeader(info);
  EXPECT_NE(h.find("const float *in_a_b, const float *in_a_b_1"),
            std::string::npos)
      << h;
}
