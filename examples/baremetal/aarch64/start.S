/* Startup for qemu-system-aarch64 -M virt -kernel main.elf: QEMU enters
 * _start at EL1 (or EL2 with virtualization=on, dropped to EL1 here) with
 * the MMU and caches off. Before C runs, this code
 *   - sets the stack, installs the exception vectors (they print and exit),
 *   - enables FP/SIMD (CPACR_EL1.FPEN = 0b11): the model and GCC use NEON,
 *   - enables the MMU with an identity map, so that RAM is Normal memory:
 *     with the MMU off every access is Device-nGnRnE and any unaligned
 *     access faults,
 *   - zeroes .bss (the arena and the tensors live there),
 * then calls bm_exit(main()). */
        .section .text.start, "ax"
        .globl  _start
_start:
        mrs     x0, CurrentEL
        lsr     x0, x0, #2
        cmp     x0, #2
        b.ne    el1_entry
        /* EL2: run EL1 in AArch64, FP not trapped, then drop to EL1h. */
        mov     x0, #(1 << 31)                  /* HCR_EL2.RW */
        msr     hcr_el2, x0
        mov     x0, #0x33ff                     /* CPTR_EL2: RES1, no traps */
        msr     cptr_el2, x0
        msr     sctlr_el1, xzr
        mov     x0, #0x3c5                      /* EL1h, DAIF masked */
        msr     spsr_el2, x0
        adr     x0, el1_entry
        msr     elr_el2, x0
        eret

el1_entry:
        ldr     x0, =__stack_top
        mov     sp, x0
        ldr     x0, =vectors
        msr     vbar_el1, x0

        mov     x0, #(3 << 20)                  /* CPACR_EL1.FPEN = 0b11 */
        msr     cpacr_el1, x0
        isb

        /* MMU: attr0 = Device-nGnRnE, attr1 = Normal write-back. */
        mov     x0, #0xff00
        msr     mair_el1, x0
        /* TCR_EL1: T0SZ = 25 (39-bit VA, walk starts at level 1), inner and
         * outer write-back walks, inner shareable, 4 KiB granule, TTBR1
         * walks off (EPD1), IPS = 36 bits. */
        ldr     x0, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (25 << 16) | (1 << 23) | (1 << 32))
        msr     tcr_el1, x0
        adr     x0, ttb_l1
        msr     ttbr0_el1, x0
        isb
        tlbi    vmalle1
        dsb     nsh
        isb
        mrs     x0, sctlr_el1
        orr     x0, x0, #(1 << 0)               /* M: MMU on */
        bic     x0, x0, #(1 << 1)               /* A: no alignment checks */
        orr     x0, x0, #(1 << 2)               /* C: data cache */
        orr     x0, x0, #(1 << 12)              /* I: instruction cache */
        msr     sctlr_el1, x0
        isb

        ldr     x0, =__bss_start
        ldr     x1, =__bss_end
1:      cmp     x0, x1
        b.hs    2f
        str     xzr, [x0], #8
        b       1b
2:
        bl      main
        bl      bm_exit
3:      wfi
        b       3b
        .ltorg

/* Every exception: bm_trap(esr, elr, far, vector offset / 0x80). */
        .macro  trap_entry index
        .balign 0x80
        mrs     x0, esr_el1
        mrs     x1, elr_el1
        mrs     x2, far_el1
        mov     x3, #\index
        b       bm_trap
        .endm

        .balign 2048
vectors:
        .irp    i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
        trap_entry \i
        .endr

/* Identity map with 1 GiB level-1 blocks: [0, 1 GiB) Device-nGnRnE and
 * never executable (the UART is at 0x09000000), [1 GiB, 4 GiB) Normal
 * write-back inner shareable (the RAM starts at 0x40000000). */
        .section .rodata.ttb, "a"
        .balign 4096
ttb_l1:
        .quad   0x0000000000000401 | (3 << 53)  /* AF, block, attr0, XN */
        .quad   0x0000000040000705              /* AF, SH = 3, attr1, block */
        .quad   0x0000000080000705
        .quad   0x00000000c0000705
        .fill   508, 8, 0
