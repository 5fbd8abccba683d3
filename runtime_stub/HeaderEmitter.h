//===- HeaderEmitter.h - the C/C++ header of an emitted model ---*- C++ -*-===//
#ifndef EDGE_RUNTIME_STUB_HEADEREMITTER_H
#define EDGE_RUNTIME_STUB_HEADEREMITTER_H

#include <cstdint>
#include <string>
#include <vector>

namespace edge {

/// One graph input or output as the emitted header describes it.
struct TensorDesc {
  std::string name;
  std::vector<int64_t> shape;
  std::string cType;    ///< "float", "int64_t", ...
  std::string typeName; ///< "f32", "i64", ...
  unsigned elementBytes = 4;
};

/// What the caller of `<name>_run` must know: graph inputs and outputs in
/// ONNX graph order.
struct ModelInterface {
  std::vector<TensorDesc> inputs, outputs;
};

struct HeaderInfo {
  std::string name;        ///< C identifier prefix
  std::string modelFile;   ///< for the banner
  std::string triple;      ///< for the banner
  int64_t arenaSize = 0;
  int64_t arenaAlign = 64;
  ModelInterface interface;
};

/// The header text: C99 macros and the `<name>_run` prototype, plus a C++17
/// section (namespace `<name>`, constexpr metadata, a typed `run` wrapper).
std::string emitHeader(const HeaderInfo &info);

/// `stem` made into a C identifier ("mobilenet-v2" -> "mobilenet_v2").
std::string sanitizeIdentifier(const std::string &stem);

} // namespace edge

#endif
