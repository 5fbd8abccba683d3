/* The host side of bm.h: stdout and exit(). Built natively with main.c, it
 * gives the reference checksum the bare-metal runs are compared with. */
#include <stdio.h>
#include <stdlib.h>

#include "../common/bm.h"

void bm_putc(char c) { putchar(c); }

void bm_exit(int code) {
  fflush(stdout);
  exit(code);
}

/* main.c's main returns its status; the host's C runtime calls main. */
