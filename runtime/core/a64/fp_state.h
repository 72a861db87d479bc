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

static inline unsigned rt_fpcr_rmode(uint32_t fpcr) { return (fpcr >> RT_FPCR_RMODE_SHIFT) & 3u; }

/*
 * The host FP environment while lifted code runs: the host rounds as FPCR.RMode says (set when FPCR is written
 * and when lifted code is entered), and the host's sticky exception flags are FPSR flags not yet folded into
 * cpu->fpsr (both are sticky). They are folded when FPSR is read, before an svc (services run in the host's
 * default environment) and by every helper that needs the flags of one operation of its own. So an operation
 * whose host result and flags are the architecture's runs as one native instruction (fp_scalar.h).
 */
#if defined(__x86_64__) && defined(__GNUC__)
/* x86-64: the lifted code's FP is SSE, so the environment is MXCSR (flags FE_* in its low bits, RC in bits 13-14). */
#define RT_MXCSR_RC_SHIFT 13
static inline unsigned rt_fp_host_csr(void) {
  unsigned csr;
  __asm__ volatile("stmxcsr %0" : "=m"(csr) : : "memory");
  return csr;
}
static inline void rt_fp_host_set_csr(unsigned csr) { __asm__ volatile("ldmxcsr %0" : : "m"(csr) : "memory"); }
/* RMode nearest, +inf, -inf, zero as MXCSR.RC (nearest, down, up, zero). */
static inline unsigned rt_fp_host_rc(unsigned mode) { return ((mode & 1u) << 1) | ((mode >> 1) & 1u); }
/* The host rounds as `mode` says and has no flags raised. */
static inline void rt_fp_host_prepare(unsigned mode) {
  unsigned csr = rt_fp_host_csr();
  unsigned want = (csr & ~((3u << RT_MXCSR_RC_SHIFT) | (unsigned)FE_ALL_EXCEPT)) | (rt_fp_host_rc(mode) << RT_MXCSR_RC_SHIFT);
  if (want != csr) rt_fp_host_set_csr(want);
}
static inline void rt_fp_host_round(unsigned mode) {
  unsigned csr = rt_fp_host_csr();
  unsigned want = (csr & ~(3u << RT_MXCSR_RC_SHIFT)) | (rt_fp_host_rc(mode) << RT_MXCSR_RC_SHIFT);
  if (want != csr) rt_fp_host_set_csr(want);
}
/* glibc's feclearexcept also rewrites the x87 environment (fnstenv/fldenv), which cost 70% of an FP loop's time. */
static inline void rt_fp_host_clear(void) {
  unsigned csr = rt_fp_host_csr();
  if ((csr & FE_ALL_EXCEPT) != 0) rt_fp_host_set_csr(csr & ~(unsigned)FE_ALL_EXCEPT);
}
static inline int rt_fp_host_raised(void) { return (int)(rt_fp_host_csr() & FE_ALL_EXCEPT); }
#else
static inline void rt_fp_host_round(unsigned mode) {
  static const int host[4] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  if (fegetround() != host[mode & 3u]) fesetround(host[mode & 3u]);
}
static inline void rt_fp_host_clear(void) { feclearexcept(FE_ALL_EXCEPT); }
static inline void rt_fp_host_prepare(unsigned mode) {
  rt_fp_host_round(mode);
  rt_fp_host_clear();
}
static inline int rt_fp_host_raised(void) { return fetestexcept(FE_ALL_EXCEPT); }
#endif

/* The host flags raised since rt_fp_host_clear, as FPSR bits (the host's own denormal flag has no FPSR twin). */
static inline unsigned rt_fp_host_flags(void) {
  int raised = rt_fp_host_raised();
  return ((raised & FE_INVALID) ? RT_FPSR_IOC : 0u) | ((raised & FE_DIVBYZERO) ? RT_FPSR_DZC : 0u) |
         ((raised & FE_OVERFLOW) ? RT_FPSR_OFC : 0u) | ((raised & FE_UNDERFLOW) ? RT_FPSR_UFC : 0u) |
         ((raised & FE_INEXACT) ? RT_FPSR_IXC : 0u);
}

/* Lifted code starts or resumes (run start, a new thread, after an svc): the host takes FPCR's mode, no flags. */
static inline void rt_fp_guest_enter(const recomp_cpu *cpu) { rt_fp_host_prepare(rt_fpcr_rmode(cpu->fpcr)); }
/* Lifted code stops for host code (an svc): its pending flags go into FPSR; the host gets its default environment. */
static inline void rt_fp_guest_leave(recomp_cpu *cpu) {
  cpu->fpsr |= rt_fp_host_flags();
  rt_fp_host_prepare(RT_ROUND_NEAREST);
}

/* mrs/msr of FPCR and FPSR: reads give the register (FPSR with the pending host flags); writes keep the defined bits. */
static inline uint64_t rt_a64_read_fpcr(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  return cpu->fpcr;
}
static inline void rt_a64_write_fpcr(recomp_cpu *cpu, uint64_t pc, uint64_t value) {
  (void)pc;
  cpu->fpcr = (uint32_t)value & RT_FPCR_WRITABLE;
  rt_fp_host_round(rt_fpcr_rmode(cpu->fpcr));
}
static inline uint64_t rt_a64_read_fpsr(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  cpu->fpsr |= rt_fp_host_flags();
  return cpu->fpsr;
}
static inline void rt_a64_write_fpsr(recomp_cpu *cpu, uint64_t pc, uint64_t value) {
  (void)pc;
  cpu->fpsr = (uint32_t)value & RT_FPSR_WRITABLE;
  rt_fp_host_clear();
}

/*
 * Keeps the compiler from moving a native FP operation across the flag reads around it: the value is forced
 * through memory at this point (GCC and Clang, any host).
 */
#define RT_FP_FENCE(x) __asm__ volatile("" : "+m"(x))

#endif
