/*
 * runtime/emulated: the host of the emulated reference (docs/reference-emulated.md). A static AArch64
 * Linux program, run under qemu-aarch64, that holds the same runtime as the recompiled build (core
 * memory, services, the demo or horizon personality) and runs the module's original machine code at
 * its guest addresses. Every `svc #imm` and every `mrs` of a register the recompiled runtime
 * virtualises is rewritten into `brk #index`; the SIGTRAP that follows hands the trapped thread's
 * registers to the same rt_svc / rt_counter code the lifted program calls.
 */
#ifndef RECOMP_EMULATED_H
#define RECOMP_EMULATED_H

#include <stdint.h>

#include "cpu.h"

/* Emitted into guest/tables.c by `recomp reference emulate`: the module's entry address. */
extern const uint64_t emu_entry_address;

typedef enum { SITE_SVC, SITE_MRS } emu_site_kind;

/* The system registers whose reads are rewritten (the values the recompiled build's mrs gives). */
typedef enum { SYSREG_TPIDRRO_EL0, SYSREG_CNTFRQ_EL0, SYSREG_CNTPCT_EL0, SYSREG_CNTVCT_EL0 } emu_sysreg;

typedef struct emu_site {
  uint64_t address;
  uint32_t original; /* the word before the rewrite */
  emu_site_kind kind;
  uint32_t operand;  /* svc: the immediate; mrs: the destination register */
  emu_sysreg sysreg;
} emu_site;

/* Host markers use brk immediates from here up; sites are numbered below. */
#define EMU_SITE_LIMIT 0xF000u
#define EMU_BRK_ENTER 0xF000u

/* Rewrites the executable regions (loaded, not yet sealed); 0, or prints a located error and returns -1. */
int emu_rewrite_code(void);
/* The site a `brk` word at `pc` stands for, or NULL when the word is not one of the rewrite's at its own address. */
const emu_site *emu_site_at(uint64_t pc);

/* Runs the original code from `start` on `cpu` until it returns to the x30 it started with. */
void emu_run(recomp_cpu *cpu, uint64_t start);
/* rt_entry of the emulated build: rewrites and seals the code once, then runs the entry. */
void emu_entry(recomp_cpu *cpu);

#endif
