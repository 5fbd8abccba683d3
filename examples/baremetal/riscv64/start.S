/* Startup for qemu-system-riscv64 -M virt -bios none -kernel main.elf: every
 * hart enters _start in M-mode at 0x80000000. Hart 0 sets gp, the stack and
 * the trap vector (traps print and exit), turns on the FPU and the vector
 * unit (mstatus.FS and mstatus.VS: the model uses RVV 1.0 and D, and any F,
 * D or V instruction traps while they are Off), zeroes .bss (the arena and
 * the tensors live there) and calls bm_exit(main()); the others park. */
        .section .text.start, "ax"
        .globl  _start
_start:
        csrr    t0, mhartid
        bnez    t0, park

        .option push
        .option norelax
        la      gp, __global_pointer$
        .option pop
        la      sp, __stack_top
        la      t0, trap_entry
        csrw    mtvec, t0

        li      t0, (1 << 13) | (1 << 9)        /* FS = VS = Initial */
        csrs    mstatus, t0
        csrwi   fcsr, 0

        la      t0, __bss_start
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sd      zero, 0(t0)
        addi    t0, t0, 8
        j       1b
2:
        call    main
        call    bm_exit
park:   wfi
        j       park

/* Every trap: bm_trap(mcause, mepc, mtval). */
        .balign 4
trap_entry:
        csrr    a0, mcause
        csrr    a1, mepc
        csrr    a2, mtval
        j       bm_trap
