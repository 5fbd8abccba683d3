/* Runs copies_run (test/lit/Driver/Inputs/copies.onnxtxt: Pad and Concat,
 * which a C library would do with memset and memcpy) and checks every
 * output element. Valid C99 and C++. Exit status 0 when all are right. */
#include "copies.h"
#include <stdint.h>
#include <stdio.h>

static float x[3 * 16 * 16], z[5 * 16 * 16], p[3 * 20 * 20], c[8 * 16 * 16];
static unsigned char arena[COPIES_ARENA_SIZE + COPIES_ARENA_ALIGN];

int main(void) {
  int i, ch, h, w, bad = 0;
  for (i = 0; i < 3 * 16 * 16; ++i)
    x[i] = (float)(i % 97) + 0.5f;
  for (i = 0; i < 5 * 16 * 16; ++i)
    z[i] = -(float)(i % 89) - 0.25f;
  for (i = 0; i < 3 * 20 * 20; ++i)
    p[i] = 1234.0f; /* the zero padding must overwrite this */
  const void *inputs[2] = {x, z};
  void *outputs[2] = {p, c};
  unsigned char *a = arena;
  while ((uintptr_t)a % COPIES_ARENA_ALIGN)
    ++a;
  if (copies_run(inputs, outputs, a) != 0)
    return 1;
  for (ch = 0; ch < 3; ++ch)
    for (h = 0; h < 20; ++h)
      for (w = 0; w < 20; ++w) {
        int in = h >= 2 && h < 18 && w >= 2 && w < 18;
        float want = in ? x[(ch * 16 + h - 2) * 16 + w - 2] : 0.0f;
        bad += p[(ch * 20 + h) * 20 + w] != want;
      }
  for (i = 0; i < 8 * 16 * 16; ++i)
    bad += c[i] != (i < 3 * 256 ? x[i] : z[i - 3 * 256]);
  printf("%d wrong\n", bad);
  return bad != 0;
}
