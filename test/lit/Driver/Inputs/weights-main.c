/* Runs weights_run (test/lit/Driver/Inputs/weights.onnxtxt: a 3x3 Conv whose
 * 16x8x3x3 weights are ((i * 7) % 19) - 9) against a reference convolution.
 * Valid C99 and C++. Exit status 0 when every output is right. */
#include "weights.h"
#include <stdint.h>
#include <stdio.h>

static float x[8 * 6 * 6], y[16 * 4 * 4];
static unsigned char arena[WEIGHTS_ARENA_SIZE + WEIGHTS_ARENA_ALIGN];

int main(void) {
  int i, oc, ic, oh, ow, kh, kw, bad = 0;
  for (i = 0; i < 8 * 6 * 6; ++i)
    x[i] = (float)(i % 5) - 2.0f;
  const void *inputs[1] = {x};
  void *outputs[1] = {y};
  unsigned char *a = arena;
  while ((uintptr_t)a % WEIGHTS_ARENA_ALIGN)
    ++a;
  if (weights_run(inputs, outputs, a) != 0)
    return 1;
  for (oc = 0; oc < 16; ++oc)
    for (oh = 0; oh < 4; ++oh)
      for (ow = 0; ow < 4; ++ow) {
        float want = 0.0f;
        for (ic = 0; ic < 8; ++ic)
          for (kh = 0; kh < 3; ++kh)
            for (kw = 0; kw < 3; ++kw) {
              int wi = ((oc * 8 + ic) * 3 + kh) * 3 + kw;
              want += (float)((wi * 7) % 19 - 9) *
                      x[(ic * 6 + oh + kh) * 6 + ow + kw];
            }
        bad += y[(oc * 4 + oh) * 4 + ow] != want;
      }
  printf("%d wrong\n", bad);
  return bad != 0;
}
