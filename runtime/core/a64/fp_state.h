/* runtime/core/a64: FPCR and FPSR as mrs/msr see them. */
#ifndef RECOMP_A64_FP_STATE_H
#define RECOMP_A64_FP_STATE_H

#include <stdint.h>

#include "../cpu.h"

/* FPCR bits the architecture defines for AArch64 (AHP, DN, FZ, RMode, FZ16 and the trap enables); the rest read as zero. */
#define RT_FPCR_WRITABLE UINT32_C(0x07f79f00)
/* FPSR: N Z C V QC (AArch32 only, but stored) and the cumulative exception flags IDC IXC UFC OFC DZC IOC. */
#define RT_FPSR_WRITABLE UINT32_C(0xf800009f)

static inline uint64_t rt_a64_read_fpcr(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  return cpu->fpcr;
}
static inline void rt_a64_write_fpcr(recomp_cpu *cpu, uint64_t pc, uint64_t value) {
  (void)pc;
  cpu->fpcr = (uint32_t)value & RT_FPCR_WRITABLE;
}
static inline uint64_t rt_a64_read_fpsr(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  return cpu->fpsr;
}
static inline void rt_a64_write_fpsr(recomp_cpu *cpu, uint64_t pc, uint64_t value) {
  (void)pc;
  cpu->fpsr = (uint32_t)value & RT_FPSR_WRITABLE;
}

#endif
