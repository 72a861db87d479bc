/*
 * runtime/core: the reserved guest address space and its page table (memory.h). The reservation
 * is PROT_NONE and MAP_NORESERVE, so only the pages a program maps cost host memory. The guest
 * permissions live in rt_page_permissions (the host side's checks, rt_host) and in the host page
 * protection (lifted code's loads and stores, which check nothing): readable pages are PROT_READ,
 * writable ones PROT_WRITE too. A lifted access the protection refuses raises SIGSEGV, which
 * rt_memory_init's handler turns into the fault message of the lifted access that faulted (memory.h).
 * The emulated reference (RT_GUEST_AT_HOST_ADDRESS, below) maps guest address a at host address a.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "memory.h"

uint8_t *rt_guest_base;
uint8_t *rt_page_permissions;
volatile uint64_t rt_access_site;
#ifdef RT_ACCESS_SITE_TABLE
/* The linker's bounds of the lifted accesses' table; weak, so a build with no lifted access links. */
extern const rt_access_site_entry __start_rt_access_sites[] __attribute__((weak));
extern const rt_access_site_entry __stop_rt_access_sites[] __attribute__((weak));
/* The same for the guest-space checks' traps. */
extern const rt_outside_site_entry __start_rt_outside_sites[] __attribute__((weak));
extern const rt_outside_site_entry __stop_rt_outside_sites[] __attribute__((weak));
#endif

#ifndef RT_GUEST_AT_HOST_ADDRESS
static int install_fault_handler(void);
#endif

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
  /* A guard beyond the end: an access that starts below the end and runs past it faults like one outside. */
  uint8_t *space = reserve(PREFERRED_HOST_BASE, RT_GUEST_SPACE_SIZE + RT_GUEST_GUARD_SIZE);
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
#ifdef RT_GUEST_AT_HOST_ADDRESS
  return 0; /* runtime/emulated handles SIGSEGV itself: the original code faults under qemu */
#else
  return install_fault_handler();
#endif
}

static int in_space(uint64_t base, uint64_t size) {
  return base % RT_PAGE_SIZE == 0 && size % RT_PAGE_SIZE == 0 && size != 0 && base - SPACE_LOW < SPACE_END - SPACE_LOW /* unsigned: also base >= SPACE_LOW */ &&
         size <= SPACE_END - base;
}

#ifdef RT_GUEST_AT_HOST_ADDRESS
/* Lowest and end of what was ever mapped: what rt_memory_seal protects. */
static uint64_t mapped_low = UINT64_MAX, mapped_end;

static void note_mapped(uint64_t base, uint64_t size) {
  if (base < mapped_low) mapped_low = base;
  if (base + size > mapped_end) mapped_end = base + size;
}

/* The original code executes the guest's pages: until sealed they stay read-write for the loader. */
static int host_protection(unsigned permissions) {
  if (!(permissions & RT_MAPPED)) return PROT_NONE;
  if (!sealed) return PROT_READ | PROT_WRITE;
  return (permissions & RT_READ ? PROT_READ : 0) | (permissions & RT_WRITE ? PROT_WRITE : 0) | (permissions & RT_EXECUTE ? PROT_EXEC : 0);
}
#else
static void note_mapped(uint64_t base, uint64_t size) {
  (void)base;
  (void)size;
}

/* The host protection of a page with these guest permissions (execute is not checked for data, as before). */
static int host_protection(unsigned permissions) {
  if (!(permissions & RT_MAPPED)) return PROT_NONE;
  return (permissions & RT_WRITE ? PROT_READ | PROT_WRITE : 0) | (permissions & RT_READ ? PROT_READ : 0);
}
#endif

static void set_permissions(uint64_t base, uint64_t size, unsigned permissions) {
  memset(rt_page_permissions + (base >> RT_PAGE_BITS), (int)permissions, (size_t)(size >> RT_PAGE_BITS));
  note_mapped(base, size);
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

/* Makes the host protection of [base, base + size) follow the table, one mprotect per run of equal pages. */
static int apply_protection(uint64_t base, uint64_t size) {
  uint64_t first = base >> RT_PAGE_BITS, end = (base + size) >> RT_PAGE_BITS;
  for (uint64_t page = first; page < end;) {
    unsigned state = rt_page_permissions[page];
    int protection = host_protection(state);
    uint64_t next = page + 1;
    while (next < end && host_protection(rt_page_permissions[next]) == protection && ((rt_page_permissions[next] ^ state) & RT_MAPPED) == 0) next++;
    /* Unmapped pages are PROT_NONE already (rt_unmap, or never the guest's: the emulated host's own memory may lie between). */
    if ((state & RT_MAPPED) && mprotect(rt_guest_base + (page << RT_PAGE_BITS), (size_t)((next - page) << RT_PAGE_BITS), protection) != 0) return -1;
    page = next;
  }
  return 0;
}

#ifdef RT_GUEST_AT_HOST_ADDRESS
void rt_memory_seal(void) {
  sealed = 1;
  if (mapped_end > mapped_low) apply_protection(mapped_low, mapped_end - mapped_low);
}
#endif

int rt_map(uint64_t base, uint64_t size, unsigned permissions) {
  if (!in_space(base, size) || rt_unmap(base, size) != 0) return -1;
  set_permissions(base, size, (permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  return apply_protection(base, size);
}

int rt_map_keep(uint64_t base, uint64_t size, unsigned permissions) {
  if (!in_space(base, size) || claim(base, size) != 0) return -1;
  note_mapped(base, size);
  for (uint64_t page = base >> RT_PAGE_BITS; page < (base + size) >> RT_PAGE_BITS; page++) {
    rt_page_permissions[page] |= (uint8_t)((permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  }
  return apply_protection(base, size);
}

int rt_map_file(uint64_t base, uint64_t size, int fd, unsigned permissions) {
  if (!in_space(base, size) || claim(base, size) != 0) return -1;
  void *p = mmap(rt_guest_base + base, (size_t)size, PROT_NONE, MAP_SHARED | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) return -1;
  set_permissions(base, size, (permissions & (RT_READ | RT_WRITE | RT_EXECUTE)) | RT_MAPPED);
  return apply_protection(base, size);
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
  return apply_protection(base, size);
}

unsigned rt_page_state(uint64_t address) {
  return address < RT_GUEST_SPACE_SIZE ? rt_page_permissions[address >> RT_PAGE_BITS] : 0;
}

static const char *outside(unsigned permissions) {
  return permissions & RT_WRITE ? "write outside guest memory" : "read outside guest memory";
}

RT_NORETURN void rt_fault_outside(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
  rt_fault(outside(permissions), address, size, pc);
}

RT_NORETURN void rt_fault_page(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
  if (!(rt_page_state(address) & RT_MAPPED)) rt_fault(outside(permissions), address, size, pc);
  rt_fault(permissions & RT_WRITE ? "write to memory that is not writable" : "read of memory that is not readable", address, size, pc);
}

#ifndef RT_GUEST_AT_HOST_ADDRESS
/* Whether the faulting access wrote: the x86-64 page-fault error code, or the AArch64 ESR's WnR bit; else the page says. */
static int access_wrote(const ucontext_t *context, unsigned page) {
#if defined(__x86_64__)
  (void)page;
  return (context->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#elif defined(__aarch64__)
  /* The kernel's records after the registers: {magic, size} headers; ESR_MAGIC's record holds the ESR. */
  const uint8_t *record = (const uint8_t *)context->uc_mcontext.__reserved;
  const uint8_t *end = record + sizeof context->uc_mcontext.__reserved;
  while (record + 16 <= end) {
    uint32_t magic, size;
    memcpy(&magic, record, 4);
    memcpy(&size, record + 4, 4);
    if (magic == 0 || size < 8) break;
    if (magic == 0x45535201u) {
      uint64_t esr;
      memcpy(&esr, record + 8, 8);
      return (esr >> 6) & 1;
    }
    record += size;
  }
  return (page & RT_MAPPED) && (page & RT_READ);
#else
  (void)context;
  return (page & RT_MAPPED) && (page & RT_READ);
#endif
}

#ifdef RT_ACCESS_SITE_TABLE
static uintptr_t host_pc_of(const ucontext_t *uc) {
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
  return (uintptr_t)uc->uc_mcontext.pc;
#endif
}
#endif

/* An access site (memory.h): the guest pc times 8 plus log2 of the access's size. */
static uint64_t site_size(uint64_t site) {
  return UINT64_C(1) << (site & ((1u << RT_SITE_SIZE_BITS) - 1));
}

static uint64_t site_pc(uint64_t site) {
  return site >> RT_SITE_SIZE_BITS;
}

/* The lifted access that faulted: from the faulting host pc in the rt_access_sites table (memory.h), else rt_access_site. */
static int access_site(const void *context, uint64_t *site) {
#ifdef RT_ACCESS_SITE_TABLE
  uintptr_t host_pc = host_pc_of(context);
  for (const rt_access_site_entry *entry = __start_rt_access_sites; entry < __stop_rt_access_sites; entry++) {
    if ((uintptr_t)&entry->host_offset + (uintptr_t)entry->host_offset == host_pc) {
      *site = entry->site;
      return 1;
    }
  }
  return 0; /* not a lifted access: the host's own crash */
#else
  (void)context;
  *site = rt_access_site;
  return 1;
#endif
}

#ifdef RT_ACCESS_SITE_TABLE
/* The value of the host register the assembler named `name` (memory.h's RT_CHECK); 0 and *found = 0 for another name. */
static uint64_t host_register(const ucontext_t *uc, const char *name, int *found) {
#if defined(__x86_64__)
  static const char *const names[] = {"%rax", "%rbx", "%rcx", "%rdx", "%rsi", "%rdi", "%rbp", "%rsp",
                                      "%r8",  "%r9",  "%r10", "%r11", "%r12", "%r13", "%r14", "%r15"};
  static const int slots[] = {REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
                              REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i]) == 0) {
      *found = 1;
      return (uint64_t)uc->uc_mcontext.gregs[slots[i]];
    }
  }
#else
  unsigned n = 0;
  if (name[0] == 'x' && name[1] >= '0' && name[1] <= '9' && (name[2] == 0 || (name[2] >= '0' && name[2] <= '9' && name[3] == 0))) {
    n = name[2] == 0 ? (unsigned)(name[1] - '0') : (unsigned)(name[1] - '0') * 10 + (unsigned)(name[2] - '0');
    if (n <= 30) {
      *found = 1;
      return uc->uc_mcontext.regs[n];
    }
  }
#endif
  *found = 0;
  return 0;
}

/* SIGILL at a guest-space check's trap (memory.h's RT_CHECK): the guest address is at or above 2^39. */
static void on_outside_trap(int sig, siginfo_t *info, void *context) {
  (void)info;
  uintptr_t host_pc = host_pc_of(context);
  for (const rt_outside_site_entry *entry = __start_rt_outside_sites; entry < __stop_rt_outside_sites; entry++) {
    if ((uintptr_t)&entry->host_offset + (uintptr_t)entry->host_offset != host_pc) continue;
    int found;
    uint64_t address = host_register(context, entry->address_register, &found);
    if (!found) break;
    rt_fault(outside(entry->write ? RT_WRITE : RT_READ), address, site_size(entry->site), site_pc(entry->site));
  }
  /* Not a check's trap: the host's own illegal instruction; returning re-runs it under the default action. */
  signal(sig, SIG_DFL);
}
#endif

/* SIGSEGV in the guest space: a lifted load or store the page protection refused (the host side checks first). */
static void on_segv(int sig, siginfo_t *info, void *context) {
  uint8_t *host = info->si_addr;
  if (host < rt_guest_base || host >= rt_guest_base + RT_GUEST_SPACE_SIZE + RT_GUEST_GUARD_SIZE) {
    /* Not guest memory: the host's own crash; returning re-runs the access under the default action. */
    signal(sig, SIG_DFL);
    return;
  }
  uint64_t address = (uint64_t)(host - rt_guest_base), site;
  if (!access_site(context, &site)) {
    signal(sig, SIG_DFL);
    return;
  }
  unsigned page = rt_page_state(address);
  rt_fault_page(address, site_size(site), access_wrote(context, page) ? RT_WRITE : RT_READ, site_pc(site));
}

static int install_fault_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_segv;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGSEGV, &action, NULL) != 0 || sigaction(SIGBUS, &action, NULL) != 0) {
    perror("cannot install the guest memory fault handler");
    return -1;
  }
#ifdef RT_ACCESS_SITE_TABLE
  action.sa_sigaction = on_outside_trap;
  if (sigaction(SIGILL, &action, NULL) != 0) {
    perror("cannot install the guest memory fault handler");
    return -1;
  }
#endif
  return 0;
}
#endif

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
