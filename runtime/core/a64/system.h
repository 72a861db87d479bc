/* runtime/core/a64: dc zva and the cache maintenance instructions EL0 may run (dc cvac/cvau/civac, ic ivau). */
#ifndef RECOMP_A64_SYSTEM_H
#define RECOMP_A64_SYSTEM_H

#include <stdint.h>
#include <string.h>

#include "../memory.h"

/* The block dc zva zeroes: dczid_el0 reads 4 (BS = log2 of the size in words), so 16 words. */
#define RT_DC_ZVA_BYTES 64u

/* Zeroes the aligned block holding the address, as a store of its size (faults as a store would). */
static inline void rt_a64_dc_zva(recomp_cpu *cpu, uint64_t pc, uint64_t address) {
  (void)cpu;
  memset(rt_host(address & ~(uint64_t)(RT_DC_ZVA_BYTES - 1), RT_DC_ZVA_BYTES, RT_WRITE, pc), 0, RT_DC_ZVA_BYTES);
}

/*
 * Caches are invisible to a recompiled program, so cleaning or invalidating one has no effect. The address is
 * still checked: at EL0 these instructions fault on an address the program may not read.
 */
static inline void rt_a64_cache_maintenance(recomp_cpu *cpu, uint64_t pc, uint64_t address) {
  (void)cpu;
  (void)rt_host(address, 1, RT_READ, pc);
}

#endif
