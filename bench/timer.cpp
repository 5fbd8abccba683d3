// Times one edge-aotc emitted model in process. Built per model by
// run_bench.py, linked with the emitted object:
//
//   c++ -O2 -march=native -DEDGE_HEADER='"net.h"' -DEDGE_NS=net \
//       -I DIR timer.cpp DIR/net.o -o DIR/timer
//   timer WARMUP RUNS IN0.bin ... [--out OUT0.bin ...]
//
// Loads the raw inputs (exact byte sizes from the generated header), runs the
// model WARMUP times untimed, then RUNS times, each run timed alone with
// clock_gettime(CLOCK_MONOTONIC). Checks every return code and that float
// outputs are finite, writes the outputs of the last run if --out is given,
// and prints one JSON object on stdout:
//
//   {"ok": true, "runs": 30, "median_ms": ..., "min_ms": ..., "mean_ms": ...,
//    "max_ms": ..., "nonfinite": 0, "times_ms": [...]}
#include EDGE_HEADER

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace m = EDGE_NS;

static double nowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static bool readFile(const char *path, void *dst, std::size_t bytes) {
  std::FILE *f = std::fopen(path, "rb");
  if (!f) {
    std::fprintf(stderr, "timer: cannot open %s\n", path);
    return false;
  }
  std::size_t got = std::fread(dst, 1, bytes, f);
  bool extra = std::fgetc(f) != EOF;
  std::fclose(f);
  if (got != bytes || extra) {
    std::fprintf(stderr, "timer: %s does not hold exactly %zu bytes\n", path,
                 bytes);
    return false;
  }
  return true;
}

static void *alignedAlloc(std::size_t align, std::size_t bytes) {
  std::size_t rounded = (bytes + align - 1) / align * align;
  if (rounded == 0)
    rounded = align;
  return std::aligned_alloc(align, rounded);
}

static int fail(const char *msg) {
  std::printf("{\"ok\": false, \"error\": \"%s\"}\n", msg);
  return 1;
}

int main(int argc, char **argv) {
  constexpr std::size_t nIn = sizeof(m::inputs) / sizeof(m::inputs[0]);
  constexpr std::size_t nOut = sizeof(m::outputs) / sizeof(m::outputs[0]);
  std::vector<const char *> inFiles, outFiles;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s WARMUP RUNS IN.bin... [--out OUT.bin...]\n",
                 argv[0]);
    return 2;
  }
  long warmup = std::atol(argv[1]), runs = std::atol(argv[2]);
  bool outs = false;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--out") == 0)
      outs = true;
    else
      (outs ? outFiles : inFiles).push_back(argv[i]);
  }
  if (inFiles.size() != nIn || (!outFiles.empty() && outFiles.size() != nOut)) {
    std::fprintf(stderr, "timer: the model has %zu inputs and %zu outputs\n",
                 nIn, nOut);
    return 2;
  }
  if (runs < 1)
    runs = 1;

  std::vector<const void *> in(nIn);
  std::vector<void *> out(nOut);
  for (std::size_t i = 0; i < nIn; ++i) {
    void *p = alignedAlloc(64, m::inputs[i].bytes);
    if (!readFile(inFiles[i], p, m::inputs[i].bytes))
      return fail("cannot read an input file");
    in[i] = p;
  }
  for (std::size_t i = 0; i < nOut; ++i) {
    out[i] = alignedAlloc(64, m::outputs[i].bytes);
    std::memset(out[i], 0xFF, m::outputs[i].bytes);
  }
  void *arena = alignedAlloc(m::arena_align < 64 ? 64 : m::arena_align,
                             m::arena_size);
  std::memset(arena, 0, m::arena_size ? m::arena_size : 1);

  for (long r = 0; r < warmup; ++r)
    if (m::run(in.data(), out.data(), arena) != 0)
      return fail("net_run returned non-zero during warm-up");

  std::vector<double> times;
  times.reserve(runs);
  for (long r = 0; r < runs; ++r) {
    double t0 = nowMs();
    int rc = m::run(in.data(), out.data(), arena);
    double t1 = nowMs();
    if (rc != 0)
      return fail("net_run returned non-zero");
    times.push_back(t1 - t0);
  }

  long nonfinite = 0;
  for (std::size_t i = 0; i < nOut; ++i) {
    const std::string type = m::outputs[i].type;
    if (type == "f32") {
      const float *p = static_cast<const float *>(out[i]);
      for (std::size_t k = 0; k < m::outputs[i].elements; ++k)
        nonfinite += !std::isfinite(p[k]);
    } else if (type == "f64") {
      const double *p = static_cast<const double *>(out[i]);
      for (std::size_t k = 0; k < m::outputs[i].elements; ++k)
        nonfinite += !std::isfinite(p[k]);
    }
  }
  for (std::size_t i = 0; i < outFiles.size(); ++i) {
    std::FILE *f = std::fopen(outFiles[i], "wb");
    if (!f || std::fwrite(out[i], 1, m::outputs[i].bytes, f) !=
                  m::outputs[i].bytes)
      return fail("cannot write an output file");
    std::fclose(f);
  }

  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  std::size_t n = sorted.size();
  double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  double sum = 0;
  for (double t : times)
    sum += t;
  std::printf("{\"ok\": true, \"runs\": %ld, \"warmup\": %ld, "
              "\"median_ms\": %.6f, \"min_ms\": %.6f, \"mean_ms\": %.6f, "
              "\"max_ms\": %.6f, \"nonfinite\": %ld, \"times_ms\": [",
              runs, warmup, median, sorted[0], sum / n, sorted[n - 1],
              nonfinite);
  for (std::size_t i = 0; i < n; ++i)
    std::printf("%s%.6f", i ? ", " : "", times[i]);
  std::printf("]}\n");
  return 0;
}
