/* runtime/core/a64: access to the V registers that every SIMD&FP helper shares. */
#ifndef RECOMP_A64_VECTOR_H
#define RECOMP_A64_VECTOR_H

#include <stdint.h>
#include <string.h>

#include "../cpu.h"

/* Writes the low `bytes` of a V register and zeroes the rest, as every scalar and 64-bit vector write does. */
static inline void rt_vec_write(recomp_cpu *cpu, unsigned v, const void *data, unsigned bytes) {
  rt_vreg value = {{0}};
  memcpy(value.b, data, bytes);
  cpu->vreg[v] = value;
}

static inline uint64_t rt_vec_d(const recomp_cpu *cpu, unsigned v, unsigned lane) { return cpu->vreg[v].d[lane]; }

/* Scalar writes of 8..64 bits: the value in the low bits, the rest of the register zero. */
static inline void rt_vec_set_scalar(recomp_cpu *cpu, unsigned v, uint64_t value, unsigned bytes) {
  rt_vreg out = {{0}};
  memcpy(out.b, &value, bytes);
  cpu->vreg[v] = out;
}

#endif
