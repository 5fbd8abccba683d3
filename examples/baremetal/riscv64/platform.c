/* Console and exit for qemu-system-riscv64 -M virt: the NS16550A UART at
 * 0x10000000 and the SiFive test device at 0x100000, whose status word ends
 * QEMU (0x5555: exit status 0, code << 16 | 0x3333: exit status code). */
#include <stdint.h>

#include "../common/bm.h"

#define UART0 0x10000000ul
#define UART_THR (*(volatile uint8_t *)(UART0 + 0))
#define UART_LSR (*(volatile uint8_t *)(UART0 + 5))
#define UART_LSR_THRE (1u << 5)
#define SIFIVE_TEST (*(volatile uint32_t *)0x100000ul)

static void uart_putc(char c) {
  while (!(UART_LSR & UART_LSR_THRE))
    ;
  UART_THR = (uint8_t)c;
}

void bm_putc(char c) {
  if (c == '\n')
    uart_putc('\r'); /* -nographic puts the terminal in raw mode */
  uart_putc(c);
}

void bm_exit(int code) {
  SIFIVE_TEST = code == 0 ? 0x5555u : ((uint32_t)(code & 0xffff) << 16) | 0x3333u;
  for (;;)
    __asm__ volatile("wfi");
}

static void put(const char *s) {
  while (*s)
    bm_putc(*s++);
}

static void put_hex(uint64_t v) {
  put("0x");
  for (int i = 60; i >= 0; i -= 4)
    bm_putc("0123456789abcdef"[(v >> i) & 15]);
}

/* Called by trap_entry of start.S. */
void bm_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
    __attribute__((noreturn));
void bm_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval) {
  put("FAIL trap: mcause ");
  put_hex(mcause);
  put(" mepc ");
  put_hex(mepc);
  put(" mtval ");
  put_hex(mtval);
  bm_putc('\n');
  bm_exit(3);
}
