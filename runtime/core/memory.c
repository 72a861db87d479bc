/*
 * runtime/core: the reserved guest address space and its page table (memory.h). The reservation
 * is PROT_NONE and MAP_NORESERVE, so only the pages a program maps cost host memory; mapped pages
 * are host read-write and the guest permissions live in rt_page_permissions, which every access
 * checks (rt_host), so the host side (loader, kernel, services) writes guest memory freely.
 */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <sys/mman.h>

#include "memory.h"

uint8_t *rt_guest_base;
uint8_t *rt_page_permissions;

/* Preferred host base of the guest space (1 TiB), so host addresses stay recognisable in a debugger. */
#define PREFERRED_HOST_BASE ((void *)(uintptr_t)0x10000000000ull)

static void *reserve(void *hint, uint64_t size) {
  void *p = mmap(hint, (size_t)size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

int rt_memory_init(void) {
  if (rt_guest_base != NULL) return 0;
  rt_guest_base = reserve(PREFERRED_HOST_BASE, RT_GUEST_SPACE_SIZE);
  /* Zero pages on first touch: unmapped pages read as 0 without costing memory. */
  void *table = mmap(NULL, (size_t)(RT_GUEST_SPACE_SIZE >> RT_PAGE_BITS), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (rt_guest_base == NULL || table == MAP_FAILED) {
    fprintf(stderr, "cannot reserve the guest address space (%" PRIu64 " GiB of host address space)\n", RT_GUEST_SPACE_SIZE >> 30);
    return -1;
  }
  rt_page_permissions = table;
  return 0;
}

static int in_space(uint64_t base, uint64_t size) {
  return base % RT_PAGE_SIZE == 0 && size % RT_PAGE_SIZE == 0 && size != 0 && base < RT_GUEST_SPACE_SIZE &&
         size <= RT_GUEST_SPACE_SIZE - base;
}

static void set_permissions(uint64_t base, uint64_t size, unsigned permissions) {
  memset(rt_page_permissions + (base >> RT_PAGE_BITS), (int)permissions, (size_t)(size >> RT_PAGE_BITS));
}

static int commit(uint64_t base, uint64_t size) {
  return mprotect(rt_guest_base + base, (size_t)size, PROT_READ | PROT_WRITE) == 0 ? 0 : -1;
}

int rt_map(uint64_t base, uint64_t size, unsigned permissions) {
  if (!in_space(base, size) || rt_unmap(base, size) != 0 || commit(base, size) != 0) return -1;
  set_permissions(base, size, (permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  return 0;
}

int rt_map_keep(uint64_t base, uint64_t size, unsigned permissions) {
  if (!in_space(base, size) || commit(base, size) != 0) return -1;
  for (uint64_t page = base >> RT_PAGE_BITS; page < (base + size) >> RT_PAGE_BITS; page++) {
    rt_page_permissions[page] |= (uint8_t)((permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  }
  return 0;
}

int rt_map_file(uint64_t base, uint64_t size, int fd, unsigned permissions) {
  if (!in_space(base, size)) return -1;
  void *p = mmap(rt_guest_base + base, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) return -1;
  set_permissions(base, size, (permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  return 0;
}

int rt_unmap(uint64_t base, uint64_t size) {
  if (!in_space(base, size)) return -1;
  /* A fresh PROT_NONE mapping over the range drops the pages, so a later map reads zeros. */
  void *p = mmap(rt_guest_base + base, (size_t)size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  if (p == MAP_FAILED) return -1;
  set_permissions(base, size, 0);
  return 0;
}

int rt_protect(uint64_t base, uint64_t size, unsigned permissions) {
  if (!in_space(base, size)) return -1;
  for (uint64_t page = base >> RT_PAGE_BITS; page < (base + size) >> RT_PAGE_BITS; page++) {
    if (rt_page_permissions[page] & RT_MAPPED) rt_page_permissions[page] = (uint8_t)((permissions & 7u) | RT_MAPPED);
  }
  return 0;
}

unsigned rt_page_state(uint64_t address) {
  return address < RT_GUEST_SPACE_SIZE ? rt_page_permissions[address >> RT_PAGE_BITS] : 0;
}

static const char *outside(unsigned permissions) {
  return permissions & RT_WRITE ? "write outside guest memory" : "read outside guest memory";
}

uint8_t *rt_host_checked(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
  if (address > RT_GUEST_SPACE_SIZE || size > RT_GUEST_SPACE_SIZE - address) rt_fault(outside(permissions), address, size, pc);
  unsigned need = permissions | RT_MAPPED;
  for (uint64_t page = address >> RT_PAGE_BITS; size != 0 && page <= (address + size - 1) >> RT_PAGE_BITS; page++) {
    unsigned allowed = rt_page_permissions[page];
    if (!(allowed & RT_MAPPED)) rt_fault(outside(permissions), address, size, pc);
    if (need & ~allowed) {
      rt_fault(permissions & RT_WRITE ? "write to memory that is not writable" : "read of memory that is not readable", address, size, pc);
    }
  }
  return rt_guest_base + address;
}
