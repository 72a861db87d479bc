/*
 * runtime/core/a64: the Advanced SIMD floating-point instructions, vector and scalar forms alike: a loop over
 * `count` elements of format `fmt` (1 single, 2 double) into a local register, then one write that zeroes what
 * lies above (a scalar is one element, a 64-bit vector two singles). By-element forms pass the lane of m
 * (index >= 0); lane-wise forms pass -1.
 */
#ifndef RECOMP_A64_FP_VECTOR_H
#define RECOMP_A64_FP_VECTOR_H

#include <stdint.h>

#include "fp_convert.h"
#include "fp_estimate.h"
#include "vector.h"

static inline uint64_t rt_fpv_lane(const rt_vreg *v, int fmt, int i) { return fmt == 2 ? v->d[i] : v->s[i]; }
static inline void rt_fpv_set_lane(rt_vreg *v, int fmt, int i, uint64_t value) {
  if (fmt == 2) v->d[i] = value;
  else v->s[i] = (uint32_t)value;
}
/* Writes `count` elements of `fmt` from a local register; the rest of V[d] becomes zero. */
static inline void rt_fpv_store(recomp_cpu *cpu, unsigned d, const rt_vreg *value, int fmt, int count) {
  rt_vec_write(cpu, d, value->b, (unsigned)count * (fmt == 2 ? 8u : 4u));
}

/* Two-operand operations on elements: arithmetic (RT_FP_*), min/max, compares (all ones when true), steps. */
enum {
  RT_FPV_MAX = 10, RT_FPV_MIN, RT_FPV_MAXNM, RT_FPV_MINNM,
  RT_FPV_CMEQ = 20, RT_FPV_CMGE, RT_FPV_CMGT, RT_FPV_ACGE, RT_FPV_ACGT,
  RT_FPV_RECPS = 30, RT_FPV_RSQRTS
};

/* FPCompareEQ/GE/GT (and on absolute values): false for NaNs; IOC for a signalling NaN, or any NaN in GE/GT. */
static inline uint64_t rt_fpv_compare(rt_fp *f, int code, uint64_t a, uint64_t b, int fmt) {
  if (code == RT_FPV_ACGE || code == RT_FPV_ACGT) {
    a &= ~rt_fp_sign_bit(fmt);
    b &= ~rt_fp_sign_bit(fmt);
  }
  unsigned nzcv = rt_fp_compare(f, a, b, fmt, code != RT_FPV_CMEQ);
  int holds = code == RT_FPV_CMEQ ? nzcv == 0x6u : (code == RT_FPV_CMGE || code == RT_FPV_ACGE) ? (nzcv == 0x6u || nzcv == 0x2u) : nzcv == 0x2u;
  return holds ? ~UINT64_C(0) : 0;
}

static inline uint64_t rt_fpv_binary_element(rt_fp *f, int code, uint64_t a, uint64_t b, int fmt) {
  if (code < RT_FPV_MAX) return rt_fp_arith(f, code, a, b, fmt);
  if (code < RT_FPV_CMEQ) return rt_fp_minmax(f, code == RT_FPV_MAX || code == RT_FPV_MAXNM, code >= RT_FPV_MAXNM, a, b, fmt);
  if (code < RT_FPV_RECPS) return rt_fpv_compare(f, code, a, b, fmt);
  return rt_fp_step(f, code == RT_FPV_RSQRTS, a, b, fmt);
}

/* Lane-wise (index -1) or by element (lane `index` of m) binary operations. */
void rt_a64_fpv_binary(recomp_cpu *cpu, uint64_t pc, int code, int fmt, int count, unsigned d, unsigned n, unsigned m, int index);

/* Pairwise: element i of the concatenation m:n paired with element i+1 (scalar pairwise: count 1, over n). */
void rt_a64_fpv_pairwise(recomp_cpu *cpu, uint64_t pc, int code, int fmt, int count, unsigned d, unsigned n, unsigned m);

/* Across lanes of a 4s vector: the architecture's Reduce, op(op(e0, e1), op(e2, e3)). */
void rt_a64_fpv_reduce(recomp_cpu *cpu, uint64_t pc, int code, unsigned d, unsigned n);

/* fmla (d + n*m) and fmls (d - n*m, n negated bitwise), lane-wise or by element. */
void rt_a64_fpv_muladd(recomp_cpu *cpu, uint64_t pc, int negate, int fmt, int count, unsigned d, unsigned n, unsigned m, int index);

/* One-operand operations: frint (codes 0..4 fixed modes, 5 FPCR's, 6 frintx), sign ops, estimates, compares with zero. */
enum {
  RT_FPV_FRINT_FPCR = 5, RT_FPV_FRINTX = 6, RT_FPV_ABS = 10, RT_FPV_NEG, RT_FPV_SQRT, RT_FPV_RECPE, RT_FPV_RSQRTE, RT_FPV_RECPX,
  RT_FPV_URECPE, RT_FPV_URSQRTE, RT_FPV_CMEQ0 = 20, RT_FPV_CMGE0, RT_FPV_CMGT0, RT_FPV_CMLE0, RT_FPV_CMLT0
};

static inline uint64_t rt_fpv_unary_element(rt_fp *f, int code, uint64_t a, int fmt) {
  uint64_t sign = rt_fp_sign_bit(fmt);
  switch (code) {
    case RT_FPV_FRINT_FPCR: return rt_fp_round_int(f, a, fmt, rt_fpcr_rmode(f->fpcr), 0);
    case RT_FPV_FRINTX: return rt_fp_round_int(f, a, fmt, rt_fpcr_rmode(f->fpcr), 1);
    case RT_FPV_ABS: return a & ~sign;
    case RT_FPV_NEG: return a ^ sign;
    case RT_FPV_SQRT: return rt_fp_sqrt(f, a, fmt);
    case RT_FPV_RECPE: return rt_fp_recip_estimate(f, a, fmt);
    case RT_FPV_RSQRTE: return rt_fp_rsqrt_estimate(f, a, fmt);
    case RT_FPV_RECPX: return rt_fp_recpx(f, a, fmt);
    case RT_FPV_URECPE: return rt_fp_unsigned_recip_estimate((uint32_t)a);
    case RT_FPV_URSQRTE: return rt_fp_unsigned_rsqrt_estimate((uint32_t)a);
    case RT_FPV_CMEQ0: return rt_fpv_compare(f, RT_FPV_CMEQ, a, 0, fmt);
    case RT_FPV_CMGE0: return rt_fpv_compare(f, RT_FPV_CMGE, a, 0, fmt);
    case RT_FPV_CMGT0: return rt_fpv_compare(f, RT_FPV_CMGT, a, 0, fmt);
    case RT_FPV_CMLE0: return rt_fpv_compare(f, RT_FPV_CMGE, 0, a, fmt);
    case RT_FPV_CMLT0: return rt_fpv_compare(f, RT_FPV_CMGT, 0, a, fmt);
    default: return rt_fp_round_int(f, a, fmt, (unsigned)code, 0);
  }
}

void rt_a64_fpv_unary(recomp_cpu *cpu, uint64_t pc, int code, int fmt, int count, unsigned d, unsigned n);

/*
 * fcvt{n,p,m,a,z}{s,u} (to_int: integers of the element's width, rounded in `mode`) and scvtf/ucvtf (FPCR's
 * mode) on elements, with fbits for the fixed-point forms.
 */
void rt_a64_fpv_convert(recomp_cpu *cpu, uint64_t pc, int to_int, int mode, int is_signed, int fbits, int fmt, int count,
                        unsigned d, unsigned n);

/*
 * fcvtn/fcvtn2 (to = 0 half from single, 1 single from double), fcvtxn/fcvtxn2 (round to odd): `count` narrowed
 * elements into the lower half of V[d] (upper half zeroed), or into its upper half (`upper`, lower half kept).
 */
void rt_a64_fpv_narrow(recomp_cpu *cpu, uint64_t pc, int to, int odd, int count, int upper, unsigned d, unsigned n);

/* fcvtl/fcvtl2 (to = 1 single from half, 2 double from single): the lower or upper half's elements widened. */
void rt_a64_fpv_widen(recomp_cpu *cpu, uint64_t pc, int to, int upper, unsigned d, unsigned n);

#endif
