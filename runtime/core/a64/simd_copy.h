/*
 * runtime/core/a64: Advanced SIMD copy, across lanes, modified immediate, permutes, ext and tbl/tbx.
 */
#ifndef RECOMP_A64_SIMD_COPY_H
#define RECOMP_A64_SIMD_COPY_H

#include <string.h>

#include "simd_lanes.h"
#include "vector.h"

/* dup (element, and the scalar mov from an element): every lane = n[index]. */
static inline void rt_a64_simd_dup_elem(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned index, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  uint64_t x = rt_simd_get(&cpu->vreg[vn], e, index);
  (void)pc;
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, e, i, x);
  cpu->vreg[vd] = r;
}

static inline void rt_a64_simd_dup_general(recomp_cpu *cpu, uint64_t pc, unsigned vd, uint64_t x, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  (void)pc;
  for (unsigned i = 0; i < lanes; i++) rt_simd_set(&r, e, i, x);
  cpu->vreg[vd] = r;
}

/* ins: one lane replaced, the rest of the register kept. */
static inline void rt_a64_simd_ins_general(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned index, uint64_t x, unsigned e) {
  (void)pc;
  rt_simd_set(&cpu->vreg[vd], e, index, x);
}

static inline void rt_a64_simd_ins_elem(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned index, unsigned vn, unsigned from, unsigned e) {
  (void)pc;
  rt_simd_set(&cpu->vreg[vd], e, index, rt_simd_get(&cpu->vreg[vn], e, from));
}

static inline uint64_t rt_a64_simd_umov(recomp_cpu *cpu, uint64_t pc, unsigned vn, unsigned index, unsigned e) {
  (void)pc;
  return rt_simd_get(&cpu->vreg[vn], e, index);
}

/* smov to w (width 32: the upper 32 bits of x zero) or x. */
static inline uint64_t rt_a64_simd_smov(recomp_cpu *cpu, uint64_t pc, unsigned vn, unsigned index, unsigned e, unsigned width) {
  uint64_t x = rt_sext(rt_simd_get(&cpu->vreg[vn], e, index), e);
  (void)pc;
  return width == 32 ? (uint32_t)x : x;
}

/* Modified immediate: the 64-bit pattern, written to one or both halves (movi, mvni, fmov) or or'ed/bic'ed in. */
static inline void rt_a64_simd_imm_set(recomp_cpu *cpu, uint64_t pc, unsigned vd, uint64_t imm, unsigned q) {
  (void)pc;
  cpu->vreg[vd].d[0] = imm;
  cpu->vreg[vd].d[1] = q ? imm : 0;
}

static inline void rt_a64_simd_imm_orr(recomp_cpu *cpu, uint64_t pc, unsigned vd, uint64_t imm, unsigned q) {
  (void)pc;
  cpu->vreg[vd].d[0] |= imm;
  cpu->vreg[vd].d[1] = q ? cpu->vreg[vd].d[1] | imm : 0;
}

static inline void rt_a64_simd_imm_bic(recomp_cpu *cpu, uint64_t pc, unsigned vd, uint64_t imm, unsigned q) {
  (void)pc;
  cpu->vreg[vd].d[0] &= ~imm;
  cpu->vreg[vd].d[1] = q ? cpu->vreg[vd].d[1] & ~imm : 0;
}

/* Across lanes: the result is a scalar of e bits (addv, max/min) or 2e bits (saddlv, uaddlv). */
enum { RT_ACROSS_ADD, RT_ACROSS_SADDL, RT_ACROSS_UADDL, RT_ACROSS_SMAX, RT_ACROSS_UMAX, RT_ACROSS_SMIN, RT_ACROSS_UMIN };
static inline void rt_a64_simd_across(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned kind, unsigned e, unsigned lanes) {
  const rt_vreg *n = &cpu->vreg[vn];
  uint64_t acc = kind == RT_ACROSS_SADDL ? (uint64_t)rt_simd_sx(rt_simd_get(n, e, 0), e) : rt_simd_get(n, e, 0);
  (void)pc;
  for (unsigned i = 1; i < lanes; i++) {
    uint64_t x = rt_simd_get(n, e, i);
    int64_t sa = rt_simd_sx(acc, e), sx = rt_simd_sx(x, e);
    switch (kind) {
    case RT_ACROSS_ADD: case RT_ACROSS_UADDL: acc += x; break;
    case RT_ACROSS_SADDL: acc += (uint64_t)sx; break;
    case RT_ACROSS_SMAX: acc = sx > sa ? x : acc; break;
    case RT_ACROSS_UMAX: acc = x > acc ? x : acc; break;
    case RT_ACROSS_SMIN: acc = sx < sa ? x : acc; break;
    default: acc = x < acc ? x : acc; break;
    }
  }
  unsigned width = kind == RT_ACROSS_SADDL || kind == RT_ACROSS_UADDL ? 2 * e : e;
  rt_vec_set_scalar(cpu, vd, acc & rt_simd_mask(width), width / 8);
}

/* zip1/zip2, uzp1/uzp2, trn1/trn2 (part: 0 for the "1" forms, 1 for the "2" forms). */
enum { RT_PERMUTE_ZIP, RT_PERMUTE_UZP, RT_PERMUTE_TRN };
static inline void rt_a64_simd_permute(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned vm, unsigned kind, unsigned part, unsigned e, unsigned lanes) {
  rt_vreg r = {{0}};
  const rt_vreg *n = &cpu->vreg[vn], *m = &cpu->vreg[vm];
  (void)pc;
  for (unsigned i = 0; i < lanes; i++) {
    const rt_vreg *src;
    unsigned j;
    if (kind == RT_PERMUTE_ZIP) {
      src = i & 1 ? m : n;
      j = part * lanes / 2 + i / 2;
    } else if (kind == RT_PERMUTE_UZP) {
      src = i < lanes / 2 ? n : m;
      j = 2 * (i % (lanes / 2)) + part;
    } else {
      src = i & 1 ? m : n;
      j = (i & ~1u) + part;
    }
    rt_simd_set(&r, e, i, rt_simd_get(src, e, j));
  }
  cpu->vreg[vd] = r;
}

/* ext: bytes `index`.. of the concatenation m:n (n low). */
static inline void rt_a64_simd_ext(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned vm, unsigned index, unsigned bytes) {
  uint8_t both[32];
  rt_vreg r = {{0}};
  (void)pc;
  memcpy(both, cpu->vreg[vn].b, bytes);
  memcpy(both + bytes, cpu->vreg[vm].b, bytes);
  memcpy(r.b, both + index, bytes);
  cpu->vreg[vd] = r;
}

/* tbl/tbx over `count` table registers from vn (wrapping at v31); out-of-range indices give 0 (tbl) or keep d (tbx). */
static inline void rt_a64_simd_tbl(recomp_cpu *cpu, uint64_t pc, unsigned vd, unsigned vn, unsigned count, unsigned vm, unsigned extend, unsigned bytes) {
  uint8_t table[64];
  rt_vreg r = {{0}};
  (void)pc;
  for (unsigned t = 0; t < count; t++) memcpy(table + 16 * t, cpu->vreg[(vn + t) % 32].b, 16);
  for (unsigned i = 0; i < bytes; i++) {
    unsigned index = cpu->vreg[vm].b[i];
    r.b[i] = index < 16 * count ? table[index] : extend ? cpu->vreg[vd].b[i] : 0;
  }
  cpu->vreg[vd] = r;
}

#endif
