/*
 * runtime/core/a64: conversions, one element at a time: rounding to an integral value (frint*), FP to integer
 * or fixed point with saturation (fcvt*), integer or fixed point to FP (scvtf, ucvtf), and between half,
 * single and double (fcvt, fcvtxn). Formats: 0 half, 1 single, 2 double.
 */
#ifndef RECOMP_A64_FP_CONVERT_H
#define RECOMP_A64_FP_CONVERT_H

#include <math.h>
#include <stdint.h>

#include "fp_arith.h"

/* 2^e as a double, exactly (-1022 <= e <= 1023), without libm. */
static inline double rt_fp_pow2(int e) {
  return rt_fp_double_of((uint64_t)(e + 1023) << 52);
}

/*
 * Whether a magnitude with integral part of parity `odd` and fraction `rest` (0 <= rest < 1, exact) is rounded
 * up (away from zero) in `mode`.
 */
static inline int rt_fp_round_up(unsigned mode, int negative, int odd, double rest) {
  int half = rest >= 0.5, sticky = half ? rest > 0.5 : rest > 0;
  switch (mode) {
    case RT_ROUND_NEAREST: return half && (sticky || odd);
    case RT_ROUND_AWAY: return half;
    case RT_ROUND_UP: return !negative && (half || sticky);
    case RT_ROUND_DOWN: return negative && (half || sticky);
    default: return 0;
  }
}

/* A finite double rounded to an integral value in `mode`, keeping the sign of zero (FPRoundInt). */
static inline double rt_fp_round_integral(double x, unsigned mode) {
  if (!(fabs(x) < 4503599627370496.0)) return x; /* 2^52 and above are integral */
  double t = (double)(int64_t)x;                  /* truncated, exactly */
  int up = rt_fp_round_up(mode, signbit(x) != 0, (int)((int64_t)t & 1), fabs(x - t));
  return copysign(up ? fabs(t) + 1 : fabs(t), x);
}

/* FRINT*: `mode` is the instruction's or FPCR's; frintx (`exact`) raises IXC when the value changes. */
static inline uint64_t rt_fp_round_int(rt_fp *f, uint64_t a, int fmt, unsigned mode, int exact) {
  uint64_t v = rt_fp_flush_in(f, a, fmt), out;
  if (rt_fp_nans(f, fmt, 1, &v, &out)) return out;
  double x = rt_fp_to_double(v, fmt);
  double r = rt_fp_round_integral(x, mode);
  if (exact && r != x) f->flags |= RT_FPSR_IXC;
  return rt_fp_from_double(r, fmt);
}

/*
 * FPToFixed: a value times 2^fbits, rounded in `mode`, as a `bits`-bit signed or unsigned integer. NaN gives 0,
 * out of range saturates; both raise IOC (and not IXC). The result is zero-extended to 64 bits.
 */
static inline uint64_t rt_fp_to_int(rt_fp *f, uint64_t a, int fmt, int fbits, unsigned mode, int is_signed, int bits) {
  uint64_t v = rt_fp_flush_in(f, a, fmt);
  uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
  if (rt_fp_is_nan(v, fmt)) {
    f->flags |= RT_FPSR_IOC;
    return 0;
  }
  double x = rt_fp_to_double(v, fmt) * rt_fp_pow2(fbits); /* exact, or infinite where it saturates anyway */
  double r = rt_fp_round_integral(x, mode);
  double low = is_signed ? -rt_fp_pow2(bits - 1) : 0.0, high = rt_fp_pow2(is_signed ? bits - 1 : bits);
  if (r < low || r >= high) {
    f->flags |= RT_FPSR_IOC;
    if (!is_signed) return r < 0 ? 0 : mask;
    return (r < 0 ? (UINT64_C(1) << (bits - 1)) : (UINT64_C(1) << (bits - 1)) - 1) & mask;
  }
  if (r != x) f->flags |= RT_FPSR_IXC;
  return (is_signed ? (uint64_t)(int64_t)r : (uint64_t)r) & mask;
}

/* FixedToFP: a `bits`-bit signed or unsigned integer over 2^fbits, rounded once as FPCR says (the scaling is exact). */
static inline uint64_t rt_fp_from_int(rt_fp *f, uint64_t value, int is_signed, int bits, int fbits, int fmt) {
  int64_t s = bits == 32 ? (int64_t)(int32_t)value : (int64_t)value;
  uint64_t u = bits == 32 ? (uint32_t)value : value;
  double scale = rt_fp_pow2(-fbits);
  rt_fp_native_begin(f);
  uint64_t out;
  if (fmt == 2) {
    double d = is_signed ? (double)s : (double)u;
    RT_FP_FENCE(d);
    out = rt_fp_from_double(d * scale, 2);
  } else {
    float h = is_signed ? (float)s : (float)u;
    RT_FP_FENCE(h);
    out = rt_fp_from_double((double)h * scale, 1);
  }
  f->flags |= rt_fp_host_flags() & RT_FPSR_IXC;
  return out;
}

/* A half-precision value (IEEE, or the alternative format under FPCR.AHP) as single or double; NaNs as FPConvertNaN. */
static inline uint64_t rt_fp_from_half(rt_fp *f, uint64_t h, int fmt) {
  unsigned exp = (h >> 10) & 31u, frac = h & 1023u;
  uint64_t sign = (h & 0x8000u) ? rt_fp_sign_bit(fmt) : 0;
  if (exp == 31 && !(f->fpcr & RT_FPCR_AHP)) {
    if (frac == 0) return sign | rt_fp_exp_mask(fmt);
    if (!(frac & 0x200u)) f->flags |= RT_FPSR_IOC;
    if (f->fpcr & RT_FPCR_DN) return rt_fp_default_nan(fmt);
    return sign | rt_fp_exp_mask(fmt) | rt_fp_quiet_bit(fmt) | ((uint64_t)frac << (fmt == 2 ? 42 : 13));
  }
  double magnitude = exp == 0 ? frac * rt_fp_pow2(-24) : (1024 + frac) * rt_fp_pow2((int)exp - 25);
  return sign | rt_fp_from_double(magnitude, fmt);
}

/* Overflow of a rounding to half: infinity or the largest finite value, as the mode says; OFC and IXC. */
static inline uint64_t rt_fp_half_overflow(rt_fp *f, int negative, unsigned mode) {
  uint64_t sign = negative ? 0x8000u : 0;
  if (f->fpcr & RT_FPCR_AHP) {
    f->flags |= RT_FPSR_IOC;
    return sign | 0x7fffu;
  }
  f->flags |= RT_FPSR_OFC | RT_FPSR_IXC;
  int to_inf = mode == RT_ROUND_NEAREST || (mode == RT_ROUND_UP && !negative) || (mode == RT_ROUND_DOWN && negative);
  return sign | (to_inf ? 0x7c00u : 0x7bffu);
}

/* A finite nonzero double rounded to half in FPCR's mode (half results are never flushed: FZ16 is off in v8.0). */
static inline uint64_t rt_fp_round_half(rt_fp *f, double x) {
  unsigned mode = rt_fpcr_rmode(f->fpcr);
  int negative = signbit(x) != 0;
  double ax = fabs(x);
  if (ax >= 131072.0) return rt_fp_half_overflow(f, negative, mode);
  int e;
  (void)frexp(ax, &e); /* ax = m * 2^e, 0.5 <= m < 1 */
  int quantum = (e - 1 < -14 ? -14 : e - 1) - 10; /* the exponent of the result's last bit */
  double scaled = ax * rt_fp_pow2(-quantum);      /* exact: only the exponent changes */
  double whole = (double)(uint64_t)scaled, rest = scaled - whole;
  uint64_t q = (uint64_t)whole;
  int inexact = rest != 0;
  if (rt_fp_round_up(mode, negative, (int)(q & 1), rest)) q++;
  uint64_t bits = quantum == -24 ? q : ((uint64_t)(quantum + 24) << 10) + q;
  unsigned limit = (f->fpcr & RT_FPCR_AHP) ? 0x7fffu : 0x7bffu;
  if (bits > limit) return rt_fp_half_overflow(f, negative, mode);
  if (inexact) f->flags |= RT_FPSR_IXC | (ax < rt_fp_pow2(-14) ? RT_FPSR_UFC : 0u);
  return (negative ? 0x8000u : 0u) | bits;
}

/* Single or double to half (fcvt hN, ...): the input flushed per FZ; NaNs and infinities per AHP. */
static inline uint64_t rt_fp_to_half(rt_fp *f, uint64_t a, int fmt) {
  uint64_t v = rt_fp_flush_in(f, a, fmt);
  uint64_t sign = (v & rt_fp_sign_bit(fmt)) ? 0x8000u : 0u;
  int ahp = (f->fpcr & RT_FPCR_AHP) != 0;
  if (rt_fp_is_nan(v, fmt)) {
    if (ahp || rt_fp_is_snan(v, fmt)) f->flags |= RT_FPSR_IOC;
    if (ahp) return sign;
    if (f->fpcr & RT_FPCR_DN) return 0x7e00u;
    return sign | 0x7e00u | ((v & rt_fp_frac_mask(fmt)) >> (fmt == 2 ? 42 : 13));
  }
  if (rt_fp_is_inf(v, fmt)) {
    if (!ahp) return sign | 0x7c00u;
    f->flags |= RT_FPSR_IOC;
    return sign | 0x7fffu;
  }
  if (rt_fp_is_zero(v, fmt)) return sign;
  return rt_fp_round_half(f, rt_fp_to_double(v, fmt));
}

/* Single to double and back (fcvt); double to single in `odd` mode is fcvtxn's round to odd. */
static inline uint64_t rt_fp_convert(rt_fp *f, uint64_t a, int from, int to, int odd) {
  uint64_t v = rt_fp_flush_in(f, a, from);
  if (rt_fp_is_nan(v, from)) {
    if (rt_fp_is_snan(v, from)) f->flags |= RT_FPSR_IOC;
    if (f->fpcr & RT_FPCR_DN) return rt_fp_default_nan(to);
    uint64_t sign = (v & rt_fp_sign_bit(from)) ? rt_fp_sign_bit(to) : 0;
    uint64_t frac = v & rt_fp_frac_mask(from);
    frac = to == 2 ? frac << 29 : frac >> 29;
    return sign | rt_fp_exp_mask(to) | rt_fp_quiet_bit(to) | frac;
  }
  double x = rt_fp_to_double(v, from);
  if (to == 2) return rt_fp_from_double(x, 2);
  rt_fp f_mode = *f;
  if (odd) f_mode.fpcr = (f->fpcr & ~(3u << RT_FPCR_RMODE_SHIFT)) | ((unsigned)RT_ROUND_ZERO << RT_FPCR_RMODE_SHIFT);
  rt_fp_native_begin(&f_mode);
  uint64_t r = rt_fp_finish(&f_mode, x, x, 1, RT_FP_SQRT, x, x, 0);
  f->flags = f_mode.flags;
  if (odd) rt_fp_host_round(rt_fpcr_rmode(f->fpcr));
  if (odd && (f_mode.flags & RT_FPSR_IXC) && !rt_fp_is_inf(r, 1)) r |= 1;
  return r;
}

#endif
