/*
 * runtime/core/a64: the scalar FP instructions (fadd s0, s1, s2; fcmp; fcvtzs w0, d1, #3 ...): each takes its
 * operands as values (the low half of a V register, which a lifted function keeps in a C local: emit-c.ts), runs
 * one element operation (fp_arith.h, fp_convert.h) and returns the result's bits, which the caller writes with
 * the rest of the register zeroed. `fmt` is 1 single, 2 double (0 half, for fcvt only). FPCR and FPSR stay in
 * the CPU state; fcmp returns NZCV, fccmp and fcsel are conditions on the function's local (vector-locals.ts).
 */
#ifndef RECOMP_A64_FP_SCALAR_H
#define RECOMP_A64_FP_SCALAR_H

#include <stdint.h>

#include "fp_convert.h"
#include "slow_call.h"

/* An element of the format from a V register's low half: fmt 2 all 64 bits, 1 the low 32, 0 the low 16. */
static inline uint64_t rt_fp_value(uint64_t lo, int fmt) { return fmt == 2 ? lo : fmt == 1 ? (uint32_t)lo : (uint16_t)lo; }

/*
 * The native fast path in front of the general helpers (fp_scalar.c): with FPCR.FZ off the host's IEEE operation,
 * in the rounding mode FPCR sets (fp_state.h), gives the architecture's result and flags, the flags staying
 * pending in the host. It differs only for NaN results (operand choice, default NaN) and in the tininess of a
 * result rounded to the smallest normal (Arm decides before rounding, x86 after): those results, and FZ, go to
 * the general helper, which recomputes from the operands (the pending flags of the native try are a subset of
 * the right ones, which it adds). The destination is written only once the result is known to stand. The general
 * helpers are reached through rt_slow_call* (slow_call.h), their constant operands packed by rt_slow_form.
 */
static inline int rt_fp_native_ok(const recomp_cpu *cpu) { return !(cpu->fpcr & RT_FPCR_FZ); }

/* A result (bits of the format) the native path must not keep: a NaN, or plus or minus the smallest normal. */
static inline int rt_fp_native_miss(uint64_t bits, int fmt) {
  uint64_t magnitude = bits & ~rt_fp_sign_bit(fmt);
  return magnitude > rt_fp_exp_mask(fmt) || magnitude == (fmt == 2 ? UINT64_C(0x0010000000000000) : UINT64_C(0x00800000));
}

/* A native double result as bits of the format: single rounds once more, in the host mode (exact: fp_arith.h). */
static inline uint64_t rt_fp_native_bits(double r, int fmt) {
  if (fmt == 2) return rt_fp_bits_of_double(r);
  return rt_fp_bits_of_float((float)r);
}

/* fadd, fsub, fmul, fdiv, fnmul (op is an RT_FP_* code). */
rt_slow2 rt_a64_fp_arith_general;
static inline uint64_t rt_a64_fp_arith(recomp_cpu *cpu, uint64_t pc, int op, int fmt, uint64_t a, uint64_t b) {
  if (op <= RT_FP_DIV && rt_fp_native_ok(cpu)) {
    double x = rt_fp_to_double(rt_fp_value(a, fmt), fmt), y = rt_fp_to_double(rt_fp_value(b, fmt), fmt);
    uint64_t bits = rt_fp_native_bits(rt_fp_native_binary(op, x, y), fmt);
    if (!rt_fp_native_miss(bits, fmt)) return bits;
  }
  (void)pc;
  return rt_slow_call2(rt_a64_fp_arith_general, cpu, rt_slow_form(op, fmt, 0, 0, 0), a, b);
}

/* fmax, fmin, fmaxnm, fminnm: of two ordered, different values the greater or the lesser (no flags, FZ off). */
rt_slow2 rt_a64_fp_minmax_general;
static inline uint64_t rt_a64_fp_minmax(recomp_cpu *cpu, uint64_t pc, int is_max, int nm, int fmt, uint64_t a, uint64_t b) {
  a = rt_fp_value(a, fmt);
  b = rt_fp_value(b, fmt);
  if (rt_fp_native_ok(cpu) && !rt_fp_is_nan(a, fmt) && !rt_fp_is_nan(b, fmt)) {
    double x = rt_fp_to_double(a, fmt), y = rt_fp_to_double(b, fmt);
    if (a == b || x != y) return (x > y) == is_max ? a : b;
  }
  (void)pc;
  return rt_slow_call2(rt_a64_fp_minmax_general, cpu, rt_slow_form(is_max, nm, fmt, 0, 0), a, b);
}

/* fmadd (a + n*m), fmsub (a - n*m), fnmadd (-a - n*m), fnmsub (-a + n*m): operands negated bitwise, NaNs included. */
rt_slow3 rt_a64_fp_muladd_general;
static inline uint64_t rt_a64_fp_muladd(recomp_cpu *cpu, uint64_t pc, int neg_addend, int neg_product, int fmt, uint64_t n,
                                        uint64_t m, uint64_t a) {
  if (rt_fp_native_ok(cpu)) {
    uint64_t sign = rt_fp_sign_bit(fmt);
    uint64_t z = rt_fp_value(a, fmt) ^ (neg_addend ? sign : 0), x = rt_fp_value(n, fmt) ^ (neg_product ? sign : 0);
    uint64_t y = rt_fp_value(m, fmt), bits;
    if (fmt == 2) bits = rt_fp_bits_of_double(fma(rt_fp_double_of(x), rt_fp_double_of(y), rt_fp_double_of(z)));
    else bits = rt_fp_bits_of_float(fmaf(rt_fp_float_of((uint32_t)x), rt_fp_float_of((uint32_t)y), rt_fp_float_of((uint32_t)z)));
    if (!rt_fp_native_miss(bits, fmt)) return bits;
  }
  (void)pc;
  return rt_slow_call3(rt_a64_fp_muladd_general, cpu, rt_slow_form(neg_addend, neg_product, fmt, 0, 0), n, m, a);
}

/* fmov (register), fabs, fneg: bit operations that never raise a flag (kind 0, 1, 2). */
static inline uint64_t rt_a64_fp_sign(recomp_cpu *cpu, uint64_t pc, int kind, int fmt, uint64_t v) {
  (void)cpu;
  (void)pc;
  uint64_t sign = rt_fp_sign_bit(fmt);
  v = rt_fp_value(v, fmt);
  return kind == 0 ? v : kind == 1 ? v & ~sign : v ^ sign;
}

rt_slow1 rt_a64_fp_sqrt_general;
static inline uint64_t rt_a64_fp_sqrt(recomp_cpu *cpu, uint64_t pc, int fmt, uint64_t v) {
  if (rt_fp_native_ok(cpu)) {
    uint64_t bits = rt_fp_native_bits(__builtin_sqrt(rt_fp_to_double(rt_fp_value(v, fmt), fmt)), fmt);
    if (!rt_fp_native_miss(bits, fmt)) return bits;
  }
  (void)pc;
  return rt_slow_call1(rt_a64_fp_sqrt_general, cpu, rt_slow_form(fmt, 0, 0, 0, 0), v);
}

/* frint{n,p,m,z,a} (mode 0..4 as RT_ROUND_*), frinti and frintx (mode -1: FPCR's; frintx is `exact`). */
rt_slow1 rt_a64_fp_frint_general;
static inline uint64_t rt_a64_fp_frint(recomp_cpu *cpu, uint64_t pc, int mode, int exact, int fmt, uint64_t v) {
  (void)pc;
  return rt_slow_call1(rt_a64_fp_frint_general, cpu, rt_slow_form(mode, exact, fmt, 0, 0), v);
}

/* fcvt between half (0), single (1) and double (2). */
static inline uint64_t rt_fp_convert_any(rt_fp *f, uint64_t v, int from, int to) {
  if (to == 0) return rt_fp_to_half(f, v, from);
  if (from == 0) return rt_fp_from_half(f, v, to);
  return rt_fp_convert(f, v, from, to, 0);
}

/*
 * Natively: single to double is exact; double to single is the host's rounding, whose result on FLT_MIN was tiny
 * before rounding (UFC; the host, deciding after rounding, raised only IXC) exactly when the input is below it.
 * A NaN (the result is one exactly when the input is) goes to the general helper for its payload; the host's
 * flags of the try (invalid, for a signalling NaN) are among the right ones.
 */
rt_slow1 rt_a64_fp_fcvt_general;
static inline uint64_t rt_a64_fp_fcvt(recomp_cpu *cpu, uint64_t pc, int from, int to, uint64_t v) {
  if (from != 0 && to != 0 && rt_fp_native_ok(cpu)) {
    double x = rt_fp_to_double(rt_fp_value(v, from), from);
    uint64_t bits = rt_fp_native_bits(x, to), magnitude = bits & ~rt_fp_sign_bit(to);
    if (magnitude <= rt_fp_exp_mask(to)) {
      if (to == 1 && magnitude == UINT64_C(0x00800000) && fabs(x) < (double)FLT_MIN) cpu->fpsr |= RT_FPSR_UFC;
      return bits;
    }
  }
  (void)pc;
  return rt_slow_call1(rt_a64_fp_fcvt_general, cpu, rt_slow_form(from, to, 0, 0, 0), v);
}

/*
 * fcmp/fcmpe (with_zero compares with +0.0): the NZCV value (bits 3..0) for the lifted function's local (fccmp
 * is a condition on that local around this compare: vector-locals.ts). Ordered values raise no flag; unordered is
 * 0011 with IOC for a signalling NaN (fcmpe: for any NaN), set here rather than by a host compare. The host compares are quiet
 * (==, isunordered, isless: ucomisd), so one host compare decides the ordered case and the NaN tests run only
 * when it is unordered; widening a single signalling NaN raises the host's invalid flag, which is IOC, set then
 * anyway.
 */
rt_slow2 rt_a64_fp_compare_general;
static inline unsigned rt_a64_fp_compare(recomp_cpu *cpu, uint64_t pc, int signal_all, int with_zero, int fmt, uint64_t a, uint64_t b) {
  a = rt_fp_value(a, fmt);
  b = with_zero ? 0 : rt_fp_value(b, fmt);
  if (rt_fp_native_ok(cpu)) {
    double x = rt_fp_to_double(a, fmt), y = rt_fp_to_double(b, fmt);
    if (!__builtin_isunordered(x, y)) return x == y ? 0x6u : __builtin_isless(x, y) ? 0x8u : 0x2u;
    if (signal_all || rt_fp_is_snan(a, fmt) || rt_fp_is_snan(b, fmt)) cpu->fpsr |= RT_FPSR_IOC;
    return 0x3u;
  }
  (void)pc;
  return (unsigned)rt_slow_call2(rt_a64_fp_compare_general, cpu, rt_slow_form(signal_all, fmt, 0, 0, 0), a, b);
}

/*
 * fcvt{n,p,m,z,a}{s,u} to a general register, with fbits for the fixed-point fcvtz* forms. Natively: fcvtzs and
 * fcvtzu of a value in range are the host's truncation (IXC when inexact); NaNs and saturation are general.
 */
rt_slow1 rt_a64_fp_to_int_general;
static inline uint64_t rt_a64_fp_to_int(recomp_cpu *cpu, uint64_t pc, int mode, int is_signed, int bits, int fbits, int fmt, uint64_t v) {
  if (mode == RT_ROUND_ZERO && fbits == 0 && rt_fp_native_ok(cpu)) {
    double x = rt_fp_to_double(rt_fp_value(v, fmt), fmt);
    double low = is_signed ? (bits == 32 ? -2147483649.0 : -0x1.0000000000001p63) : -1.0;
    double high = is_signed ? (bits == 32 ? 0x1p31 : 0x1p63) : (bits == 32 ? 0x1p32 : 0x1p64);
    if (x > low && x < high) {
      uint64_t r;
      if (bits == 32) r = is_signed ? (uint32_t)(int32_t)x : (uint32_t)(int64_t)x;
      else if (is_signed || x < 0x1p63) r = (uint64_t)(int64_t)x;
      else r = (uint64_t)(int64_t)(x - 0x1p63) ^ (UINT64_C(1) << 63);
      RT_FP_FENCE(r);
      return r;
    }
  }
  (void)pc;
  return rt_slow_call1(rt_a64_fp_to_int_general, cpu, rt_slow_form(mode, is_signed, bits, fbits, fmt), v);
}

/*
 * scvtf/ucvtf from a general register, with fbits for the fixed-point forms: the host's conversion in FPCR's mode
 * (only ever inexact: no integer over 2^fbits is tiny), then an exact scaling.
 */
static inline uint64_t rt_a64_fp_from_int(recomp_cpu *cpu, uint64_t pc, uint64_t value, int is_signed, int bits, int fbits, int fmt) {
  (void)cpu;
  (void)pc;
  RT_FP_FENCE(value);
  int64_t s = bits == 32 ? (int64_t)(int32_t)value : (int64_t)value;
  uint64_t u = bits == 32 ? (uint32_t)value : value;
  double scale = rt_fp_pow2(-fbits);
  if (fmt == 2) return rt_fp_bits_of_double((is_signed ? (double)s : (double)u) * scale);
  return rt_fp_bits_of_float((float)((double)(is_signed ? (float)s : (float)u) * scale));
}

#endif
