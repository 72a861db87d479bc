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
#include "layout.h"

#define RT_READ 4u
#define RT_WRITE 2u
#define RT_EXECUTE 1u

typedef struct rt_region {
  const char *name;
  uint64_t base, size;
  unsigned permissions;
  uint8_t *host;
} rt_region;

extern rt_region rt_regions[RT_REGION_COUNT];

/* Faults: prints "fault: ..." with the guest address and instruction address, exits with 3. */
RT_NORETURN void rt_fault(const char *what, uint64_t address, uint64_t size, uint64_t pc);

/*
 * The host pointer of [address, address + size) when one region holds it with `permissions`.
 * The emitted layout.h lists the regions as constants (RT_REGION_LIST), so this unrolls into a
 * few compare-and-branch steps with the permission test folded away.
 */
static inline uint8_t *rt_host(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
#define RT_TRY_REGION(index, base, length, allowed)                                                      \
  if ((length) >= size && address - (base) <= (length) - size) {                                         \
    if ((permissions & ~(unsigned)(allowed)) != 0) {                                                     \
      rt_fault(permissions & RT_WRITE ? "write to memory that is not writable" : "read of memory that is not readable", \
               address, size, pc);                                                                      \
    }                                                                                                    \
    return rt_regions[index].host + (address - (base));                                                  \
  }
  RT_REGION_LIST(RT_TRY_REGION)
#undef RT_TRY_REGION
  rt_fault(permissions & RT_WRITE ? "write outside guest memory" : "read outside guest memory", address, size, pc);
}

/* Guest memory is little-endian: on a little-endian host an access is one memcpy (one move). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define RT_ACCESS(bits)                                                                   \
  static inline uint64_t rt_ld##bits(uint64_t a, uint64_t pc) {                           \
    uint##bits##_t v;                                                                     \
    memcpy(&v, rt_host(a, bits / 8, RT_READ, pc), sizeof v);                              \
    return v;                                                                             \
  }                                                                                       \
  static inline void rt_st##bits(uint64_t a, uint64_t value, uint64_t pc) {               \
    uint##bits##_t v = (uint##bits##_t)value;                                             \
    memcpy(rt_host(a, bits / 8, RT_WRITE, pc), &v, sizeof v);                             \
  }
#else
#define RT_ACCESS(bits)                                                                   \
  static inline uint64_t rt_ld##bits(uint64_t a, uint64_t pc) {                           \
    const uint8_t *p = rt_host(a, bits / 8, RT_READ, pc);                                 \
    uint64_t v = 0;                                                                       \
    for (int i = bits / 8 - 1; i >= 0; i--) v = v << 8 | p[i];                            \
    return v;                                                                             \
  }                                                                                       \
  static inline void rt_st##bits(uint64_t a, uint64_t value, uint64_t pc) {               \
    uint8_t *p = rt_host(a, bits / 8, RT_WRITE, pc);                                      \
    for (int i = 0; i < bits / 8; i++) p[i] = (uint8_t)(value >> (8 * i));                \
  }
#endif
RT_ACCESS(8)
RT_ACCESS(16)
RT_ACCESS(32)
RT_ACCESS(64)

#endif
