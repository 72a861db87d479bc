/*
 * runtime/core/a64: the architecture's reciprocal and reciprocal-square-root estimates (frecpe, frsqrte,
 * urecpe, ursqrte, frecpx): 8-bit tables defined by integer arithmetic (RecipEstimate, RecipSqrtEstimate).
 * Formats: 1 single, 2 double.
 */
#ifndef RECOMP_A64_FP_ESTIMATE_H
#define RECOMP_A64_FP_ESTIMATE_H

#include <stdint.h>

#include "fp_arith.h"

/* RecipEstimate: a in 256..511 (0.5 <= a/512 < 1) to an estimate in 256..511 of 1/a. */
static inline unsigned rt_fp_recip_table(unsigned a) {
  a = a * 2 + 1;
  unsigned b = (1u << 19) / a;
  return (b + 1) >> 1;
}

/* RecipSqrtEstimate: a in 128..511 (0.25 <= a/512 < 1) to an estimate in 256..511 of 1/sqrt(a). */
static inline unsigned rt_fp_rsqrt_table(unsigned a) {
  uint64_t x = a < 256 ? a * 2 + 1 : (((uint64_t)(a >> 1) << 1) + 1) * 2;
  uint64_t b = 512;
  while (x * (b + 1) * (b + 1) < (UINT64_C(1) << 28)) b++;
  return (unsigned)((b + 1) / 2);
}

/* The 52-bit fraction and biased exponent of a value (single fractions are left-aligned). */
static inline uint64_t rt_fp_fraction52(uint64_t v, int fmt) {
  return fmt == 2 ? v & rt_fp_frac_mask(2) : (v & rt_fp_frac_mask(1)) << 29;
}
static inline int rt_fp_biased_exp(uint64_t v, int fmt) { return (int)((v & rt_fp_exp_mask(fmt)) >> (fmt == 2 ? 52 : 23)); }

/* A result from sign, biased exponent and a 52-bit fraction (cut to the format's width). */
static inline uint64_t rt_fp_pack(int negative, int exp, uint64_t fraction52, int fmt) {
  uint64_t sign = negative ? rt_fp_sign_bit(fmt) : 0;
  if (fmt == 2) return sign | ((uint64_t)exp << 52) | fraction52;
  return sign | ((uint64_t)exp << 23) | (fraction52 >> 29);
}

/* FPRecipEstimate. */
static inline uint64_t rt_fp_recip_estimate(rt_fp *f, uint64_t a, int fmt) {
  uint64_t v = rt_fp_flush_in(f, a, fmt), out;
  int negative = (v & rt_fp_sign_bit(fmt)) != 0;
  if (rt_fp_nans(f, fmt, 1, &v, &out)) return out;
  if (rt_fp_is_inf(v, fmt)) return v & rt_fp_sign_bit(fmt);
  if (rt_fp_is_zero(v, fmt)) {
    f->flags |= RT_FPSR_DZC;
    return (v & rt_fp_sign_bit(fmt)) | rt_fp_exp_mask(fmt);
  }
  double magnitude = fabs(rt_fp_to_double(v, fmt));
  if (magnitude < (fmt == 2 ? 0x1p-1024 : 0x1p-128)) {
    unsigned mode = rt_fpcr_rmode(f->fpcr);
    int to_inf = mode == RT_ROUND_NEAREST || (mode == RT_ROUND_UP && !negative) || (mode == RT_ROUND_DOWN && negative);
    f->flags |= RT_FPSR_OFC | RT_FPSR_IXC;
    uint64_t sign = v & rt_fp_sign_bit(fmt);
    return sign | (to_inf ? rt_fp_exp_mask(fmt) : rt_fp_exp_mask(fmt) - 1); /* infinity or the largest normal */
  }
  if ((f->fpcr & RT_FPCR_FZ) && magnitude >= (fmt == 2 ? 0x1p1022 : 0x1p126)) {
    f->flags |= RT_FPSR_UFC;
    return v & rt_fp_sign_bit(fmt);
  }
  uint64_t fraction = rt_fp_fraction52(v, fmt);
  int exp = rt_fp_biased_exp(v, fmt);
  if (exp == 0) {
    if (!(fraction >> 51)) {
      exp = -1;
      fraction = (fraction << 2) & rt_fp_frac_mask(2);
    } else {
      fraction = (fraction << 1) & rt_fp_frac_mask(2);
    }
  }
  unsigned estimate = rt_fp_recip_table((unsigned)(256 | (fraction >> 44)));
  int result_exp = (fmt == 2 ? 2045 : 253) - exp;
  fraction = (uint64_t)(estimate & 0xffu) << 44;
  if (result_exp == 0) {
    fraction = (UINT64_C(1) << 51) | (fraction >> 1);
  } else if (result_exp == -1) {
    fraction = (UINT64_C(1) << 50) | (fraction >> 2);
    result_exp = 0;
  }
  return rt_fp_pack(negative, result_exp, fraction, fmt);
}

/* FPRSqrtEstimate. */
static inline uint64_t rt_fp_rsqrt_estimate(rt_fp *f, uint64_t a, int fmt) {
  uint64_t v = rt_fp_flush_in(f, a, fmt), out;
  if (rt_fp_nans(f, fmt, 1, &v, &out)) return out;
  if (rt_fp_is_zero(v, fmt)) {
    f->flags |= RT_FPSR_DZC;
    return (v & rt_fp_sign_bit(fmt)) | rt_fp_exp_mask(fmt);
  }
  if (v & rt_fp_sign_bit(fmt)) {
    f->flags |= RT_FPSR_IOC;
    return rt_fp_default_nan(fmt);
  }
  if (rt_fp_is_inf(v, fmt)) return 0;
  uint64_t fraction = rt_fp_fraction52(v, fmt);
  int exp = rt_fp_biased_exp(v, fmt);
  if (exp == 0) {
    while (!(fraction >> 51)) {
      fraction <<= 1;
      exp--;
    }
    fraction = (fraction << 1) & rt_fp_frac_mask(2);
  }
  unsigned scaled = (exp & 1) == 0 ? (unsigned)(256 | (fraction >> 44)) : (unsigned)(128 | (fraction >> 45));
  int result_exp = ((fmt == 2 ? 3068 : 380) - exp) / 2;
  unsigned estimate = rt_fp_rsqrt_table(scaled);
  return rt_fp_pack(0, result_exp, (uint64_t)(estimate & 0xffu) << 44, fmt);
}

/* FPRecpX: the exponent inverted, fraction zero (zeros and denormals give the largest normal exponent). */
static inline uint64_t rt_fp_recpx(rt_fp *f, uint64_t a, int fmt) {
  uint64_t v = rt_fp_flush_in(f, a, fmt), out;
  if (rt_fp_nans(f, fmt, 1, &v, &out)) return out;
  int exp = rt_fp_biased_exp(v, fmt), max = fmt == 2 ? 0x7ff : 0xff;
  return rt_fp_pack((v & rt_fp_sign_bit(fmt)) != 0, exp == 0 ? max - 1 : ~exp & max, 0, fmt);
}

/* URECPE and URSQRTE on 32-bit unsigned fixed point (no flags). */
static inline uint32_t rt_fp_unsigned_recip_estimate(uint32_t a) {
  if (!(a >> 31)) return 0xffffffffu;
  return (uint32_t)rt_fp_recip_table(a >> 23) << 23;
}
static inline uint32_t rt_fp_unsigned_rsqrt_estimate(uint32_t a) {
  if (!(a >> 30)) return 0xffffffffu;
  return (uint32_t)rt_fp_rsqrt_table(a >> 23) << 23;
}

#endif
