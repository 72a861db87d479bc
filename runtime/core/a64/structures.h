/*
 * runtime/core/a64: Advanced SIMD structure loads and stores (ld1-ld4, st1-st4, ld1r-ld4r). Registers are
 * numbered from vt modulo 32. Memory is checked once for the whole access; registers are written only after
 * every byte has been read, and stores gather every register before writing.
 */
#ifndef RECOMP_A64_STRUCTURES_H
#define RECOMP_A64_STRUCTURES_H

#include <stdint.h>
#include <string.h>

#include "../memory.h"

/*
 * ld1-ld4 (multiple structures): rpt repeats of selem-element structures of (1 << esize)-byte elements,
 * interleaved in memory (element e of register r + s at structure e); a 64-bit (q = 0) register's upper half is zeroed.
 */
static inline void rt_a64_ld_multiple(recomp_cpu *cpu, uint64_t pc, uint64_t addr, unsigned vt, unsigned rpt, unsigned selem,
                                      unsigned esize, unsigned q) {
  unsigned ebytes = 1u << esize, width = q ? 16u : 8u, lanes = width >> esize;
  const uint8_t *from = rt_host(addr, rpt * selem * width, RT_READ, pc);
  rt_vreg out[4];
  memset(out, 0, sizeof out);
  if (selem == 1) {
    for (unsigned r = 0; r < rpt; r++) memcpy(out[r].b, from + r * width, width);
  } else {
    for (unsigned e = 0; e < lanes; e++)
      for (unsigned s = 0; s < selem; s++, from += ebytes) memcpy(out[s].b + e * ebytes, from, ebytes);
  }
  for (unsigned i = 0; i < rpt * selem; i++) cpu->vreg[(vt + i) % 32] = out[i];
}

static inline void rt_a64_st_multiple(recomp_cpu *cpu, uint64_t pc, uint64_t addr, unsigned vt, unsigned rpt, unsigned selem,
                                      unsigned esize, unsigned q) {
  unsigned ebytes = 1u << esize, width = q ? 16u : 8u, lanes = width >> esize;
  uint8_t data[64], *to = data;
  if (selem == 1) {
    for (unsigned r = 0; r < rpt; r++) memcpy(data + r * width, cpu->vreg[(vt + r) % 32].b, width);
  } else {
    for (unsigned e = 0; e < lanes; e++)
      for (unsigned s = 0; s < selem; s++, to += ebytes) memcpy(to, cpu->vreg[(vt + s) % 32].b + e * ebytes, ebytes);
  }
  memcpy(rt_host(addr, rpt * selem * width, RT_WRITE, pc), data, rpt * selem * width);
}

/* ld1-ld4 (single structure): lane `index` of selem registers from consecutive elements; other lanes are kept. */
static inline void rt_a64_ld_single(recomp_cpu *cpu, uint64_t pc, uint64_t addr, unsigned vt, unsigned selem, unsigned esize,
                                    unsigned index) {
  unsigned ebytes = 1u << esize;
  const uint8_t *from = rt_host(addr, selem * ebytes, RT_READ, pc);
  for (unsigned s = 0; s < selem; s++) memcpy(cpu->vreg[(vt + s) % 32].b + index * ebytes, from + s * ebytes, ebytes);
}

static inline void rt_a64_st_single(recomp_cpu *cpu, uint64_t pc, uint64_t addr, unsigned vt, unsigned selem, unsigned esize,
                                    unsigned index) {
  unsigned ebytes = 1u << esize;
  uint8_t data[32];
  for (unsigned s = 0; s < selem; s++) memcpy(data + s * ebytes, cpu->vreg[(vt + s) % 32].b + index * ebytes, ebytes);
  memcpy(rt_host(addr, selem * ebytes, RT_WRITE, pc), data, selem * ebytes);
}

/* ld1r-ld4r: each of selem consecutive elements into every lane of its register (the upper half zeroed when q = 0). */
static inline void rt_a64_ld_replicate(recomp_cpu *cpu, uint64_t pc, uint64_t addr, unsigned vt, unsigned selem, unsigned esize,
                                       unsigned q) {
  unsigned ebytes = 1u << esize, width = q ? 16u : 8u;
  const uint8_t *from = rt_host(addr, selem * ebytes, RT_READ, pc);
  for (unsigned s = 0; s < selem; s++) {
    rt_vreg value;
    memset(&value, 0, sizeof value);
    for (unsigned at = 0; at < width; at += ebytes) memcpy(value.b + at, from + s * ebytes, ebytes);
    cpu->vreg[(vt + s) % 32] = value;
  }
}

#endif
