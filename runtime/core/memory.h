/*
 * runtime/core: guest memory through the region map. Every access names the guest instruction
 * that made it; an access outside the regions or against their permissions is a fault that
 * stops the run with the guest address and the instruction (exit status 3). Unaligned accesses
 * are allowed, as on the hardware for normal memory.
 */
#ifndef RECOMP_MEMORY_H
#define RECOMP_MEMORY_H

#include <stdint.h>
#include <string.h>

#include "cpu.h"

#define RT_READ 4u
#define RT_WRITE 2u
#define RT_EXECUTE 1u

typedef struct rt_region {
  const char *name;
  uint64_t base, size;
  unsigned permissions;
  uint8_t *host;
} rt_region;

extern rt_region rt_regions[];
extern const unsigned rt_region_count;

/* Faults: prints "fault: ..." with the guest address and instruction address, exits with 3. */
RT_NORETURN void rt_fault(const char *what, uint64_t address, uint64_t size, uint64_t pc);

/* The host pointer of [address, address + size) when one region holds it with `permissions`. */
static inline uint8_t *rt_host(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
  static rt_region *last;
  rt_region *region = last;
  if (region == NULL || address - region->base >= region->size || region->size - (address - region->base) < size) {
    region = NULL;
    for (unsigned i = 0; i < rt_region_count; i++) {
      rt_region *r = &rt_regions[i];
      if (address - r->base < r->size && r->size - (address - r->base) >= size) {
        region = r;
        break;
      }
    }
    if (region == NULL) rt_fault(permissions & RT_WRITE ? "write outside guest memory" : "read outside guest memory", address, size, pc);
    last = region;
  }
  if ((region->permissions & permissions) != permissions) {
    rt_fault(permissions & RT_WRITE ? "write to memory that is not writable" : "read of memory that is not readable", address, size, pc);
  }
  return region->host + (address - region->base);
}

static inline uint64_t rt_ld8(uint64_t a, uint64_t pc) { return *rt_host(a, 1, RT_READ, pc); }
static inline uint64_t rt_ld16(uint64_t a, uint64_t pc) {
  const uint8_t *p = rt_host(a, 2, RT_READ, pc);
  return (uint64_t)p[0] | (uint64_t)p[1] << 8;
}
static inline uint64_t rt_ld32(uint64_t a, uint64_t pc) {
  const uint8_t *p = rt_host(a, 4, RT_READ, pc);
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}
static inline uint64_t rt_ld64(uint64_t a, uint64_t pc) {
  const uint8_t *p = rt_host(a, 8, RT_READ, pc);
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}
static inline void rt_st8(uint64_t a, uint64_t v, uint64_t pc) { *rt_host(a, 1, RT_WRITE, pc) = (uint8_t)v; }
static inline void rt_st16(uint64_t a, uint64_t v, uint64_t pc) {
  uint8_t *p = rt_host(a, 2, RT_WRITE, pc);
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline void rt_st32(uint64_t a, uint64_t v, uint64_t pc) {
  uint8_t *p = rt_host(a, 4, RT_WRITE, pc);
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static inline void rt_st64(uint64_t a, uint64_t v, uint64_t pc) {
  uint8_t *p = rt_host(a, 8, RT_WRITE, pc);
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

#endif
