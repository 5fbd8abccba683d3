/* A firmware-style C99 program around one emitted model: no allocator, the
 * arena is a static buffer, the input is synthesised in place. Build:
 *
 *   edge-aotc mobilenet_v2.onnx -target=x86_64 --name=net -o net.o
 *   cc -std=c99 -O2 -I. main.c net.o -o classify && ./classify
 *
 * It prints the top-5 classes and a checksum of the output. */
#include "net.h"

#include <stdio.h>

static unsigned char arena[NET_ARENA_SIZE] __attribute__((aligned(NET_ARENA_ALIGN)));
static NET_INPUT0_TYPE input[NET_INPUT0_ELEMENTS];
static NET_OUTPUT0_TYPE output[NET_OUTPUT0_ELEMENTS];

int main(void) {
  /* A deterministic test pattern in [-1, 1]: a triangle wave. */
  for (long i = 0; i < NET_INPUT0_ELEMENTS; ++i) {
    long p = (i * 37) % 200;
    input[i] = (NET_INPUT0_TYPE)((p < 100 ? p : 200 - p) / 50.0 - 1.0);
  }
  const void *inputs[] = {input};
  void *outputs[] = {output};
  if (net_run(inputs, outputs, arena) != 0) {
    printf("net_run failed\n");
    return 1;
  }
  double checksum = 0.0;
  for (long i = 0; i < NET_OUTPUT0_ELEMENTS; ++i)
    checksum += output[i] * (double)((i % 7) + 1);
  printf("%s: %ld outputs, arena %d bytes, checksum %.6f\n", NET_OUTPUT0_NAME,
         (long)NET_OUTPUT0_ELEMENTS, (int)NET_ARENA_SIZE, checksum);
  int taken[NET_OUTPUT0_ELEMENTS] = {0};
  for (int k = 0; k < 5 && k < NET_OUTPUT0_ELEMENTS; ++k) {
    int best = -1;
    for (int i = 0; i < NET_OUTPUT0_ELEMENTS; ++i)
      if (!taken[i] && (best < 0 || output[i] > output[best]))
        best = i;
    taken[best] = 1;
    printf("  top-%d: class %d score %.4f\n", k + 1, best, output[best]);
  }
  return 0;
}
