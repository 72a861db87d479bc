/*
 * runtime/core: the checked guest accesses a cold unit calls (memory.h, RT_COLD_UNIT). Each checks the page
 * table's guest permissions before the access and reports a fault as the inline accesses do: an address at or
 * above 2^39 as the guest-space check does (the access's address), else the first byte whose page refuses the
 * access, as the host's page protection does (an access that runs into an unmapped page faults at that page).
 */
#include <string.h>

#include "memory.h"

static uint8_t *checked(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
  if (address >> RT_GUEST_SPACE_BITS) rt_fault_outside(address, size, permissions, pc);
  for (uint64_t at = address; at - address < size; at = (at | (RT_PAGE_SIZE - 1)) + 1) {
    if ((permissions | RT_MAPPED) & ~rt_page_state(at)) rt_fault_page(at, size, permissions, pc);
  }
  return rt_guest_base + address;
}

#define RT_CHECKED_ACCESS(bits)                                                  \
  uint64_t rt_checked_ld##bits(uint64_t a, uint64_t pc) {                        \
    uint##bits##_t v;                                                            \
    memcpy(&v, checked(a, bits / 8, RT_READ, pc), sizeof v);                     \
    return v;                                                                    \
  }                                                                              \
  void rt_checked_st##bits(uint64_t a, uint64_t value, uint64_t pc) {            \
    uint##bits##_t v = (uint##bits##_t)value;                                    \
    memcpy(checked(a, bits / 8, RT_WRITE, pc), &v, sizeof v);                    \
  }
RT_CHECKED_ACCESS(8)
RT_CHECKED_ACCESS(16)
RT_CHECKED_ACCESS(32)
RT_CHECKED_ACCESS(64)

void rt_checked_ld128(uint64_t a, void *bytes, uint64_t pc) {
  memcpy(bytes, checked(a, 16, RT_READ, pc), 16);
}

void rt_checked_st128(uint64_t a, const void *bytes, uint64_t pc) {
  memcpy(checked(a, 16, RT_WRITE, pc), bytes, 16);
}
