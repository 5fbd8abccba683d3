// Links one emitted object and runs it on raw input files:
//   harness IN0.bin ... OUT0.bin ...   (counts from the generated header)
// Built with -DEDGE_HEADER='"model.h"' -DEDGE_NS=model. The arena is filled
// with 0xFF bytes (NaN as float) before the run, so a read of scratch memory
// the model did not write first shows up in the outputs, and guard bytes
// after NAME_ARENA_SIZE must be untouched afterwards.
#include EDGE_HEADER

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace m = EDGE_NS;

static bool readFile(const char *path, void *dst, std::size_t bytes) {
  std::FILE *f = std::fopen(path, "rb");
  if (!f) {
    std::fprintf(stderr, "harness: cannot open %s\n", path);
    return false;
  }
  std::size_t got = std::fread(dst, 1, bytes, f);
  bool extra = std::fgetc(f) != EOF;
  std::fclose(f);
  if (got != bytes || extra) {
    std::fprintf(stderr, "harness: %s does not hold exactly %zu bytes\n", path,
                 bytes);
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  constexpr std::size_t nIn = sizeof(m::inputs) / sizeof(m::inputs[0]);
  constexpr std::size_t nOut = sizeof(m::outputs) / sizeof(m::outputs[0]);
  if (static_cast<std::size_t>(argc) != 1 + nIn + nOut) {
    std::fprintf(stderr, "usage: %s", argv[0]);
    for (std::size_t i = 0; i < nIn; ++i)
      std::fprintf(stderr, " %s.bin", m::inputs[i].name);
    for (std::size_t i = 0; i < nOut; ++i)
      std::fprintf(stderr, " OUT_%s.bin", m::outputs[i].name);
    std::fprintf(stderr, "\n");
    return 2;
  }
  std::vector<void *> in(nIn), out(nOut);
  for (std::size_t i = 0; i < nIn; ++i) {
    in[i] = std::aligned_alloc(64, (m::inputs[i].bytes + 63) / 64 * 64);
    if (!readFile(argv[1 + i], in[i], m::inputs[i].bytes))
      return 1;
  }
  for (std::size_t i = 0; i < nOut; ++i) {
    out[i] = std::aligned_alloc(64, (m::outputs[i].bytes + 63) / 64 * 64);
    std::memset(out[i], 0xFF, m::outputs[i].bytes);
  }
  constexpr std::size_t guard = 256;
  std::size_t arenaBytes = (m::arena_size + guard + 63) / 64 * 64;
  auto *arena = static_cast<unsigned char *>(
      std::aligned_alloc(m::arena_align, arenaBytes));
  std::memset(arena, 0xFF, arenaBytes);
  for (std::size_t i = m::arena_size; i < arenaBytes; ++i)
    arena[i] = static_cast<unsigned char>(0x5A ^ i);

  // Inputs must come back untouched.
  std::vector<std::vector<unsigned char>> inCopy(nIn);
  for (std::size_t i = 0; i < nIn; ++i) {
    auto *p = static_cast<unsigned char *>(in[i]);
    inCopy[i].assign(p, p + m::inputs[i].bytes);
  }
  // Two runs, the arena poisoned differently before each (0xFF: NaN for
  // floats; 0xA5 the second time): a plan that reads a buffer before writing
  // it, or relies on what a previous run left, gives different outputs.
  std::vector<std::vector<unsigned char>> first(nOut);
  for (int pass = 0; pass < 2; ++pass) {
    std::memset(arena, pass == 0 ? 0xFF : 0xA5, m::arena_size);
    int rc = m::run(in.data(), out.data(), arena);
    if (rc != 0) {
      std::fprintf(stderr, "harness: run returned %d\n", rc);
      return 1;
    }
    for (std::size_t i = m::arena_size; i < arenaBytes; ++i)
      if (arena[i] != static_cast<unsigned char>(0x5A ^ i)) {
        std::fprintf(stderr,
                     "harness: the model wrote past its arena (byte %zu)\n", i);
        return 1;
      }
    for (std::size_t i = 0; i < nIn; ++i)
      if (m::inputs[i].bytes &&
          std::memcmp(in[i], inCopy[i].data(), m::inputs[i].bytes) != 0) {
        std::fprintf(stderr, "harness: the model wrote into input %zu\n", i);
        return 1;
      }
    for (std::size_t i = 0; i < nOut; ++i) {
      auto *p = static_cast<unsigned char *>(out[i]);
      if (pass == 0) {
        first[i].assign(p, p + m::outputs[i].bytes);
        std::memset(out[i], 0xFF, m::outputs[i].bytes);
      } else if (m::outputs[i].bytes &&
                 std::memcmp(p, first[i].data(), m::outputs[i].bytes) != 0) {
        std::fprintf(stderr,
                     "harness: output %zu differs between two runs (the plan "
                     "reads a buffer before it is written)\n", i);
        return 1;
      }
    }
  }
  for (std::size_t i = 0; i < nOut; ++i) {
    std::FILE *f = std::fopen(argv[1 + nIn + i], "wb");
    if (!f || std::fwrite(out[i], 1, m::outputs[i].bytes, f) != m::outputs[i].bytes) {
      std::fprintf(stderr, "harness: cannot write %s\n", argv[1 + nIn + i]);
      return 1;
    }
    std::fclose(f);
  }
  return 0;
}
