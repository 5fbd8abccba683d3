/* Measures the single-core fp32 FMA peak of the host: a loop of independent
 * vector FMAs (enough accumulators to hide the FMA latency) timed for about
 * SECONDS seconds, in the widest ISA the CPU has (AVX-512, else AVX2+FMA,
 * else plain scalar C as a last resort). Prints one JSON object:
 *
 *   {"isa": "avx512f", "gflops": 221.4, "seconds": 0.30, ...}
 *
 * Build: cc -O2 fma_peak.c -o fma_peak   (the ISA is chosen at run time, the
 * kernels carry their own target attributes, so no -m flags are needed).
 * Usage: fma_peak [SECONDS]            (default 0.3) */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define EDGE_X86 1
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static volatile float sink;

/* Each kernel runs `iters` iterations of ACC independent FMAs per call and
 * returns the flop count (2 per lane per FMA). The multiplier is just below
 * 1 and the addend small, so the values converge and never go denormal. */
#ifdef EDGE_X86
#define ACC512 16
__attribute__((target("avx512f"))) static double kernel_avx512(long iters) {
  __m512 acc[ACC512];
  for (int i = 0; i < ACC512; ++i)
    acc[i] = _mm512_set1_ps(1.0f + 0.01f * (float)i);
  const __m512 a = _mm512_set1_ps(0.99999994f);
  const __m512 b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < ACC512; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 s = acc[0];
  for (int i = 1; i < ACC512; ++i)
    s = _mm512_add_ps(s, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, s);
  sink = out[0] + out[15];
  return 2.0 * 16.0 * ACC512 * (double)iters;
}

#define ACC256 12
__attribute__((target("avx2,fma"))) static double kernel_avx2(long iters) {
  __m256 acc[ACC256];
  for (int i = 0; i < ACC256; ++i)
    acc[i] = _mm256_set1_ps(1.0f + 0.01f * (float)i);
  const __m256 a = _mm256_set1_ps(0.99999994f);
  const __m256 b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < ACC256; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 s = acc[0];
  for (int i = 1; i < ACC256; ++i)
    s = _mm256_add_ps(s, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, s);
  sink = out[0] + out[7];
  return 2.0 * 8.0 * ACC256 * (double)iters;
}
#endif

/* Portable fallback: the compiler may or may not vectorise it; it is only
 * there so that the program prints something on any host. */
#define ACCS 16
static double kernel_scalar(long iters) {
  float acc[ACCS];
  for (int i = 0; i < ACCS; ++i)
    acc[i] = 1.0f + 0.01f * (float)i;
  for (long it = 0; it < iters; ++it)
    for (int i = 0; i < ACCS; ++i)
      acc[i] = acc[i] * 0.99999994f + 1e-7f;
  float s = 0;
  for (int i = 0; i < ACCS; ++i)
    s += acc[i];
  sink = s;
  return 2.0 * ACCS * (double)iters;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 0.3;
  if (seconds <= 0)
    seconds = 0.3;
  double (*kernel)(long) = kernel_scalar;
  const char *isa = "scalar";
#ifdef EDGE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    kernel = kernel_avx512;
    isa = "avx512f";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    kernel = kernel_avx2;
    isa = "avx2+fma";
  }
#endif
  /* Warm up (clock ramp, AVX-512 licence), then time chunks of ~5 ms and keep
   * the best chunk rate as the peak and the overall rate as a check. */
  long chunk = 1 << 16;
  kernel(chunk);
  for (;;) {
    double t0 = now();
    kernel(chunk);
    double dt = now() - t0;
    if (dt > 0.005 || chunk > (1L << 40))
      break;
    chunk *= 2;
  }
  double best = 0.0, totalFlops = 0.0, start = now(), elapsed = 0.0;
  int chunks = 0;
  do {
    double t0 = now();
    double f = kernel(chunk);
    double t1 = now();
    double rate = f / (t1 - t0);
    if (rate > best)
      best = rate;
    totalFlops += f;
    ++chunks;
    elapsed = t1 - start;
  } while (elapsed < seconds);
  printf("{\"isa\": \"%s\", \"gflops\": %.2f, \"gflops_mean\": %.2f, "
         "\"seconds\": %.3f, \"chunks\": %d}\n",
         isa, best * 1e-9, totalFlops / elapsed * 1e-9, elapsed, chunks);
  return 0;
}
