/* Runs double_to_half_run (double-to-half.onnxtxt) on 409600 doubles: random
 * bit patterns, values at and around half-precision ties, subnormals,
 * overflow; compares every result bit for bit with the C compiler's own
 * (_Float16)x (libgcc's __truncdfhf2 on x86). NaNs need only stay NaNs.
 * GNU C (_Float16); exit status 0 when all are right. */
#include "double_to_half.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static double x[4096];
static _Float16 y[4096];
static unsigned char arena[DOUBLE_TO_HALF_ARENA_SIZE + 64];

static uint64_t state = 88172645463325252ull;
static uint64_t next(void) { /* xorshift64 */
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static double halfValue(uint64_t r) {
  uint16_t bits = (uint16_t)(r >> 8);
  _Float16 h;
  memcpy(&h, &bits, 2);
  double v = (double)h;
  return isnan(v) || isinf(v) ? 1.0 : v;
}

static double sample(uint64_t r) {
  double v, ulp;
  switch (r % 5) {
  case 0: /* any bit pattern */
    memcpy(&v, &r, 8);
    return v;
  case 1: /* a tie between two halves, exactly or off by a few double ulps */
    v = halfValue(r);
    ulp = fabs(v) < 6.103515625e-05 ? ldexp(1.0, -24)
                                    : ldexp(1.0, ilogb(v) - 10);
    return v + ulp / 2 + ((double)((r >> 40) % 3) - 1.0) * ldexp(ulp, -40);
  case 2: /* small and subnormal magnitudes */
    return ldexp((double)(r >> 11), -53 - (int)(r % 40));
  case 3: /* a half, or its double neighbour */
    v = halfValue(r);
    return (r & 256) ? nextafter(v, (r & 512) ? INFINITY : -INFINITY) : v;
  default: /* wide range, including above 65504 */
    return (double)(int64_t)r * 1e-15;
  }
}

int main(void) {
  long bad = 0, total = 0;
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 4096; ++i)
      x[i] = sample(next());
    const void *inputs[1] = {x};
    void *outputs[1] = {y};
    if (double_to_half_run(inputs, outputs, arena) != 0)
      return 1;
    for (int i = 0; i < 4096; ++i, ++total) {
      _Float16 want = (_Float16)x[i];
      uint16_t got, expected;
      memcpy(&got, &y[i], 2);
      memcpy(&expected, &want, 2);
      if (isnan(x[i]) ? (got & 0x7c00) != 0x7c00 || !(got & 0x3ff)
                      : got != expected) {
        if (bad < 5)
          printf("x=%a: %04x, want %04x\n", x[i], got, expected);
        ++bad;
      }
    }
  }
  printf("%ld of %ld wrong\n", bad, total);
  return bad != 0;
}
