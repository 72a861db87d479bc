/* runtime/core/a64: loads and stores of one SIMD&FP register (ldr/str/ldur/stur/ldp/stp of b, h, s, d, q). */
#ifndef RECOMP_A64_LOAD_STORE_VECTOR_H
#define RECOMP_A64_LOAD_STORE_VECTOR_H

#include <stdint.h>
#include <string.h>

#include "../memory.h"
#include "vector.h"

/* Loads `bytes` (1..16) at addr + offset into V[vt]; the register's other bytes become zero. */
static inline void rt_a64_load_vec(recomp_cpu *cpu, uint64_t pc, uint64_t addr, uint64_t offset, unsigned vt, unsigned bytes) {
  uint64_t at = addr + offset;
  rt_vec_write(cpu, vt, rt_host(at, bytes, RT_READ, pc), bytes);
}

static inline void rt_a64_store_vec(recomp_cpu *cpu, uint64_t pc, uint64_t addr, uint64_t offset, unsigned vt, unsigned bytes) {
  uint64_t at = addr + offset;
  memcpy(rt_host(at, bytes, RT_WRITE, pc), cpu->vreg[vt].b, bytes);
}

#endif
