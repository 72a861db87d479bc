/*
 * runtime/core/a64: FPCR and FPSR as mrs/msr see them, and the bridge between FPCR/FPSR and the host FPU:
 * the host rounding mode follows FPCR.RMode (set only when it differs), and the host's IEEE exception flags
 * of one native operation are read back and mapped to FPSR's cumulative bits (docs/a64.md, "Floating point").
 */
#ifndef RECOMP_A64_FP_STATE_H
#define RECOMP_A64_FP_STATE_H

#include <fenv.h>
#include <stdint.h>

#include "../cpu.h"

/* FPCR bits the architecture defines for AArch64 (AHP, DN, FZ, RMode, FZ16 and the trap enables); the rest read as zero. */
#define RT_FPCR_WRITABLE UINT32_C(0x07f79f00)
/* FPSR: N Z C V QC (AArch32 only, but stored) and the cumulative exception flags IDC IXC UFC OFC DZC IOC. */
#define RT_FPSR_WRITABLE UINT32_C(0xf800009f)

#define RT_FPCR_AHP (UINT32_C(1) << 26)
#define RT_FPCR_DN (UINT32_C(1) << 25)
#define RT_FPCR_FZ (UINT32_C(1) << 24)
#define RT_FPCR_RMODE_SHIFT 22

#define RT_FPSR_IOC 0x01u
#define RT_FPSR_DZC 0x02u
#define RT_FPSR_OFC 0x04u
#define RT_FPSR_UFC 0x08u
#define RT_FPSR_IXC 0x10u
#define RT_FPSR_IDC 0x80u

/* The architecture's rounding modes (FPCR.RMode, and the fixed modes of fcvt*, frint*). */
enum { RT_ROUND_NEAREST = 0, RT_ROUND_UP = 1, RT_ROUND_DOWN = 2, RT_ROUND_ZERO = 3, RT_ROUND_AWAY = 4, RT_ROUND_ODD = 5 };

/* mrs/msr of FPCR and FPSR: reads give the register as stored; writes keep the bits the architecture defines. */
#define RT_FP_STATUS_REGISTER(name, writable)                                                                          \
  static inline uint64_t rt_a64_read_##name(recomp_cpu *cpu, uint64_t pc) {                                          \
    (void)pc;                                                                                                         \
    return cpu->name;                                                                                                 \
  }                                                                                                                   \
  static inline void rt_a64_write_##name(recomp_cpu *cpu, uint64_t pc, uint64_t value) {                             \
    (void)pc;                                                                                                         \
    cpu->name = (uint32_t)value & (writable);                                                                         \
  }
RT_FP_STATUS_REGISTER(fpcr, RT_FPCR_WRITABLE)
RT_FP_STATUS_REGISTER(fpsr, RT_FPSR_WRITABLE)

static inline unsigned rt_fpcr_rmode(uint32_t fpcr) { return (fpcr >> RT_FPCR_RMODE_SHIFT) & 3u; }

/* Sets the host rounding mode to an architectural one (nearest, up, down, zero); a no-op when already set. */
static inline void rt_fp_host_round(unsigned mode) {
  static const int host[4] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  if (fegetround() != host[mode & 3u]) fesetround(host[mode & 3u]);
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * x86-64: the lifted code's FP is SSE, so its flags are MXCSR's low bits (FE_* have the same values there).
 * glibc's feclearexcept also rewrites the x87 environment (fnstenv/fldenv), which cost 70% of an FP loop's time.
 */
static inline void rt_fp_host_clear(void) {
  unsigned csr = __builtin_ia32_stmxcsr();
  if ((csr & FE_ALL_EXCEPT) != 0) __builtin_ia32_ldmxcsr(csr & ~(unsigned)FE_ALL_EXCEPT);
}
static inline int rt_fp_host_raised(void) { return (int)(__builtin_ia32_stmxcsr() & FE_ALL_EXCEPT); }
#else
/* Clears the host flags before one native operation. */
static inline void rt_fp_host_clear(void) { feclearexcept(FE_ALL_EXCEPT); }
static inline int rt_fp_host_raised(void) { return fetestexcept(FE_ALL_EXCEPT); }
#endif

/* The host flags raised since rt_fp_host_clear, as FPSR bits (the host's own denormal flag has no FPSR twin). */
static inline unsigned rt_fp_host_flags(void) {
  int raised = rt_fp_host_raised();
  return ((raised & FE_INVALID) ? RT_FPSR_IOC : 0u) | ((raised & FE_DIVBYZERO) ? RT_FPSR_DZC : 0u) |
         ((raised & FE_OVERFLOW) ? RT_FPSR_OFC : 0u) | ((raised & FE_UNDERFLOW) ? RT_FPSR_UFC : 0u) |
         ((raised & FE_INEXACT) ? RT_FPSR_IXC : 0u);
}

/*
 * Keeps the compiler from moving a native FP operation across the flag reads around it: the value is forced
 * through memory at this point (GCC and Clang, any host).
 */
#define RT_FP_FENCE(x) __asm__ volatile("" : "+m"(x))

#endif
