/* Runs one model emitted by edge-aotc on a fixed input and prints a checksum
 * of its outputs. No libc: the same file builds for bare-metal aarch64 and
 * riscv64 (with start.S, link.ld and platform.c of each) and for the host
 * (with host/platform.c), so that the three runs see the same bits of input.
 *
 * Every input is synthesised in place: floating-point inputs get a 32-bit LCG
 * mapped to [-1, 1) on a 2^-23 grid (exact in float), integer inputs its top
 * bits mod 4. For each output it prints
 *
 *   output <k> <name> count=<n> sum=<x> abs=<x> wsum=<x> first=<x> <x> ...
 *
 * with sum = sum(y), abs = sum(|y|), wsum = sum(y[i] * (i % 7 + 1)) in double,
 * and the first up to 8 elements, each with 9 significant digits; then
 * "checksum done" or, when net_run fails, "FAIL net_run returned <r>" and a
 * non-zero exit status. */
#include <stdint.h>

#include "bm.h"
#include "net.h"

#if NET_NUM_INPUTS > 4 || NET_NUM_OUTPUTS > 4
#error "this example handles up to 4 inputs and 4 outputs"
#endif

/* The arena lives in .bss: no allocator anywhere. */
static unsigned char arena[NET_ARENA_SIZE] __attribute__((aligned(64)));

#define BM_TENSOR(KIND, K)                                                     \
  static NET_##KIND##K##_TYPE KIND##K[NET_##KIND##K##_ELEMENTS]                \
      __attribute__((aligned(64)))
#if NET_NUM_INPUTS > 0
BM_TENSOR(INPUT, 0);
#endif
#if NET_NUM_INPUTS > 1
BM_TENSOR(INPUT, 1);
#endif
#if NET_NUM_INPUTS > 2
BM_TENSOR(INPUT, 2);
#endif
#if NET_NUM_INPUTS > 3
BM_TENSOR(INPUT, 3);
#endif
#if NET_NUM_OUTPUTS > 0
BM_TENSOR(OUTPUT, 0);
#endif
#if NET_NUM_OUTPUTS > 1
BM_TENSOR(OUTPUT, 1);
#endif
#if NET_NUM_OUTPUTS > 2
BM_TENSOR(OUTPUT, 2);
#endif
#if NET_NUM_OUTPUTS > 3
BM_TENSOR(OUTPUT, 3);
#endif

/* ---- console output, no printf ---------------------------------------- */

static void put_str(const char *s) {
  while (*s)
    bm_putc(*s++);
}

static void put_uint(uint64_t v) {
  char buf[21];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    bm_putc(buf[--n]);
}

static void put_int(int64_t v) {
  if (v < 0) {
    bm_putc('-');
    put_uint((uint64_t)0 - (uint64_t)v);
  } else {
    put_uint((uint64_t)v);
  }
}

/* Prints v as -d.dddddddde+XX (9 significant digits). Scaling by powers of
 * ten in double costs a few ulps of double, far below the 9 digits shown. */
static void put_double(double v) {
  if (v != v) {
    put_str("nan");
    return;
  }
  if (v < 0) {
    bm_putc('-');
    v = -v;
  }
  if (v > 1.7976931348623157e308) {
    put_str("inf");
    return;
  }
  int exp10 = 0;
  if (v != 0) {
    while (v >= 1e32) { v *= 1e-32; exp10 += 32; }
    while (v >= 10) { v /= 10; exp10 += 1; }
    while (v < 1e-32) { v *= 1e32; exp10 -= 32; }
    while (v < 1) { v *= 10; exp10 -= 1; }
  }
  /* 9 significant digits as one integer, rounded to nearest. */
  uint64_t digits = (uint64_t)(v * 1e8 + 0.5);
  if (digits >= 1000000000u) { /* 9.999999999 rounded up to 10 */
    digits /= 10;
    exp10 += 1;
  }
  char buf[9];
  for (int i = 8; i >= 0; --i) {
    buf[i] = (char)('0' + digits % 10);
    digits /= 10;
  }
  bm_putc(buf[0]);
  bm_putc('.');
  for (int i = 1; i < 9; ++i)
    bm_putc(buf[i]);
  bm_putc('e');
  bm_putc(exp10 < 0 ? '-' : '+');
  if (exp10 < 0)
    exp10 = -exp10;
  if (exp10 < 10)
    bm_putc('0');
  put_uint((uint64_t)exp10);
}

/* ---- input and checksum ------------------------------------------------ */

static uint32_t lcg_state = 12345u;

static uint32_t lcg_next(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state;
}

/* (T)0.5 != 0 tells floating-point element types from integer ones. */
#define BM_FILL(ARR, N, T)                                                     \
  for (long i_ = 0; i_ < (long)(N); ++i_) {                                    \
    uint32_t r_ = lcg_next();                                                  \
    if ((T)0.5 != (T)0)                                                        \
      (ARR)[i_] = (T)((double)(r_ >> 8) * (1.0 / 8388608.0) - 1.0);            \
    else                                                                       \
      (ARR)[i_] = (T)(r_ >> 30);                                               \
  }

#define BM_REPORT(K)                                                           \
  do {                                                                         \
    double sum = 0, abs = 0, wsum = 0;                                         \
    for (long i = 0; i < (long)NET_OUTPUT##K##_ELEMENTS; ++i) {                \
      double y = (double)OUTPUT##K[i];                                         \
      sum += y;                                                                \
      abs += y < 0 ? -y : y;                                                   \
      wsum += y * (double)(i % 7 + 1);                                         \
    }                                                                          \
    put_str("output " #K " ");                                                 \
    put_str(NET_OUTPUT##K##_NAME);                                             \
    put_str(" count=");                                                        \
    put_int((int64_t)NET_OUTPUT##K##_ELEMENTS);                                \
    put_str(" sum=");                                                          \
    put_double(sum);                                                           \
    put_str(" abs=");                                                          \
    put_double(abs);                                                           \
    put_str(" wsum=");                                                         \
    put_double(wsum);                                                          \
    put_str(" first=");                                                        \
    for (long i = 0; i < 8 && i < (long)NET_OUTPUT##K##_ELEMENTS; ++i) {       \
      if (i)                                                                   \
        bm_putc(' ');                                                          \
      put_double((double)OUTPUT##K[i]);                                        \
    }                                                                          \
    bm_putc('\n');                                                             \
  } while (0)

int main(void) {
  put_str("edge-aotc bare-metal example: ");
  put_int(NET_NUM_INPUTS);
  put_str(" input(s), ");
  put_int(NET_NUM_OUTPUTS);
  put_str(" output(s), arena ");
  put_int(NET_ARENA_SIZE);
  put_str(" bytes\n");

  const void *inputs[NET_NUM_INPUTS + 1] = {0};
  void *outputs[NET_NUM_OUTPUTS + 1] = {0};
#if NET_NUM_INPUTS > 0
  BM_FILL(INPUT0, NET_INPUT0_ELEMENTS, NET_INPUT0_TYPE);
  inputs[0] = INPUT0;
#endif
#if NET_NUM_INPUTS > 1
  BM_FILL(INPUT1, NET_INPUT1_ELEMENTS, NET_INPUT1_TYPE);
  inputs[1] = INPUT1;
#endif
#if NET_NUM_INPUTS > 2
  BM_FILL(INPUT2, NET_INPUT2_ELEMENTS, NET_INPUT2_TYPE);
  inputs[2] = INPUT2;
#endif
#if NET_NUM_INPUTS > 3
  BM_FILL(INPUT3, NET_INPUT3_ELEMENTS, NET_INPUT3_TYPE);
  inputs[3] = INPUT3;
#endif
#if NET_NUM_OUTPUTS > 0
  outputs[0] = OUTPUT0;
#endif
#if NET_NUM_OUTPUTS > 1
  outputs[1] = OUTPUT1;
#endif
#if NET_NUM_OUTPUTS > 2
  outputs[2] = OUTPUT2;
#endif
#if NET_NUM_OUTPUTS > 3
  outputs[3] = OUTPUT3;
#endif

  int rc = net_run(inputs, outputs, arena);
  if (rc != 0) {
    put_str("FAIL net_run returned ");
    put_int(rc);
    bm_putc('\n');
    return 1;
  }
#if NET_NUM_OUTPUTS > 0
  BM_REPORT(0);
#endif
#if NET_NUM_OUTPUTS > 1
  BM_REPORT(1);
#endif
#if NET_NUM_OUTPUTS > 2
  BM_REPORT(2);
#endif
#if NET_NUM_OUTPUTS > 3
  BM_REPORT(3);
#endif
  put_str("checksum done\n");
  return 0;
}
