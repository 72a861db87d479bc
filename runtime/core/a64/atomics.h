/*
 * runtime/core/a64: LSE atomics (ld<op>, st<op>, swp, cas, casp) and the exclusive pairs (ldxp, stxp). One host
 * thread runs the guest, so an atomic is a read, then a write, of the same bytes. The exclusive monitor is the
 * single-thread one of program.h; a write by an atomic into the monitored reservation granule (64 bytes on the
 * Cortex-A57: CTR_EL0.ERG = 4 words^2) clears it, so a later store-exclusive fails as the architecture allows.
 */
#ifndef RECOMP_A64_ATOMICS_H
#define RECOMP_A64_ATOMICS_H

#include <stdint.h>
#include <string.h>

#include "../memory.h"

enum {
  RT_ATOMIC_ADD, RT_ATOMIC_CLR, RT_ATOMIC_EOR, RT_ATOMIC_SET, RT_ATOMIC_SMAX, RT_ATOMIC_SMIN, RT_ATOMIC_UMAX,
  RT_ATOMIC_UMIN, RT_ATOMIC_SWP
};

#define RT_RESERVATION_GRANULE UINT64_C(64)

static inline void rt_atomic_wrote(recomp_cpu *cpu, uint64_t address) {
  if ((address ^ cpu->exclusive_addr) < RT_RESERVATION_GRANULE) cpu->exclusive_valid = 0;
}

/* Little-endian host (cpu.h): the low `bits` of a value are its first bytes. */
static inline uint64_t rt_atomic_read(const uint8_t *at, unsigned bits) {
  uint64_t value = 0;
  memcpy(&value, at, bits / 8);
  return value;
}

static inline int64_t rt_atomic_signed(uint64_t value, unsigned bits) {
  return bits == 64 ? (int64_t)value : (int64_t)(value << (64 - bits)) >> (64 - bits);
}

/* Returns the old value (zero-extended) and stores operation(old, operand) in its place. */
static inline uint64_t rt_atomic_rmw(recomp_cpu *cpu, uint64_t address, uint64_t operand, unsigned bits, unsigned operation, uint64_t pc) {
  uint8_t *at = rt_host(address, bits / 8, RT_READ | RT_WRITE, pc);
  uint64_t old = rt_atomic_read(at, bits), result;
  uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
  operand &= mask;
  switch (operation) {
    case RT_ATOMIC_ADD: result = old + operand; break;
    case RT_ATOMIC_CLR: result = old & ~operand; break;
    case RT_ATOMIC_EOR: result = old ^ operand; break;
    case RT_ATOMIC_SET: result = old | operand; break;
    case RT_ATOMIC_SMAX: result = rt_atomic_signed(old, bits) > rt_atomic_signed(operand, bits) ? old : operand; break;
    case RT_ATOMIC_SMIN: result = rt_atomic_signed(old, bits) < rt_atomic_signed(operand, bits) ? old : operand; break;
    case RT_ATOMIC_UMAX: result = old > operand ? old : operand; break;
    case RT_ATOMIC_UMIN: result = old < operand ? old : operand; break;
    default: result = operand; break;
  }
  memcpy(at, &result, bits / 8);
  rt_atomic_wrote(cpu, address);
  return old;
}

/* cas: returns the old value; stores `value` when the old value equals the low bits of `expected`. */
static inline uint64_t rt_atomic_cas(recomp_cpu *cpu, uint64_t address, uint64_t expected, uint64_t value, unsigned bits, uint64_t pc) {
  uint8_t *at = rt_host(address, bits / 8, RT_READ | RT_WRITE, pc);
  uint64_t old = rt_atomic_read(at, bits);
  uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
  if (old == (expected & mask)) {
    memcpy(at, &value, bits / 8);
    rt_atomic_wrote(cpu, address);
  }
  return old;
}

/* casp: the pair (first at the lower address) compared and replaced as one; the old pair goes to result. */
static inline void rt_atomic_casp(recomp_cpu *cpu, uint64_t address, unsigned bits, uint64_t expected0, uint64_t expected1,
                                  uint64_t value0, uint64_t value1, uint64_t result[2], uint64_t pc) {
  unsigned bytes = bits / 8;
  uint8_t *at = rt_host(address, 2 * bytes, RT_READ | RT_WRITE, pc);
  uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
  result[0] = rt_atomic_read(at, bits);
  result[1] = rt_atomic_read(at + bytes, bits);
  if (result[0] == (expected0 & mask) && result[1] == (expected1 & mask)) {
    memcpy(at, &value0, bytes);
    memcpy(at + bytes, &value1, bytes);
    rt_atomic_wrote(cpu, address);
  }
}

/* ldxp: the pair into result, and the address into the monitor. */
static inline void rt_load_exclusive_pair(recomp_cpu *cpu, uint64_t address, unsigned bits, uint64_t result[2], uint64_t pc) {
  const uint8_t *at = rt_host(address, bits / 4, RT_READ, pc);
  result[0] = rt_atomic_read(at, bits);
  result[1] = rt_atomic_read(at + bits / 8, bits);
  cpu->exclusive_addr = address;
  cpu->exclusive_valid = 1;
}

/* stxp once the monitor has said yes (rt_store_exclusive): the pair, first at the lower address. */
static inline void rt_store_pair(uint64_t address, unsigned bits, uint64_t value0, uint64_t value1, uint64_t pc) {
  unsigned bytes = bits / 8;
  uint8_t *at = rt_host(address, 2 * bytes, RT_WRITE, pc);
  memcpy(at, &value0, bytes);
  memcpy(at + bytes, &value1, bytes);
}

#endif
