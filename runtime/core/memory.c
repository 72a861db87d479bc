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

#ifdef RT_GUEST_AT_HOST_ADDRESS
/*
 * The emulated reference (runtime/emulated, docs/reference-emulated.md): the original machine code
 * runs under qemu-aarch64 and addresses memory itself, so guest address a is host address a
 * (rt_guest_base stays 0). Only the part of the guest space below qemu-user's first mapping
 * (2^38: its stack and heap start at 0x5500000000) is used, and page 0 stays unmapped. It is
 * reserved in 256 MiB chunks as pages are first mapped there: qemu-user keeps flags per guest page,
 * so reserving all 2^38 bytes at once costs it seconds.
 */
#define SPACE_LOW UINT64_C(0x10000)
#define SPACE_END (UINT64_C(1) << 38)
#define CHUNK_BITS 28
static uint8_t chunk_reserved[SPACE_END >> CHUNK_BITS];
/* Once sealed (the code rewritten), host page protection follows the guest permissions, as the guest's own loads and stores are not checked by rt_host. */
static int sealed;
#else
#define SPACE_LOW UINT64_C(0)
#define SPACE_END RT_GUEST_SPACE_SIZE
/* Preferred host base of the guest space (1 TiB), so host addresses stay recognisable in a debugger. */
#define PREFERRED_HOST_BASE ((void *)(uintptr_t)0x10000000000ull)
#endif

static void *reserve(void *hint, uint64_t size) {
  void *p = mmap(hint, (size_t)size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

#ifdef RT_GUEST_AT_HOST_ADDRESS
/* Reserves the chunks of [base, base + size) at their own addresses; -1 when one is taken by the host. */
static int reserve_chunks(uint64_t base, uint64_t size) {
  for (uint64_t chunk = base >> CHUNK_BITS; chunk <= (base + size - 1) >> CHUNK_BITS; chunk++) {
    if (chunk_reserved[chunk]) continue;
    uint64_t start = chunk << CHUNK_BITS < SPACE_LOW ? SPACE_LOW : chunk << CHUNK_BITS;
    uint64_t end = (chunk + 1) << CHUNK_BITS;
    void *p = reserve((void *)(uintptr_t)start, end - start);
    if (p != (void *)(uintptr_t)start) {
      if (p != NULL) munmap(p, (size_t)(end - start));
      fprintf(stderr, "fault: the emulated host cannot reserve guest addresses 0x%" PRIx64 "-0x%" PRIx64 " at their own addresses\n", start, end);
      return -1;
    }
    chunk_reserved[chunk] = 1;
  }
  return 0;
}
#endif

int rt_memory_init(void) {
  if (rt_page_permissions != NULL) return 0;
#ifdef RT_GUEST_AT_HOST_ADDRESS
  uint8_t *space = (uint8_t *)(uintptr_t)SPACE_LOW; /* reserved chunk by chunk (reserve_chunks) */
  rt_guest_base = NULL;
#else
  uint8_t *space = reserve(PREFERRED_HOST_BASE, SPACE_END - SPACE_LOW);
  rt_guest_base = space;
#endif
  /* Zero pages on first touch: unmapped pages read as 0 without costing memory. */
  void *table = mmap(NULL, (size_t)(RT_GUEST_SPACE_SIZE >> RT_PAGE_BITS), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (space == NULL || table == MAP_FAILED) {
    fprintf(stderr, "cannot reserve the guest address space (%" PRIu64 " GiB of host address space)\n", RT_GUEST_SPACE_SIZE >> 30);
    return -1;
  }
  rt_page_permissions = table;
  return 0;
}

static int in_space(uint64_t base, uint64_t size) {
  return base % RT_PAGE_SIZE == 0 && size % RT_PAGE_SIZE == 0 && size != 0 && base >= SPACE_LOW && base < SPACE_END &&
         size <= SPACE_END - base;
}

#ifdef RT_GUEST_AT_HOST_ADDRESS
static int host_protection(unsigned permissions) {
  return (permissions & RT_READ ? PROT_READ : 0) | (permissions & RT_WRITE ? PROT_WRITE : 0) | (permissions & RT_EXECUTE ? PROT_EXEC : 0);
}

/* Host protection of every page in [base, base + size) from the table, one mprotect per run of equal pages. */
static void apply_protection(uint64_t base, uint64_t size) {
  uint64_t page = base >> RT_PAGE_BITS, end = (base + size) >> RT_PAGE_BITS;
  while (page < end) {
    uint64_t run = page + 1;
    while (run < end && rt_page_permissions[run] == rt_page_permissions[page]) run++;
    if (rt_page_permissions[page] & RT_MAPPED) {
      mprotect((void *)(uintptr_t)(page << RT_PAGE_BITS), (size_t)((run - page) << RT_PAGE_BITS), host_protection(rt_page_permissions[page]));
    }
    page = run;
  }
}

static uint64_t mapped_low = UINT64_MAX, mapped_end;

void rt_memory_seal(void) {
  sealed = 1;
  if (mapped_end > mapped_low) apply_protection(mapped_low, mapped_end - mapped_low);
}

static void permissions_changed(uint64_t base, uint64_t size) {
  if (base < mapped_low) mapped_low = base;
  if (base + size > mapped_end) mapped_end = base + size;
  if (sealed) apply_protection(base, size);
}
#else
static void permissions_changed(uint64_t base, uint64_t size) {
  (void)base;
  (void)size;
}
#endif

static void set_permissions(uint64_t base, uint64_t size, unsigned permissions) {
  memset(rt_page_permissions + (base >> RT_PAGE_BITS), (int)permissions, (size_t)(size >> RT_PAGE_BITS));
  permissions_changed(base, size);
}

/* The host range of [base, base + size) is reserved for the guest (identity: its chunks reserved now); 0 or -1. */
static int claim(uint64_t base, uint64_t size) {
#ifdef RT_GUEST_AT_HOST_ADDRESS
  return reserve_chunks(base, size);
#else
  (void)base;
  (void)size;
  return 0;
#endif
}

static int commit(uint64_t base, uint64_t size) {
  if (claim(base, size) != 0) return -1;
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
  permissions_changed(base, size);
  return 0;
}

int rt_map_file(uint64_t base, uint64_t size, int fd, unsigned permissions) {
  if (!in_space(base, size) || claim(base, size) != 0) return -1;
  void *p = mmap(rt_guest_base + base, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) return -1;
  set_permissions(base, size, (permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  return 0;
}

int rt_unmap(uint64_t base, uint64_t size) {
  if (!in_space(base, size) || claim(base, size) != 0) return -1;
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
  permissions_changed(base, size);
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
