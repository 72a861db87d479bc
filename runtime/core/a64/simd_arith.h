/*
 * runtime/core/a64: Advanced SIMD integer element operations (three same, three different, by element) and
 * their helpers. Each rt_simd_e_<op> computes one element exactly (128-bit where a product or sum can exceed
 * 64 bits); the rt_a64_simd_<op>[_shape] helpers run it over the lanes (simd_lanes.h).
 */
#ifndef RECOMP_A64_SIMD_ARITH_H
#define RECOMP_A64_SIMD_ARITH_H

#include "simd_lanes.h"

#define RT_SIMD_OP(name) static inline uint64_t rt_simd_e_##name(recomp_cpu *cpu, uint64_t a, uint64_t b, uint64_t d, unsigned e)
#define RT_SIGNED(x) ((rt_i128)rt_simd_sx((x), e))
#define RT_UNSIGNED(x) ((rt_i128)(x))
#define RT_UNUSED (void)cpu, (void)a, (void)b, (void)d, (void)e

/* Three same: arithmetic and logic. */
RT_SIMD_OP(add) { RT_UNUSED; return a + b; }
RT_SIMD_OP(sub) { RT_UNUSED; return a - b; }
RT_SIMD_OP(mul) { RT_UNUSED; return a * b; }
RT_SIMD_OP(mla) { RT_UNUSED; return d + a * b; }
RT_SIMD_OP(mls) { RT_UNUSED; return d - a * b; }
RT_SIMD_OP(and) { RT_UNUSED; return a & b; }
RT_SIMD_OP(bic) { RT_UNUSED; return a & ~b; }
RT_SIMD_OP(orr) { RT_UNUSED; return a | b; }
RT_SIMD_OP(orn) { RT_UNUSED; return a | ~b; }
RT_SIMD_OP(eor) { RT_UNUSED; return a ^ b; }
RT_SIMD_OP(bsl) { RT_UNUSED; return (a & d) | (b & ~d); }
RT_SIMD_OP(bit) { RT_UNUSED; return (a & b) | (d & ~b); }
RT_SIMD_OP(bif) { RT_UNUSED; return (a & ~b) | (d & b); }
RT_SIMD_OP(sqadd) { RT_UNUSED; return rt_simd_ssat(cpu, RT_SIGNED(a) + RT_SIGNED(b), e); }
RT_SIMD_OP(uqadd) { RT_UNUSED; return rt_simd_usat(cpu, RT_UNSIGNED(a) + RT_UNSIGNED(b), e); }
RT_SIMD_OP(sqsub) { RT_UNUSED; return rt_simd_ssat(cpu, RT_SIGNED(a) - RT_SIGNED(b), e); }
RT_SIMD_OP(uqsub) { RT_UNUSED; return rt_simd_usat(cpu, RT_UNSIGNED(a) - RT_UNSIGNED(b), e); }
RT_SIMD_OP(shadd) { RT_UNUSED; return (uint64_t)((RT_SIGNED(a) + RT_SIGNED(b)) >> 1); }
RT_SIMD_OP(uhadd) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) + RT_UNSIGNED(b)) >> 1); }
RT_SIMD_OP(srhadd) { RT_UNUSED; return (uint64_t)((RT_SIGNED(a) + RT_SIGNED(b) + 1) >> 1); }
RT_SIMD_OP(urhadd) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) + RT_UNSIGNED(b) + 1) >> 1); }
RT_SIMD_OP(shsub) { RT_UNUSED; return (uint64_t)((RT_SIGNED(a) - RT_SIGNED(b)) >> 1); }
RT_SIMD_OP(uhsub) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) - RT_UNSIGNED(b)) >> 1); }
RT_SIMD_OP(cmeq) { RT_UNUSED; return a == b ? ~UINT64_C(0) : 0; }
RT_SIMD_OP(cmtst) { RT_UNUSED; return (a & b) != 0 ? ~UINT64_C(0) : 0; }
RT_SIMD_OP(cmge) { RT_UNUSED; return RT_SIGNED(a) >= RT_SIGNED(b) ? ~UINT64_C(0) : 0; }
RT_SIMD_OP(cmgt) { RT_UNUSED; return RT_SIGNED(a) > RT_SIGNED(b) ? ~UINT64_C(0) : 0; }
RT_SIMD_OP(cmhs) { RT_UNUSED; return a >= b ? ~UINT64_C(0) : 0; }
RT_SIMD_OP(cmhi) { RT_UNUSED; return a > b ? ~UINT64_C(0) : 0; }
RT_SIMD_OP(smax) { RT_UNUSED; return RT_SIGNED(a) >= RT_SIGNED(b) ? a : b; }
RT_SIMD_OP(smin) { RT_UNUSED; return RT_SIGNED(a) <= RT_SIGNED(b) ? a : b; }
RT_SIMD_OP(umax) { RT_UNUSED; return a >= b ? a : b; }
RT_SIMD_OP(umin) { RT_UNUSED; return a <= b ? a : b; }
static inline uint64_t rt_simd_abs128(rt_i128 v) { return (uint64_t)(v < 0 ? -v : v); }
RT_SIMD_OP(sabd) { RT_UNUSED; return rt_simd_abs128(RT_SIGNED(a) - RT_SIGNED(b)); }
RT_SIMD_OP(uabd) { RT_UNUSED; return rt_simd_abs128(RT_UNSIGNED(a) - RT_UNSIGNED(b)); }
RT_SIMD_OP(saba) { RT_UNUSED; return d + rt_simd_e_sabd(cpu, a, b, d, e); }
RT_SIMD_OP(uaba) { RT_UNUSED; return d + rt_simd_e_uabd(cpu, a, b, d, e); }
RT_SIMD_OP(sqdmulh) { RT_UNUSED; return rt_simd_ssat(cpu, (2 * RT_SIGNED(a) * RT_SIGNED(b)) >> e, e); }
RT_SIMD_OP(sqrdmulh) { RT_UNUSED; return rt_simd_ssat(cpu, (2 * RT_SIGNED(a) * RT_SIGNED(b) + ((rt_i128)1 << (e - 1))) >> e, e); }
/* Carry-less product; for bytes it fits in 16 bits, which pmull keeps and pmul truncates. */
RT_SIMD_OP(pmul) {
  RT_UNUSED;
  uint64_t r = 0;
  for (unsigned i = 0; i < e; i++) if ((b >> i) & 1) r ^= a << i;
  return r;
}

/*
 * Shifts by a register (sshl and friends): the shift is the signed low byte of b; negative shifts go right,
 * rounding adds half of the last bit shifted out, saturating forms clamp the exact result. Shifts of e bits or
 * more are cut short where the (truncated or saturated) result no longer changes, so all stays inside 128 bits.
 */
static inline rt_i128 rt_simd_shift_exact(rt_i128 x, int shift, int rounding, unsigned e) {
  if (shift >= (int)e) return x == 0 ? 0 : x > 0 ? (rt_i128)1 << e : -((rt_i128)1 << e); /* past every element value */
  if (shift >= 0) return (rt_i128)((rt_u128)x << shift);
  unsigned right = -shift > (int)e + 1 ? e + 1 : (unsigned)-shift;
  if (rounding) x += (rt_i128)1 << (right - 1);
  return x >> right;
}
#define RT_SHIFT_OP(name, signedness, rounding, saturate)                                      \
  RT_SIMD_OP(name) {                                                                           \
    RT_UNUSED;                                                                                 \
    rt_i128 r = rt_simd_shift_exact(signedness(a), (int8_t)b, rounding, e);                   \
    return saturate;                                                                           \
  }
RT_SHIFT_OP(sshl, RT_SIGNED, 0, (uint64_t)r)
RT_SHIFT_OP(ushl, RT_UNSIGNED, 0, (uint64_t)r)
RT_SHIFT_OP(srshl, RT_SIGNED, 1, (uint64_t)r)
RT_SHIFT_OP(urshl, RT_UNSIGNED, 1, (uint64_t)r)
RT_SHIFT_OP(sqshl, RT_SIGNED, 0, rt_simd_ssat(cpu, r, e))
RT_SHIFT_OP(uqshl, RT_UNSIGNED, 0, rt_simd_usat(cpu, r, e))
RT_SHIFT_OP(sqrshl, RT_SIGNED, 1, rt_simd_ssat(cpu, r, e))
RT_SHIFT_OP(uqrshl, RT_UNSIGNED, 1, rt_simd_usat(cpu, r, e))

/* Three different (e = the narrow size): long, wide and high-narrow element operations. */
RT_SIMD_OP(saddl) { RT_UNUSED; return (uint64_t)(RT_SIGNED(a) + RT_SIGNED(b)); }
RT_SIMD_OP(uaddl) { RT_UNUSED; return a + b; }
RT_SIMD_OP(ssubl) { RT_UNUSED; return (uint64_t)(RT_SIGNED(a) - RT_SIGNED(b)); }
RT_SIMD_OP(usubl) { RT_UNUSED; return a - b; }
RT_SIMD_OP(saddw) { RT_UNUSED; return a + (uint64_t)RT_SIGNED(b); }
RT_SIMD_OP(uaddw) { RT_UNUSED; return a + b; }
RT_SIMD_OP(ssubw) { RT_UNUSED; return a - (uint64_t)RT_SIGNED(b); }
RT_SIMD_OP(usubw) { RT_UNUSED; return a - b; }
RT_SIMD_OP(sabal) { RT_UNUSED; return d + rt_simd_e_sabd(cpu, a, b, d, e); }
RT_SIMD_OP(uabal) { RT_UNUSED; return d + rt_simd_e_uabd(cpu, a, b, d, e); }
RT_SIMD_OP(sabdl) { RT_UNUSED; return rt_simd_e_sabd(cpu, a, b, d, e); }
RT_SIMD_OP(uabdl) { RT_UNUSED; return rt_simd_e_uabd(cpu, a, b, d, e); }
RT_SIMD_OP(smlal) { RT_UNUSED; return d + (uint64_t)(RT_SIGNED(a) * RT_SIGNED(b)); }
RT_SIMD_OP(umlal) { RT_UNUSED; return d + a * b; }
RT_SIMD_OP(smlsl) { RT_UNUSED; return d - (uint64_t)(RT_SIGNED(a) * RT_SIGNED(b)); }
RT_SIMD_OP(umlsl) { RT_UNUSED; return d - a * b; }
RT_SIMD_OP(smull) { RT_UNUSED; return (uint64_t)(RT_SIGNED(a) * RT_SIGNED(b)); }
RT_SIMD_OP(umull) { RT_UNUSED; return a * b; }
RT_SIMD_OP(sqdmull) { RT_UNUSED; return rt_simd_ssat(cpu, 2 * RT_SIGNED(a) * RT_SIGNED(b), 2 * e); }
RT_SIMD_OP(sqdmlal) {
  RT_UNUSED;
  rt_i128 product = (rt_i128)rt_simd_sx(rt_simd_e_sqdmull(cpu, a, b, d, e), 2 * e);
  return rt_simd_ssat(cpu, (rt_i128)rt_simd_sx(d, 2 * e) + product, 2 * e);
}
RT_SIMD_OP(sqdmlsl) {
  RT_UNUSED;
  rt_i128 product = (rt_i128)rt_simd_sx(rt_simd_e_sqdmull(cpu, a, b, d, e), 2 * e);
  return rt_simd_ssat(cpu, (rt_i128)rt_simd_sx(d, 2 * e) - product, 2 * e);
}
/* pmull of bytes: pmul's product before truncation (doublewords: rt_a64_simd_pmull_1q). */
RT_SIMD_OP(pmull) { RT_UNUSED; return rt_simd_e_pmul(cpu, a, b, d, e); }
/* High narrow: a and b are 2e-bit elements, the result their sum's or difference's high half. */
RT_SIMD_OP(addhn) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) + RT_UNSIGNED(b)) >> e); }
RT_SIMD_OP(raddhn) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) + RT_UNSIGNED(b) + ((rt_i128)1 << (e - 1))) >> e); }
RT_SIMD_OP(subhn) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) - RT_UNSIGNED(b)) >> e); }
RT_SIMD_OP(rsubhn) { RT_UNUSED; return (uint64_t)((RT_UNSIGNED(a) - RT_UNSIGNED(b) + ((rt_i128)1 << (e - 1))) >> e); }

static inline void rt_a64_simd_pmull_1q(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned vm, unsigned part) {
  rt_u128 r = 0, a = cpu->vreg[vn].d[part];
  uint64_t b = cpu->vreg[vm].d[part];
  (void)pc;
  for (unsigned i = 0; i < 64; i++) if ((b >> i) & 1) r ^= a << i;
  cpu->vreg[vd].d[0] = (uint64_t)r;
  cpu->vreg[vd].d[1] = (uint64_t)(r >> 64);
}

/* The helpers the lifter calls: one per operation and loop shape (RT_SIMD_HELPER, simd_lanes.h). */
#define RT_SIMD_SAME(name) \
  RT_SIMD_HELPER(name, name, rt_simd_lanewise, (unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes), vd, vn, vm, e, lanes)
#define RT_SIMD_ELEMENT(name)                                                                                          \
  RT_SIMD_HELPER(name##_elem, name, rt_simd_by_element, (unsigned vd, unsigned vn, unsigned vm, unsigned index, unsigned e, unsigned lanes), \
                 vd, vn, vm, index, e, lanes)
#define RT_SIMD_PAIRWISE(name) \
  RT_SIMD_HELPER(name##p, name, rt_simd_pairwise, (unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes), vd, vn, vm, e, lanes)
/* index < 0: three different; index >= 0: by element (m's lane `index` for every lane). */
#define RT_SIMD_LONG(name)                                                                                             \
  RT_SIMD_HELPER(name, name, rt_simd_long, (unsigned vd, unsigned vn, unsigned vm, int index, unsigned e, unsigned lanes, unsigned part), \
                 vd, vn, vm, index, e, lanes, part)
#define RT_SIMD_WIDE(name)                                                                                             \
  RT_SIMD_HELPER(name, name, rt_simd_wide, (unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes, unsigned part), \
                 vd, vn, vm, e, lanes, part)
#define RT_SIMD_HIGH_NARROW(name)                                                                                      \
  RT_SIMD_HELPER(name, name, rt_simd_narrow, (unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes, unsigned part), \
                 vd, vn, vm, 0, e, lanes, part)

RT_SIMD_SAME(add) RT_SIMD_SAME(sub) RT_SIMD_SAME(mul) RT_SIMD_SAME(mla) RT_SIMD_SAME(mls)
RT_SIMD_SAME(and) RT_SIMD_SAME(bic) RT_SIMD_SAME(orr) RT_SIMD_SAME(orn) RT_SIMD_SAME(eor)
RT_SIMD_SAME(bsl) RT_SIMD_SAME(bit) RT_SIMD_SAME(bif)
RT_SIMD_SAME(sqadd) RT_SIMD_SAME(uqadd) RT_SIMD_SAME(sqsub) RT_SIMD_SAME(uqsub)
RT_SIMD_SAME(shadd) RT_SIMD_SAME(uhadd) RT_SIMD_SAME(srhadd) RT_SIMD_SAME(urhadd) RT_SIMD_SAME(shsub) RT_SIMD_SAME(uhsub)
RT_SIMD_SAME(cmeq) RT_SIMD_SAME(cmtst) RT_SIMD_SAME(cmge) RT_SIMD_SAME(cmgt) RT_SIMD_SAME(cmhs) RT_SIMD_SAME(cmhi)
RT_SIMD_SAME(smax) RT_SIMD_SAME(smin) RT_SIMD_SAME(umax) RT_SIMD_SAME(umin)
RT_SIMD_SAME(sabd) RT_SIMD_SAME(uabd) RT_SIMD_SAME(saba) RT_SIMD_SAME(uaba)
RT_SIMD_SAME(sqdmulh) RT_SIMD_SAME(sqrdmulh) RT_SIMD_SAME(pmul)
RT_SIMD_SAME(sshl) RT_SIMD_SAME(ushl) RT_SIMD_SAME(srshl) RT_SIMD_SAME(urshl)
RT_SIMD_SAME(sqshl) RT_SIMD_SAME(uqshl) RT_SIMD_SAME(sqrshl) RT_SIMD_SAME(uqrshl)
RT_SIMD_PAIRWISE(add) RT_SIMD_PAIRWISE(smax) RT_SIMD_PAIRWISE(smin) RT_SIMD_PAIRWISE(umax) RT_SIMD_PAIRWISE(umin)
RT_SIMD_ELEMENT(mul) RT_SIMD_ELEMENT(mla) RT_SIMD_ELEMENT(mls) RT_SIMD_ELEMENT(sqdmulh) RT_SIMD_ELEMENT(sqrdmulh)
RT_SIMD_LONG(saddl) RT_SIMD_LONG(uaddl) RT_SIMD_LONG(ssubl) RT_SIMD_LONG(usubl)
RT_SIMD_LONG(sabal) RT_SIMD_LONG(uabal) RT_SIMD_LONG(sabdl) RT_SIMD_LONG(uabdl)
RT_SIMD_LONG(smlal) RT_SIMD_LONG(umlal) RT_SIMD_LONG(smlsl) RT_SIMD_LONG(umlsl) RT_SIMD_LONG(smull) RT_SIMD_LONG(umull)
RT_SIMD_LONG(sqdmull) RT_SIMD_LONG(sqdmlal) RT_SIMD_LONG(sqdmlsl) RT_SIMD_LONG(pmull)
RT_SIMD_WIDE(saddw) RT_SIMD_WIDE(uaddw) RT_SIMD_WIDE(ssubw) RT_SIMD_WIDE(usubw)
RT_SIMD_HIGH_NARROW(addhn) RT_SIMD_HIGH_NARROW(raddhn) RT_SIMD_HIGH_NARROW(subhn) RT_SIMD_HIGH_NARROW(rsubhn)

#endif
