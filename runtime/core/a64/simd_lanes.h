/*
 * runtime/core/a64: lane access, saturation and the loop shapes every Advanced SIMD integer helper shares.
 * Element sizes `e` are in bits (8..64) and lane counts are constants at every call site, so the compiler
 * specialises each loop. Element values travel as uint64_t holding the element's bits (zero-extended).
 */
#ifndef RECOMP_A64_SIMD_LANES_H
#define RECOMP_A64_SIMD_LANES_H

#include <stdint.h>

#include "../cpu.h"

typedef __int128 rt_i128;
typedef unsigned __int128 rt_u128;

/* FPSR.QC: set by every saturating operation that saturates, never cleared by one. */
#define RT_FPSR_QC UINT32_C(0x08000000)

static inline uint64_t rt_simd_mask(unsigned e) { return e >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << e) - 1; }

static inline uint64_t rt_simd_get(const rt_vreg *v, unsigned e, unsigned i) {
  switch (e) {
  case 8: return v->b[i];
  case 16: return v->h[i];
  case 32: return v->s[i];
  default: return v->d[i];
  }
}

static inline void rt_simd_set(rt_vreg *v, unsigned e, unsigned i, uint64_t x) {
  switch (e) {
  case 8: v->b[i] = (uint8_t)x; break;
  case 16: v->h[i] = (uint16_t)x; break;
  case 32: v->s[i] = (uint32_t)x; break;
  default: v->d[i] = x; break;
  }
}

/* The element's bits as a signed number. */
static inline int64_t rt_simd_sx(uint64_t x, unsigned e) { return (int64_t)rt_sext(x, e); }

/* Signed saturation of an exact result to e bits (setting QC when it clamps); returns the element's bits. */
static inline uint64_t rt_simd_ssat(recomp_cpu *cpu, rt_i128 v, unsigned e) {
  rt_i128 max = (rt_i128)(((rt_u128)1 << (e - 1)) - 1), min = -max - 1;
  if (v > max || v < min) {
    cpu->fpsr |= RT_FPSR_QC;
    v = v > max ? max : min;
  }
  return (uint64_t)v & rt_simd_mask(e);
}

/* Unsigned saturation of an exact (possibly negative) result to e bits. */
static inline uint64_t rt_simd_usat(recomp_cpu *cpu, rt_i128 v, unsigned e) {
  rt_i128 max = (rt_i128)rt_simd_mask(e);
  if (v > max || v < 0) {
    cpu->fpsr |= RT_FPSR_QC;
    v = v > max ? max : 0;
  }
  return (uint64_t)v;
}

/* An element operation: a and b the operands, d the destination's old element (accumulating forms). */
typedef uint64_t (*rt_simd_op)(recomp_cpu *cpu, uint64_t a, uint64_t b, uint64_t d, unsigned e);

/*
 * The loop shapes. Each writes a fresh register value (a destination may be a source) whose lanes beyond
 * those written are zero, except the "2" narrowing forms, which keep the destination's low half.
 *  lanewise:  r[i] = op(n[i], m[i], d[i])                      (three same, vector and scalar)
 *  element:   r[i] = op(n[i], m[index], d[i])                  (by element)
 *  immediate: r[i] = op(n[i], imm, d[i])                       (shift by immediate, two-register misc)
 *  long:      r[i] (2e) = op(n[part*lanes+i], m[..], d[i])     (three different L, by element L)
 *  wide:      r[i] (2e) = op(n[i] (2e), m[part*lanes+i], d[i])
 *  narrow:    r[part*lanes+i] (e) = op(n[i] (2e), m[i] (2e))   (high narrow, extract narrow, shift narrow)
 *  pairwise:  r[i] = op(pair i of n:m)
 */
static inline void rt_simd_lanewise(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *m = &cpu->vreg[vm], *d = &cpu->vreg[vd];
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, e, i, op(cpu, rt_simd_get(n, e, i), rt_simd_get(m, e, i), rt_simd_get(d, e, i), e));
  cpu->vreg[vd] = r;
}

static inline void rt_simd_by_element(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned vm, unsigned index, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *d = &cpu->vreg[vd];
  uint64_t b = rt_simd_get(&cpu->vreg[vm], e, index);
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, e, i, op(cpu, rt_simd_get(n, e, i), b, rt_simd_get(d, e, i), e));
  cpu->vreg[vd] = r;
}

static inline void rt_simd_immediate(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, uint64_t imm, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *d = &cpu->vreg[vd];
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, e, i, op(cpu, rt_simd_get(n, e, i), imm, rt_simd_get(d, e, i), e));
  cpu->vreg[vd] = r;
}

/* Long: sources of e bits from lanes part*lanes.., results of 2e bits. `index` >= 0 takes m's lane index for every i. */
static inline void rt_simd_long(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned vm, int index, unsigned e, unsigned lanes, unsigned part) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *m = &cpu->vreg[vm], *d = &cpu->vreg[vd];
  for (unsigned i = 0; i < lanes; i++) {
    uint64_t b = rt_simd_get(m, e, index >= 0 ? (unsigned)index : part * lanes + i);
    rt_simd_set(&r, 2 * e, i, op(cpu, rt_simd_get(n, e, part * lanes + i), b, rt_simd_get(d, 2 * e, i), e));
  }
  cpu->vreg[vd] = r;
}

static inline void rt_simd_wide(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes, unsigned part) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *m = &cpu->vreg[vm];
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, 2 * e, i, op(cpu, rt_simd_get(n, 2 * e, i), rt_simd_get(m, e, part * lanes + i), 0, e));
  cpu->vreg[vd] = r;
}

/* Narrow: e is the result size; m is ignored by the unary forms (pass any register), `imm` reaches op as d. */
static inline void rt_simd_narrow(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned vm, uint64_t imm, unsigned e, unsigned lanes, unsigned part) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *m = &cpu->vreg[vm];
  if (part) r.d[0] = cpu->vreg[vd].d[0];
  for (unsigned i = 0; i < lanes; i++)
    rt_simd_set(&r, e, part * lanes + i, op(cpu, rt_simd_get(n, 2 * e, i), rt_simd_get(m, 2 * e, i), imm, e));
  cpu->vreg[vd] = r;
}

/* Long by an immediate (sshll, ushll, shll): r[i] (2e) = op(n[part*lanes+i], imm). */
static inline void rt_simd_long_immediate(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, uint64_t imm, unsigned e, unsigned lanes, unsigned part) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn];
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, 2 * e, i, op(cpu, rt_simd_get(n, e, part * lanes + i), imm, 0, e));
  cpu->vreg[vd] = r;
}

/* Pairwise long (saddlp, sadalp..): r[i] (2e) = op(n[2i], n[2i+1], d[i]); lanes = result lanes. */
static inline void rt_simd_pairwise_long(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *d = &cpu->vreg[vd];
  for (unsigned i = 0; i < lanes; i++)
    rt_simd_set(&r, 2 * e, i, op(cpu, rt_simd_get(n, e, 2 * i), rt_simd_get(n, e, 2 * i + 1), rt_simd_get(d, 2 * e, i), e));
  cpu->vreg[vd] = r;
}

/* Pairwise over the concatenation n:m (lanes = result lanes; pairs 0..lanes/2-1 from n, the rest from m). */
static inline void rt_simd_pairwise(recomp_cpu *cpu, rt_simd_op op, unsigned vd, unsigned vn, unsigned vm, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *m = &cpu->vreg[vm];
  unsigned half = lanes / 2;
  for (unsigned i = 0; i < lanes; i++) {
    const rt_vreg *src = i < half ? n : m;
    unsigned j = i < half ? 2 * i : 2 * (i - half);
    rt_simd_set(&r, e, i, op(cpu, rt_simd_get(src, e, j), rt_simd_get(src, e, j + 1), 0, e));
  }
  cpu->vreg[vd] = r;
}

/*
 * Defines the helper the lifter calls, rt_a64_simd_<helper>(cpu, pc, params...), as one loop shape run with
 * the element operation rt_simd_e_<op>: `params` is the helper's parameter list after pc, `...` the loop's
 * arguments after the operation.
 */
#define RT_SIMD_HELPER(helper, op, loop, params, ...)                                                            \
  static inline void rt_a64_simd_##helper(recomp_cpu *cpu, uint64_t pc, RT_SIMD_PARAMS params) {                 \
    (void)pc;                                                                                                     \
    loop(cpu, rt_simd_e_##op, __VA_ARGS__);                                                                       \
  }
#define RT_SIMD_PARAMS(...) __VA_ARGS__

#endif
