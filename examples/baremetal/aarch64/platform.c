/* Console and exit for qemu-system-aarch64 -M virt: the PL011 UART at
 * 0x09000000 and semihosting SYS_EXIT (run QEMU with -semihosting; without
 * it the HLT traps and bm_trap powers off through PSCI instead). */
#include <stdint.h>

#include "../common/bm.h"

#define UART0 0x09000000ul
#define UART_DR (*(volatile uint32_t *)(UART0 + 0x00))
#define UART_FR (*(volatile uint32_t *)(UART0 + 0x18))
#define UART_FR_TXFF (1u << 5)

static void uart_putc(char c) {
  while (UART_FR & UART_FR_TXFF)
    ;
  UART_DR = (uint32_t)(unsigned char)c;
}

void bm_putc(char c) {
  if (c == '\n')
    uart_putc('\r'); /* -nographic puts the terminal in raw mode */
  uart_putc(c);
}

static void psci_system_off(void) __attribute__((noreturn));
static void psci_system_off(void) {
  register uint64_t x0 __asm__("x0") = 0x84000008u; /* PSCI SYSTEM_OFF */
  __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
  for (;;)
    __asm__ volatile("wfi");
}

void bm_exit(int code) {
  /* SYS_EXIT (0x18) takes {reason, subcode} on AArch64; QEMU exits with
   * the subcode as its status for ADP_Stopped_ApplicationExit. */
  static volatile uint64_t block[2];
  block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
  block[1] = (uint64_t)(int64_t)code;
  register uint64_t x0 __asm__("x0") = 0x18;
  register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
  __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
  psci_system_off();
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

/* Called by the exception vectors of start.S. */
void bm_trap(uint64_t esr, uint64_t elr, uint64_t far, uint64_t vector)
    __attribute__((noreturn));
void bm_trap(uint64_t esr, uint64_t elr, uint64_t far, uint64_t vector) {
  /* HLT #0xf000 without -semihosting: EC 0 (unknown) at bm_exit's HLT. */
  if ((esr >> 26) == 0 && *(volatile uint32_t *)elr == 0xd45e0000u) {
    put("(no -semihosting: powering off, exit status lost)\n");
    psci_system_off();
  }
  put("FAIL exception: vector ");
  put_hex(vector);
  put(" esr ");
  put_hex(esr);
  put(" elr ");
  put_hex(elr);
  put(" far ");
  put_hex(far);
  bm_putc('\n');
  bm_exit(3);
}
