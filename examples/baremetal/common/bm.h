/* The few services main.c needs from its platform: one per directory
 * (aarch64/, riscv64/, host/). */
#ifndef BM_H
#define BM_H

/* Writes one character to the console (the UART on bare metal). */
void bm_putc(char c);
/* Ends the program with `code` as its exit status (0 = success). */
void bm_exit(int code) __attribute__((noreturn));

#endif
