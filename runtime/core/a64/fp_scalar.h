/*
 * runtime/core/a64: the scalar FP instructions (fadd s0, s1, s2; fcmp; fcvtzs w0, d1, #3; fmov x0, v1.d[1] ...):
 * each reads its V registers, runs one element operation (fp_arith.h, fp_convert.h) and writes the result with
 * the rest of the register zeroed. `fmt` is 1 single, 2 double (0 half, for fcvt only).
 */
#ifndef RECOMP_A64_FP_SCALAR_H
#define RECOMP_A64_FP_SCALAR_H

#include <stdint.h>

#include "fp_convert.h"
#include "vector.h"

static inline uint64_t rt_fp_read(const recomp_cpu *cpu, unsigned v, int fmt) {
  return fmt == 2 ? cpu->vreg[v].d[0] : fmt == 1 ? cpu->vreg[v].s[0] : cpu->vreg[v].h[0];
}
static inline void rt_fp_write(recomp_cpu *cpu, unsigned v, uint64_t value, int fmt) {
  rt_vec_set_scalar(cpu, v, value, fmt == 2 ? 8u : fmt == 1 ? 4u : 2u);
}

/* ConditionHolds on NZCV, for fcsel and fccmp (cond is the 4-bit encoding). */
static inline int rt_fp_cond_holds(const recomp_cpu *cpu, unsigned cond) {
  int result;
  switch (cond >> 1) {
    case 0: result = cpu->flags.z; break;
    case 1: result = cpu->flags.c; break;
    case 2: result = cpu->flags.n; break;
    case 3: result = cpu->flags.v; break;
    case 4: result = cpu->flags.c && !cpu->flags.z; break;
    case 5: result = cpu->flags.n == cpu->flags.v; break;
    case 6: result = cpu->flags.n == cpu->flags.v && !cpu->flags.z; break;
    default: result = 1; break;
  }
  return (cond & 1) && cond != 15 ? !result : result;
}

/* fadd, fsub, fmul, fdiv, fnmul (op is an RT_FP_* code). */
void rt_a64_fp_arith(recomp_cpu *cpu, uint64_t pc, int op, int fmt, unsigned d, unsigned n, unsigned m);

void rt_a64_fp_minmax(recomp_cpu *cpu, uint64_t pc, int is_max, int nm, int fmt, unsigned d, unsigned n, unsigned m);

/* fmadd (a + n*m), fmsub (a - n*m), fnmadd (-a - n*m), fnmsub (-a + n*m): operands negated bitwise, NaNs included. */
void rt_a64_fp_muladd(recomp_cpu *cpu, uint64_t pc, int neg_addend, int neg_product, int fmt, unsigned d, unsigned n,
                      unsigned m, unsigned a);

/* fmov (register), fabs, fneg: bit operations that never raise a flag (kind 0, 1, 2). */
static inline void rt_a64_fp_sign(recomp_cpu *cpu, uint64_t pc, int kind, int fmt, unsigned d, unsigned n) {
  (void)pc;
  uint64_t v = rt_fp_read(cpu, n, fmt), sign = rt_fp_sign_bit(fmt);
  rt_fp_write(cpu, d, kind == 0 ? v : kind == 1 ? v & ~sign : v ^ sign, fmt);
}

void rt_a64_fp_sqrt(recomp_cpu *cpu, uint64_t pc, int fmt, unsigned d, unsigned n);

/* frint{n,p,m,z,a} (mode 0..4 as RT_ROUND_*), frinti and frintx (mode -1: FPCR's; frintx is `exact`). */
void rt_a64_fp_frint(recomp_cpu *cpu, uint64_t pc, int mode, int exact, int fmt, unsigned d, unsigned n);

/* fcvt between half (0), single (1) and double (2). */
static inline uint64_t rt_fp_convert_any(rt_fp *f, uint64_t v, int from, int to) {
  if (to == 0) return rt_fp_to_half(f, v, from);
  if (from == 0) return rt_fp_from_half(f, v, to);
  return rt_fp_convert(f, v, from, to, 0);
}

void rt_a64_fp_fcvt(recomp_cpu *cpu, uint64_t pc, int from, int to, unsigned d, unsigned n);

/* fcmp/fcmpe (with_zero compares with +0.0) into NZCV. */
void rt_a64_fp_compare(recomp_cpu *cpu, uint64_t pc, int signal_all, int with_zero, int fmt, unsigned n, unsigned m);

/* fccmp/fccmpe: the comparison when cond holds, else NZCV = nzcv. */
void rt_a64_fp_ccmp(recomp_cpu *cpu, uint64_t pc, int signal_all, int fmt, unsigned n, unsigned m, unsigned nzcv, unsigned cond);

static inline void rt_a64_fp_csel(recomp_cpu *cpu, uint64_t pc, int fmt, unsigned d, unsigned n, unsigned m, unsigned cond) {
  (void)pc;
  rt_fp_write(cpu, d, rt_fp_read(cpu, rt_fp_cond_holds(cpu, cond) ? n : m, fmt), fmt);
}

/* fmov (immediate) and fmov from a general register: `bytes` low bytes of value into V[d], the rest zero. */
static inline void rt_a64_fp_set(recomp_cpu *cpu, uint64_t pc, unsigned d, uint64_t value, unsigned bytes) {
  (void)pc;
  rt_vec_set_scalar(cpu, d, value, bytes);
}

/* fmov v.d[1], x: the upper half only; the lower half stays. */
static inline void rt_a64_fp_set_upper(recomp_cpu *cpu, uint64_t pc, unsigned d, uint64_t value) {
  (void)pc;
  cpu->vreg[d].d[1] = value;
}

/* fmov to a general register: `bytes` of lane `lane` (fmov x0, v1.d[1] is bytes 8, lane 1), zero-extended. */
static inline uint64_t rt_a64_fp_get(recomp_cpu *cpu, uint64_t pc, unsigned n, unsigned bytes, unsigned lane) {
  (void)pc;
  return bytes == 8 ? cpu->vreg[n].d[lane] : bytes == 4 ? cpu->vreg[n].s[lane] : cpu->vreg[n].h[lane];
}

/* fcvt{n,p,m,z,a}{s,u} to a general register, with fbits for the fixed-point fcvtz* forms. */
uint64_t rt_a64_fp_to_int(recomp_cpu *cpu, uint64_t pc, int mode, int is_signed, int bits, int fbits, int fmt, unsigned n);

/* scvtf/ucvtf from a general register, with fbits for the fixed-point forms. */
void rt_a64_fp_from_int(recomp_cpu *cpu, uint64_t pc, uint64_t value, int is_signed, int bits, int fbits, int fmt, unsigned d);

#endif
