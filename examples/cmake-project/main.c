/* The model compiled by edge_aotc_add_model(app MODEL ... NAME net): the
 * build put net.h on the include path and links net.o. No allocator: the
 * arena is a static buffer, the input a deterministic pattern. Prints the
 * interface and the first outputs; returns 0 when net_run succeeds. */
#include "net.h"

#include <stdio.h>

#if NET_NUM_INPUTS != 1 || NET_NUM_OUTPUTS != 1
#error "this example expects a model with one input and one output"
#endif

/* NET_ARENA_ALIGN is 64; a model without intermediates needs no arena. */
static unsigned char arena[NET_ARENA_SIZE > 0 ? NET_ARENA_SIZE : 1]
    __attribute__((aligned(NET_ARENA_ALIGN)));
static NET_INPUT0_TYPE input[NET_INPUT0_ELEMENTS];
static NET_OUTPUT0_TYPE output[NET_OUTPUT0_ELEMENTS];

int main(void) {
  /* A triangle wave in [-1, 1]. */
  for (long i = 0; i < NET_INPUT0_ELEMENTS; ++i) {
    long p = (i * 37) % 200;
    input[i] = (NET_INPUT0_TYPE)((p < 100 ? p : 200 - p) / 50.0 - 1.0);
  }
  const void *inputs[] = {input};
  void *outputs[] = {output};
  printf("net: input '%s' (%ld elements), output '%s' (%ld elements), "
         "arena %ld bytes\n",
         NET_INPUT0_NAME, (long)NET_INPUT0_ELEMENTS, NET_OUTPUT0_NAME,
         (long)NET_OUTPUT0_ELEMENTS, (long)NET_ARENA_SIZE);
  if (net_run(inputs, outputs, arena) != 0) {
    printf("net_run failed\n");
    return 1;
  }
  for (long i = 0; i < NET_OUTPUT0_ELEMENTS && i < 8; ++i)
    printf("  %s[%ld] = %.6f\n", NET_OUTPUT0_NAME, i, (double)output[i]);
  printf("ok\n");
  return 0;
}
