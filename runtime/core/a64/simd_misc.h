/*
 * runtime/core/a64: Advanced SIMD two-register miscellaneous (integer) and shift by immediate, vector and
 * scalar: element operations (b is the immediate: a shift count, or 0 for the unary forms) and their helpers.
 */
#ifndef RECOMP_A64_SIMD_MISC_H
#define RECOMP_A64_SIMD_MISC_H

#include "simd_arith.h"

#define RT_ALL_ONES ~UINT64_C(0)
/* Two-register misc. */
RT_SIMD_OP(suqadd) { RT_UNUSED; return rt_simd_ssat(cpu, RT_SIGNED(d) + RT_UNSIGNED(a), e); }
RT_SIMD_OP(usqadd) { RT_UNUSED; return rt_simd_usat(cpu, RT_UNSIGNED(d) + RT_SIGNED(a), e); }
/* The element at the top, the bits below it the opposite of its sign so the count stops there. */
RT_SIMD_OP(cls) { RT_UNUSED; return rt_cls64(a << (64 - e) | (rt_simd_sx(a, e) < 0 ? 0 : rt_simd_mask(64 - e))); }
RT_SIMD_OP(clz) { RT_UNUSED; return rt_clz64(a) - (64 - e); }
RT_SIMD_OP(cnt) { RT_UNUSED; return rt_popcount64(a); }
RT_SIMD_OP(not) { RT_UNUSED; return ~a; }
RT_SIMD_OP(rbit) { RT_UNUSED; return rt_rbit64(a) >> (64 - e); }
RT_SIMD_OP(sqabs) { RT_UNUSED; rt_i128 v = RT_SIGNED(a); return rt_simd_ssat(cpu, v < 0 ? -v : v, e); }
RT_SIMD_OP(sqneg) { RT_UNUSED; return rt_simd_ssat(cpu, -RT_SIGNED(a), e); }
RT_SIMD_OP(abs) { RT_UNUSED; return rt_simd_sx(a, e) < 0 ? -a : a; }
RT_SIMD_OP(neg) { RT_UNUSED; return -a; }
RT_SIMD_OP(cmle) { RT_UNUSED; return RT_SIGNED(a) <= RT_SIGNED(b) ? RT_ALL_ONES : 0; }
RT_SIMD_OP(cmlt) { RT_UNUSED; return RT_SIGNED(a) < RT_SIGNED(b) ? RT_ALL_ONES : 0; }
RT_SIMD_OP(saddlp) { RT_UNUSED; return (uint64_t)(RT_SIGNED(a) + RT_SIGNED(b)); }
RT_SIMD_OP(uaddlp) { RT_UNUSED; return a + b; }
RT_SIMD_OP(sadalp) { RT_UNUSED; return d + (uint64_t)(RT_SIGNED(a) + RT_SIGNED(b)); }
RT_SIMD_OP(uadalp) { RT_UNUSED; return d + a + b; }
/* Narrowing (a is a 2e-bit element, d the shift count of the shift-narrow forms). */
#define RT_WIDE_SIGNED(x) ((rt_i128)rt_simd_sx((x), 2 * e))
RT_SIMD_OP(xtn) { RT_UNUSED; return a; }
RT_SIMD_OP(sqxtn) { RT_UNUSED; return rt_simd_ssat(cpu, RT_WIDE_SIGNED(a), e); }
RT_SIMD_OP(uqxtn) { RT_UNUSED; return rt_simd_usat(cpu, RT_UNSIGNED(a), e); }
RT_SIMD_OP(sqxtun) { RT_UNUSED; return rt_simd_usat(cpu, RT_WIDE_SIGNED(a), e); }
static inline rt_i128 rt_simd_round_shift(rt_i128 x, uint64_t shift) { return (x + ((rt_i128)1 << (shift - 1))) >> shift; }
RT_SIMD_OP(shrn) { RT_UNUSED; return a >> d; }
RT_SIMD_OP(rshrn) { RT_UNUSED; return (uint64_t)rt_simd_round_shift(RT_UNSIGNED(a), d); }
RT_SIMD_OP(sqshrn) { RT_UNUSED; return rt_simd_ssat(cpu, RT_WIDE_SIGNED(a) >> d, e); }
RT_SIMD_OP(sqrshrn) { RT_UNUSED; return rt_simd_ssat(cpu, rt_simd_round_shift(RT_WIDE_SIGNED(a), d), e); }
RT_SIMD_OP(uqshrn) { RT_UNUSED; return rt_simd_usat(cpu, RT_UNSIGNED(a) >> d, e); }
RT_SIMD_OP(uqrshrn) { RT_UNUSED; return rt_simd_usat(cpu, rt_simd_round_shift(RT_UNSIGNED(a), d), e); }
RT_SIMD_OP(sqshrun) { RT_UNUSED; return rt_simd_usat(cpu, RT_WIDE_SIGNED(a) >> d, e); }
RT_SIMD_OP(sqrshrun) { RT_UNUSED; return rt_simd_usat(cpu, rt_simd_round_shift(RT_WIDE_SIGNED(a), d), e); }
/* Shift by immediate (b = the shift: 1..e right, 0..e-1 left). */
RT_SIMD_OP(sshr) { RT_UNUSED; return (uint64_t)(RT_SIGNED(a) >> b); }
RT_SIMD_OP(ushr) { RT_UNUSED; return (uint64_t)(RT_UNSIGNED(a) >> b); }
RT_SIMD_OP(ssra) { RT_UNUSED; return d + (uint64_t)(RT_SIGNED(a) >> b); }
RT_SIMD_OP(usra) { RT_UNUSED; return d + (uint64_t)(RT_UNSIGNED(a) >> b); }
RT_SIMD_OP(srshr) { RT_UNUSED; return (uint64_t)rt_simd_round_shift(RT_SIGNED(a), b); }
RT_SIMD_OP(urshr) { RT_UNUSED; return (uint64_t)rt_simd_round_shift(RT_UNSIGNED(a), b); }
RT_SIMD_OP(srsra) { RT_UNUSED; return d + (uint64_t)rt_simd_round_shift(RT_SIGNED(a), b); }
RT_SIMD_OP(ursra) { RT_UNUSED; return d + (uint64_t)rt_simd_round_shift(RT_UNSIGNED(a), b); }
RT_SIMD_OP(shl) { RT_UNUSED; return a << b; }
RT_SIMD_OP(sri) { RT_UNUSED; uint64_t mask = (uint64_t)(((rt_u128)rt_simd_mask(e)) >> b); return (d & ~mask) | (uint64_t)(((rt_u128)a) >> b); }
RT_SIMD_OP(sli) { RT_UNUSED; uint64_t mask = rt_simd_mask(e) << b; return (d & ~mask) | (a << b); }
RT_SIMD_OP(sqshli) { RT_UNUSED; return rt_simd_ssat(cpu, RT_SIGNED(a) * ((rt_i128)1 << b), e); }
RT_SIMD_OP(uqshli) { RT_UNUSED; return rt_simd_usat(cpu, RT_UNSIGNED(a) << b, e); }
RT_SIMD_OP(sqshlu) { RT_UNUSED; return rt_simd_usat(cpu, RT_SIGNED(a) * ((rt_i128)1 << b), e); }
RT_SIMD_OP(sshll) { RT_UNUSED; return (uint64_t)RT_SIGNED(a) << b; }
RT_SIMD_OP(ushll) { RT_UNUSED; return a << b; }

/* rev16/rev32/rev64: element i takes element i ^ (elements per container - 1). */
static inline void rt_a64_simd_rev(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned container, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  (void)pc;
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, e, i, rt_simd_get(&cpu->vreg[vn], e, i ^ (container / e - 1)));
  cpu->vreg[vd] = r;
}

/* rt_a64_simd_<op>_imm(vd, vn, imm, e, lanes): lanewise with an immediate (two-register misc: imm 0). */
#define RT_SIMD_IMMEDIATE(name) \
  RT_SIMD_HELPER(name##_imm, name, rt_simd_immediate, (unsigned vd, unsigned vn, uint64_t imm, unsigned e, unsigned lanes), vd, vn, imm, e, lanes)
/* rt_a64_simd_<op>_narrow(vd, vn, shift, e, lanes, part): 2e-bit sources to e-bit lanes of part `part`. */
#define RT_SIMD_NARROW(name)                                                                                           \
  RT_SIMD_HELPER(name##_narrow, name, rt_simd_narrow, (unsigned vd, unsigned vn, uint64_t shift, unsigned e, unsigned lanes, unsigned part), \
                 vd, vn, vn, shift, e, lanes, part)
#define RT_SIMD_LONG_IMMEDIATE(name)                                                                                   \
  RT_SIMD_HELPER(name##_long, name, rt_simd_long_immediate, (unsigned vd, unsigned vn, uint64_t shift, unsigned e, unsigned lanes, unsigned part), \
                 vd, vn, shift, e, lanes, part)
#define RT_SIMD_PAIRWISE_LONG(name) \
  RT_SIMD_HELPER(name, name, rt_simd_pairwise_long, (unsigned vd, unsigned vn, unsigned e, unsigned lanes), vd, vn, e, lanes)

RT_SIMD_IMMEDIATE(suqadd) RT_SIMD_IMMEDIATE(usqadd) RT_SIMD_IMMEDIATE(cls) RT_SIMD_IMMEDIATE(clz) RT_SIMD_IMMEDIATE(cnt)
RT_SIMD_IMMEDIATE(not) RT_SIMD_IMMEDIATE(rbit) RT_SIMD_IMMEDIATE(sqabs) RT_SIMD_IMMEDIATE(sqneg) RT_SIMD_IMMEDIATE(abs)
RT_SIMD_IMMEDIATE(neg) RT_SIMD_IMMEDIATE(cmgt) RT_SIMD_IMMEDIATE(cmeq) RT_SIMD_IMMEDIATE(cmlt) RT_SIMD_IMMEDIATE(cmge)
RT_SIMD_IMMEDIATE(cmle)
RT_SIMD_IMMEDIATE(sshr) RT_SIMD_IMMEDIATE(ushr) RT_SIMD_IMMEDIATE(ssra) RT_SIMD_IMMEDIATE(usra) RT_SIMD_IMMEDIATE(srshr)
RT_SIMD_IMMEDIATE(urshr) RT_SIMD_IMMEDIATE(srsra) RT_SIMD_IMMEDIATE(ursra) RT_SIMD_IMMEDIATE(shl) RT_SIMD_IMMEDIATE(sri)
RT_SIMD_IMMEDIATE(sli) RT_SIMD_IMMEDIATE(sqshli) RT_SIMD_IMMEDIATE(uqshli) RT_SIMD_IMMEDIATE(sqshlu)
RT_SIMD_NARROW(xtn) RT_SIMD_NARROW(sqxtn) RT_SIMD_NARROW(uqxtn) RT_SIMD_NARROW(sqxtun)
RT_SIMD_NARROW(shrn) RT_SIMD_NARROW(rshrn) RT_SIMD_NARROW(sqshrn) RT_SIMD_NARROW(sqrshrn) RT_SIMD_NARROW(uqshrn)
RT_SIMD_NARROW(uqrshrn) RT_SIMD_NARROW(sqshrun) RT_SIMD_NARROW(sqrshrun)
RT_SIMD_LONG_IMMEDIATE(sshll) RT_SIMD_LONG_IMMEDIATE(ushll)
RT_SIMD_PAIRWISE_LONG(saddlp) RT_SIMD_PAIRWISE_LONG(uaddlp) RT_SIMD_PAIRWISE_LONG(sadalp) RT_SIMD_PAIRWISE_LONG(uadalp)

#endif
