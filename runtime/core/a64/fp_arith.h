/*
 * runtime/core/a64: one floating-point element operation at a time, as the architecture defines it
 * (FPProcessNaNs, FPUnpack's flush-to-zero, FPRound's tininess before rounding, default NaN). Values are raw
 * bits with a format: 1 single, 2 double (half is only converted, in fp_convert.h). The arithmetic itself is
 * native: single operations run in double and are rounded once to single, which is exact for + - * / sqrt
 * (53 >= 2*24+2) in every rounding mode; double operations run natively. Fix-ups cover where the host differs:
 * NaN choice and sign, default NaN, flush-to-zero, and tininess (Arm detects it before rounding, x86 after).
 */
#ifndef RECOMP_A64_FP_ARITH_H
#define RECOMP_A64_FP_ARITH_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fp_state.h"

/*
 * The FP context of one instruction done by a helper: FPCR as it was, and the FPSR flags raised so far. It starts
 * with the host flags lifted code left pending (fp_state.h) and ends with none, so the helper's own host
 * operations, whose flags it maps itself, leave nothing behind.
 */
typedef struct rt_fp {
  uint32_t fpcr;
  unsigned flags;
} rt_fp;

static inline rt_fp rt_fp_begin(const recomp_cpu *cpu) {
  rt_fp f = {cpu->fpcr, rt_fp_host_flags()};
  return f;
}
static inline void rt_fp_commit(recomp_cpu *cpu, const rt_fp *f) {
  cpu->fpsr |= f->flags;
  rt_fp_host_clear();
}

/* Format properties: 1 single, 2 double. */
static inline unsigned rt_fp_bits(int fmt) { return fmt == 2 ? 64u : 32u; }
static inline uint64_t rt_fp_sign_bit(int fmt) { return UINT64_C(1) << (rt_fp_bits(fmt) - 1); }
static inline uint64_t rt_fp_exp_mask(int fmt) { return fmt == 2 ? UINT64_C(0x7ff0000000000000) : UINT64_C(0x7f800000); }
static inline uint64_t rt_fp_frac_mask(int fmt) { return fmt == 2 ? UINT64_C(0x000fffffffffffff) : UINT64_C(0x007fffff); }
static inline uint64_t rt_fp_quiet_bit(int fmt) { return fmt == 2 ? UINT64_C(0x0008000000000000) : UINT64_C(0x00400000); }
static inline uint64_t rt_fp_default_nan(int fmt) { return rt_fp_exp_mask(fmt) | rt_fp_quiet_bit(fmt); }

static inline int rt_fp_is_nan(uint64_t v, int fmt) {
  return (v & rt_fp_exp_mask(fmt)) == rt_fp_exp_mask(fmt) && (v & rt_fp_frac_mask(fmt)) != 0;
}
static inline int rt_fp_is_snan(uint64_t v, int fmt) { return rt_fp_is_nan(v, fmt) && !(v & rt_fp_quiet_bit(fmt)); }
static inline int rt_fp_is_inf(uint64_t v, int fmt) { return (v & ~rt_fp_sign_bit(fmt)) == rt_fp_exp_mask(fmt); }
static inline int rt_fp_is_zero(uint64_t v, int fmt) { return (v & ~rt_fp_sign_bit(fmt)) == 0; }
static inline int rt_fp_is_denormal(uint64_t v, int fmt) {
  return (v & rt_fp_exp_mask(fmt)) == 0 && (v & rt_fp_frac_mask(fmt)) != 0;
}

/* rt_fp_<name>(value): value's bits as another type of the same size (memcpy: the one bit cast C defines). */
#define RT_FP_BIT_CAST(name, to, from)                                                                                 \
  static inline to rt_fp_##name(from value) {                                                                        \
    to out;                                                                                                           \
    memcpy(&out, &value, sizeof out);                                                                                 \
    return out;                                                                                                       \
  }
RT_FP_BIT_CAST(double_of, double, uint64_t)
RT_FP_BIT_CAST(bits_of_double, uint64_t, double)
RT_FP_BIT_CAST(float_of, float, uint32_t)
RT_FP_BIT_CAST(bits_of_float, uint32_t, float)

static inline double rt_fp_to_double(uint64_t v, int fmt) {
  return fmt == 2 ? rt_fp_double_of(v) : (double)rt_fp_float_of((uint32_t)v);
}
/* The bits of d in the format; d must be representable (or rounding by the host is wanted). */
static inline uint64_t rt_fp_from_double(double d, int fmt) {
  return fmt == 2 ? rt_fp_bits_of_double(d) : rt_fp_bits_of_float((float)d);
}

/* FPUnpack's flush-to-zero: with FPCR.FZ a denormal input is a zero of its sign, and IDC is raised. */
static inline uint64_t rt_fp_flush_in(rt_fp *f, uint64_t v, int fmt) {
  if ((f->fpcr & RT_FPCR_FZ) && rt_fp_is_denormal(v, fmt)) {
    f->flags |= RT_FPSR_IDC;
    return v & rt_fp_sign_bit(fmt);
  }
  return v;
}

/* A NaN operand as it propagates: quieted (IOC if it was signalling), or the default NaN under FPCR.DN. */
static inline uint64_t rt_fp_propagate(rt_fp *f, uint64_t nan, int fmt) {
  if (rt_fp_is_snan(nan, fmt)) f->flags |= RT_FPSR_IOC;
  return (f->fpcr & RT_FPCR_DN) ? rt_fp_default_nan(fmt) : nan | rt_fp_quiet_bit(fmt);
}

/*
 * FPProcessNaNs / FPProcessNaNs3: the first signalling NaN in operand order, else the first quiet one. Returns
 * 1 and the result in *out when an operand is a NaN.
 */
static inline int rt_fp_nans(rt_fp *f, int fmt, int count, const uint64_t *ops, uint64_t *out) {
  for (int i = 0; i < count; i++) {
    if (rt_fp_is_snan(ops[i], fmt)) {
      *out = rt_fp_propagate(f, ops[i], fmt);
      return 1;
    }
  }
  for (int i = 0; i < count; i++) {
    if (rt_fp_is_nan(ops[i], fmt)) {
      *out = rt_fp_propagate(f, ops[i], fmt);
      return 1;
    }
  }
  return 0;
}

/*
 * Whether the exact result of a double operation, rounded to ±DBL_MIN and inexact, was below DBL_MIN in
 * magnitude (so tiny before rounding): the sign of the residual, which fma gives exactly. Only products and
 * quotients can round up to DBL_MIN inexactly; sums near it are exact.
 */
enum { RT_FP_ADD, RT_FP_SUB, RT_FP_MUL, RT_FP_DIV, RT_FP_MULX, RT_FP_NMUL, RT_FP_ABD, RT_FP_SQRT, RT_FP_FUSED, RT_FP_STEP };

static inline int rt_fp_rounded_up_to_min(int op, double x, double y, double r) {
  if (op == RT_FP_MUL || op == RT_FP_MULX || op == RT_FP_NMUL) return signbit(fma(x, y, -r)) != signbit(r);
  if (op == RT_FP_DIV) return (signbit(fma(-r, y, x)) != signbit(y)) != signbit(r);
  return 0;
}

/*
 * Whether |z + x*y| < min exactly, for a fused result that rounded to ±min (the smallest normal of its format):
 * tininess before rounding. Scaled by 2^64 (exact: no operand or sum near min can overflow so, and one that would
 * is far from min) and rounded toward zero, which never crosses the power of two min * 2^64.
 */
static inline int rt_fp_fused_tiny(double z, double x, double y, double min, unsigned mode) {
  const double scale = 0x1p64;
  double zs = z * scale, xs = fabs(x) <= fabs(y) ? x * scale : x, ys = fabs(x) <= fabs(y) ? y : y * scale;
  if (isinf(zs) || isinf(xs) || isinf(ys)) return 0;
  rt_fp_host_round(RT_ROUND_ZERO);
  RT_FP_FENCE(zs);
  double sum = fma(xs, ys, zs);
  RT_FP_FENCE(sum);
  rt_fp_host_round(mode);
  return fabs(sum) < min * scale;
}

/*
 * The finishing step of a native result r (double) into the format: single is rounded here (host flags),
 * NaNs made by an invalid operation become the default NaN, tiny results are flushed (FZ) or raise UFC only when
 * tiny before rounding and inexact. For single, `probe` is the exact result or a double rounding of it (it
 * decides tininess, with the exact check when a fused sum's double rounding lands on FLT_MIN); for double,
 * `op`, x, y (and the addend z of RT_FP_FUSED) serve the tininess check of a result rounded to DBL_MIN.
 * RT_FP_STEP (frecps, frsqrts: 2 or 3 plus a product of two numbers of the format) is never tiny but zero: its
 * lowest bit is at least 2^-105.
 */
static inline uint64_t rt_fp_finish(rt_fp *f, double r, double probe, int fmt, int op, double x, double y, double z) {
  double rounded = r;
  if (fmt == 1) {
    float s = (float)r;
    RT_FP_FENCE(s);
    rounded = (double)s;
  }
  unsigned host = rt_fp_host_flags();
  if (isnan(rounded)) {
    f->flags |= host;
    return rt_fp_default_nan(fmt);
  }
  double min = fmt == 2 ? DBL_MIN : (double)FLT_MIN;
  int tiny;
  /* single: only a fused sum's double rounding can land on FLT_MIN from below */
  if (fmt == 1) tiny = probe != 0 && (fabs(probe) < min || (op == RT_FP_FUSED && fabs(probe) == min && rt_fp_fused_tiny(z, x, y, min, rt_fpcr_rmode(f->fpcr))));
  else tiny = (fabs(rounded) < min && (rounded != 0 || (host & RT_FPSR_IXC))) ||
              (fabs(rounded) == min && (host & RT_FPSR_IXC) &&
               (op == RT_FP_FUSED ? rt_fp_fused_tiny(z, x, y, min, rt_fpcr_rmode(f->fpcr)) : rt_fp_rounded_up_to_min(op, x, y, rounded)));
  host &= ~RT_FPSR_UFC;
  if (tiny && (f->fpcr & RT_FPCR_FZ)) {
    f->flags |= RT_FPSR_UFC;
    return signbit(r) ? rt_fp_sign_bit(fmt) : 0;
  }
  if (tiny && (host & RT_FPSR_IXC)) host |= RT_FPSR_UFC;
  f->flags |= host;
  return rt_fp_from_double(rounded, fmt);
}

/* Starts a native operation: the host rounds as FPCR says and its flags are clear. */
static inline void rt_fp_native_begin(const rt_fp *f) { rt_fp_host_prepare(rt_fpcr_rmode(f->fpcr)); }

/* FMULX's special case and every other product: inf * 0 is 2.0 of the product's sign (a plain product is a NaN). */
static inline double rt_fp_native_binary(int op, double x, double y) {
  switch (op) {
    case RT_FP_ADD: return x + y;
    case RT_FP_SUB: case RT_FP_ABD: return x - y;
    case RT_FP_DIV: return x / y;
    default: return x * y;
  }
}

/* add, sub, mul, div, mulx, nmul (negated product, NaN included) and abd (absolute difference, NaN included). */
static inline uint64_t rt_fp_arith(rt_fp *f, int op, uint64_t a, uint64_t b, int fmt) {
  uint64_t ops[2] = {rt_fp_flush_in(f, a, fmt), rt_fp_flush_in(f, b, fmt)};
  uint64_t out;
  if (!rt_fp_nans(f, fmt, 2, ops, &out)) {
    double x = rt_fp_to_double(ops[0], fmt), y = rt_fp_to_double(ops[1], fmt);
    if (op == RT_FP_MULX && ((isinf(x) && y == 0) || (x == 0 && isinf(y)))) {
      out = rt_fp_from_double(signbit(x) != signbit(y) ? -2.0 : 2.0, fmt);
    } else {
      rt_fp_native_begin(f);
      double r = rt_fp_native_binary(op, x, y);
      RT_FP_FENCE(r);
      out = rt_fp_finish(f, r, r, fmt, op, x, y, 0);
    }
  }
  if (op == RT_FP_NMUL) out ^= rt_fp_sign_bit(fmt);
  if (op == RT_FP_ABD) out &= ~rt_fp_sign_bit(fmt);
  return out;
}

static inline uint64_t rt_fp_sqrt(rt_fp *f, uint64_t a, int fmt) {
  uint64_t v = rt_fp_flush_in(f, a, fmt), out;
  if (rt_fp_nans(f, fmt, 1, &v, &out)) return out;
  if (rt_fp_is_zero(v, fmt)) return v;
  if (v & rt_fp_sign_bit(fmt)) {
    f->flags |= RT_FPSR_IOC;
    return rt_fp_default_nan(fmt);
  }
  double x = rt_fp_to_double(v, fmt);
  rt_fp_native_begin(f);
  double r = sqrt(x);
  RT_FP_FENCE(r);
  return rt_fp_finish(f, r, r, fmt, RT_FP_SQRT, x, x, 0);
}

/* z + x * y rounded once in the host mode: fmaf for single (a double fma would round twice). */
static inline double rt_fp_native_fused(int fmt, double z, double x, double y) {
  if (fmt == 1) {
    float s = fmaf((float)x, (float)y, (float)z);
    RT_FP_FENCE(s);
    return (double)s;
  }
  double r = fma(x, y, z);
  RT_FP_FENCE(r);
  return r;
}

/*
 * FPMulAdd: addend + a * b with one rounding (callers negate operands for fmsub, fnmadd, fmls, ...). NaNs in
 * the order addend, a, b; a quiet NaN addend with inf * 0 gives the default NaN and IOC.
 */
static inline uint64_t rt_fp_muladd(rt_fp *f, uint64_t addend, uint64_t a, uint64_t b, int fmt) {
  uint64_t ops[3] = {rt_fp_flush_in(f, addend, fmt), rt_fp_flush_in(f, a, fmt), rt_fp_flush_in(f, b, fmt)};
  int inf_zero = (rt_fp_is_inf(ops[1], fmt) && rt_fp_is_zero(ops[2], fmt)) || (rt_fp_is_zero(ops[1], fmt) && rt_fp_is_inf(ops[2], fmt));
  uint64_t out;
  if (rt_fp_nans(f, fmt, 3, ops, &out)) {
    if (inf_zero && !rt_fp_is_snan(ops[0], fmt)) {
      f->flags |= RT_FPSR_IOC;
      return rt_fp_default_nan(fmt);
    }
    return out;
  }
  double z = rt_fp_to_double(ops[0], fmt), x = rt_fp_to_double(ops[1], fmt), y = rt_fp_to_double(ops[2], fmt);
  double probe = fmt == 1 ? fma(x, y, z) : 0; /* single: the exact sum but for one rounding to double */
  rt_fp_native_begin(f);
  double r = rt_fp_native_fused(fmt, z, x, y);
  return rt_fp_finish(f, r, probe, fmt, RT_FP_FUSED, x, y, z);
}

/*
 * FRECPS (2 - a*b) and FRSQRTS ((3 - a*b) / 2), each rounded once; inf * 0 gives 2.0 and 1.5. `a` is negated
 * before the NaN check. The halving goes into whichever operand halves exactly (one of them does whenever
 * the result can overflow or be tiny), else after the fused step, where it is exact.
 */
static inline uint64_t rt_fp_step(rt_fp *f, int rsqrt, uint64_t a, uint64_t b, int fmt) {
  uint64_t ops[2] = {rt_fp_flush_in(f, a ^ rt_fp_sign_bit(fmt), fmt), rt_fp_flush_in(f, b, fmt)}, out;
  if (rt_fp_nans(f, fmt, 2, ops, &out)) return out;
  int inf_zero = (rt_fp_is_inf(ops[0], fmt) && rt_fp_is_zero(ops[1], fmt)) || (rt_fp_is_zero(ops[0], fmt) && rt_fp_is_inf(ops[1], fmt));
  if (inf_zero) return rt_fp_from_double(rsqrt ? 1.5 : 2.0, fmt);
  double x = rt_fp_to_double(ops[0], fmt), y = rt_fp_to_double(ops[1], fmt);
  double exact_half = 2 * (fmt == 2 ? DBL_MIN : (double)FLT_MIN);
  double probe = rsqrt ? fma(x, y, 3.0) * 0.5 : fma(x, y, 2.0);
  rt_fp_native_begin(f);
  double r;
  if (!rsqrt) r = rt_fp_native_fused(fmt, 2.0, x, y);
  else if (fabs(x) >= exact_half) r = rt_fp_native_fused(fmt, 1.5, x * 0.5, y);
  else if (fabs(y) >= exact_half) r = rt_fp_native_fused(fmt, 1.5, x, y * 0.5);
  else r = rt_fp_native_fused(fmt, 3.0, x, y) * 0.5;
  RT_FP_FENCE(r);
  return rt_fp_finish(f, r, probe, fmt, RT_FP_STEP, x, y, 0);
}

/* FPMax/FPMin (is_max) and the maxNum/minNum forms (nm): a single quiet NaN loses to a number in the nm forms. */
static inline uint64_t rt_fp_minmax(rt_fp *f, int is_max, int nm, uint64_t a, uint64_t b, int fmt) {
  uint64_t ops[2] = {rt_fp_flush_in(f, a, fmt), rt_fp_flush_in(f, b, fmt)}, out;
  if (nm) {
    int qa = rt_fp_is_nan(ops[0], fmt) && !rt_fp_is_snan(ops[0], fmt), qb = rt_fp_is_nan(ops[1], fmt) && !rt_fp_is_snan(ops[1], fmt);
    if (qa && !rt_fp_is_nan(ops[1], fmt)) return ops[1];
    if (qb && !rt_fp_is_nan(ops[0], fmt)) return ops[0];
  }
  if (rt_fp_nans(f, fmt, 2, ops, &out)) return out;
  double x = rt_fp_to_double(ops[0], fmt), y = rt_fp_to_double(ops[1], fmt);
  if (x == y) {
    /* equal values: only zeros of different signs differ (max gives +0, min -0) */
    uint64_t sa = ops[0] & rt_fp_sign_bit(fmt), sb = ops[1] & rt_fp_sign_bit(fmt);
    return is_max ? (sa ? ops[1] : ops[0]) : (sa ? ops[0] : (sb ? ops[1] : ops[0]));
  }
  return (x > y) == is_max ? ops[0] : ops[1];
}

/*
 * FPCompare as NZCV (fcmp: IOC for a signalling NaN only; fcmpe, `signal_all`: for any NaN). Unordered is 0011,
 * equal 0110, less 1000, greater 0010.
 */
static inline unsigned rt_fp_compare(rt_fp *f, uint64_t a, uint64_t b, int fmt, int signal_all) {
  a = rt_fp_flush_in(f, a, fmt);
  b = rt_fp_flush_in(f, b, fmt);
  if (rt_fp_is_nan(a, fmt) || rt_fp_is_nan(b, fmt)) {
    if (signal_all || rt_fp_is_snan(a, fmt) || rt_fp_is_snan(b, fmt)) f->flags |= RT_FPSR_IOC;
    return 0x3u;
  }
  double x = rt_fp_to_double(a, fmt), y = rt_fp_to_double(b, fmt);
  return x == y ? 0x6u : x < y ? 0x8u : 0x2u;
}

#endif
