/*
 * runtime/core: guest memory. The whole guest address space (RT_GUEST_SPACE_SIZE bytes) is reserved
 * once on the host, so a guest address is host base + address with no region search. Pages are
 * committed as they are mapped (the title's regions at start, and whatever the personality's
 * kernel maps later: heap, shared memory, thread stacks); a table with one byte per guest page
 * holds the guest permissions, and the host page protection enforces them for lifted code (below).
 * Every access names the guest instruction that made it; an access
 * to an unmapped page or against its permissions is a fault that stops the run with the guest
 * address and the instruction (exit status 3). Unaligned accesses are allowed, as on the hardware
 * for normal memory.
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
/* Set in the page table for every mapped page, so an access with no permission bits (the loader's) still needs a mapping. */
#define RT_MAPPED 8u

/* 39 bits: Horizon's address space for 64-bit programs (0x8000000..0x8000000000); room for the demo and Linux tests too. */
#define RT_GUEST_SPACE_BITS 39
#define RT_GUEST_SPACE_SIZE (UINT64_C(1) << RT_GUEST_SPACE_BITS)
/* Reserved but never mapped after the guest space, so an access that starts inside and runs past the end faults. */
#define RT_GUEST_GUARD_SIZE (UINT64_C(1) << 16)
#define RT_PAGE_BITS 12
#define RT_PAGE_SIZE (UINT64_C(1) << RT_PAGE_BITS)

typedef struct rt_region {
  const char *name;
  uint64_t base, size;
  unsigned permissions;
  uint8_t *host;
} rt_region;

extern rt_region rt_regions[RT_REGION_COUNT];

/* Host address of guest address 0, and the guest permissions (RT_MAPPED | RT_READ ...) of every guest page. */
extern uint8_t *rt_guest_base;
extern uint8_t *rt_page_permissions;

/* Reserves the guest space; 0 on success, else prints why and returns -1. */
int rt_memory_init(void);
#ifdef RT_GUEST_AT_HOST_ADDRESS
/* Emulated host: from now on host page protection follows the guest permissions (the code is rewritten and loaded). */
void rt_memory_seal(void);
#endif
/*
 * Maps [base, base + size) (page-aligned, inside the guest space) zero-filled with `permissions`;
 * rt_map_keep keeps the contents of pages already mapped (a region or segment that shares a page
 * with another gets the union of both permissions). rt_unmap discards the pages; rt_protect only
 * changes the permissions of mapped pages. Each returns 0, or -1 for a range outside the space.
 */
int rt_map(uint64_t base, uint64_t size, unsigned permissions);
int rt_map_keep(uint64_t base, uint64_t size, unsigned permissions);
int rt_unmap(uint64_t base, uint64_t size);
int rt_protect(uint64_t base, uint64_t size, unsigned permissions);
/* Maps `size` bytes of the file `fd` (shared memory a service also maps) at `base`. */
int rt_map_file(uint64_t base, uint64_t size, int fd, unsigned permissions);
/* The permission bits of the page holding `address` (0 when unmapped or outside the space). */
unsigned rt_page_state(uint64_t address);

/* Faults: prints "fault: ..." with the guest address and instruction address, exits with 3. */
RT_NORETURN void rt_fault(const char *what, uint64_t address, uint64_t size, uint64_t pc);
/* The slow path of rt_host: accesses longer than a page, and every fault. */
uint8_t *rt_host_checked(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc);

/*
 * The host pointer of [address, address + size) when every page of it is mapped with `permissions`.
 * Accesses of up to a page (every lifted load and store) test the first and last page only.
 */
static inline uint8_t *rt_host(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc) {
  if (size - 1 < RT_PAGE_SIZE && address < RT_GUEST_SPACE_SIZE - size) {
    unsigned allowed = rt_page_permissions[address >> RT_PAGE_BITS] & rt_page_permissions[(address + size - 1) >> RT_PAGE_BITS];
    if (((permissions | RT_MAPPED) & ~allowed) == 0) return rt_guest_base + address;
  }
  return rt_host_checked(address, size, permissions, pc);
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

/*
 * Lifted code's loads and stores: one host access at mem (rt_guest_base, kept in a local) + address, with
 * the guest permissions enforced by the host page protection; an address beyond the guest space is a fault
 * before any access. `pc` is the instruction's address as a plain hex literal (0x...). The SIGSEGV handler
 * names the instruction and size: with GCC or Clang on x86-64 or AArch64 each access is one host instruction
 * in inline assembly that records (its host address, the site pc * 8 + log2 of the size) in the section
 * rt_access_sites, so the handler finds the site from the faulting host pc and the access costs nothing more;
 * elsewhere each access first stores the site in rt_access_site. (pc * 8: log2 of a Q register's 16 bytes is 4,
 * more than the two bits a 4-aligned pc leaves free.)
 * The guest-space check is in the same assembly: a test of the address's bits 39-63 and a trap instruction
 * (ud2, udf) that a SIGILL handler turns into the fault, from its record in rt_outside_sites (the trap's
 * address, the site, whether it writes and the name of the host register holding the guest address). As a C
 * branch and a cold call per access, the check doubled the basic blocks of the lifted code and cost nearly
 * half of its compile time; inside the assembly the compiler sees no branch. With RT_GUEST_KNOWN_ADDRESSES
 * (opt-in, below) an address the compiler knows (a global's, built by adrp/add) inside the guest space has no
 * check at all; a constant outside keeps the check, so it still faults.
 * A Q register (16 bytes: rt_guest_ld128/st128) is one 16-byte host access the same way, from or into the V
 * register's bytes.
 */
extern volatile uint64_t rt_access_site;
RT_NORETURN void rt_fault_outside(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc);
/* The fault of an access whose byte at `address` (a guest-space address) lacks `permissions`: unmapped, or not allowed. */
RT_NORETURN void rt_fault_page(uint64_t address, uint64_t size, unsigned permissions, uint64_t pc);
/* An access site: the guest pc and log2 of the access's size (0..4), as the fault handlers decode it. */
#define RT_SITE_SIZE_BITS 3

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
#define RT_ACCESS_SITE_TABLE 1
/* One rt_access_sites entry: the access instruction's address relative to the entry, and pc * 8 + log2(size). */
typedef struct rt_access_site_entry {
  int64_t host_offset;
  uint64_t site;
} rt_access_site_entry;
/* One rt_outside_sites entry: the trap's address relative to the entry, pc * 8 + log2(size), 1 for a store, and
 * the register holding the guest address as the assembler names it ("%rax", "x5"). */
typedef struct rt_outside_site_entry {
  int64_t host_offset;
  uint64_t site;
  uint8_t write;
  char address_register[7];
} rt_outside_site_entry;
#define RT_SITE_RECORD(pc, log2) \
  "\n\t.pushsection rt_access_sites,\"a\"\n\t.balign 8\n\t.quad 1b - ., " #pc " * 8 + " #log2 "\n\t.popsection"
#define RT_OUTSIDE_RECORD(pc, log2, write, reg)                                                                     \
  "\n\t.pushsection rt_outside_sites,\"a\"\n\t.balign 8\n\t.quad 2b - ., " #pc " * 8 + " #log2 "\n\t.byte " #write \
  "\n\t.asciz \"" reg "\"\n\t.balign 8\n\t.popsection\n"
/* may_alias: a guest access may overlap one of another width, as memcpy's could. */
typedef uint8_t __attribute__((may_alias)) rt_guest_u8;
typedef uint16_t __attribute__((may_alias)) rt_guest_u16;
typedef uint32_t __attribute__((may_alias)) rt_guest_u32;
typedef uint64_t __attribute__((may_alias)) rt_guest_u64;
typedef struct rt_guest_u128 {
  uint8_t b[16];
} __attribute__((may_alias)) rt_guest_u128;
/* A Q register's value in a host vector register (xmm, v). */
typedef uint64_t rt_guest_v128 __attribute__((vector_size(16)));
#if defined(__x86_64__)
#define RT_MEM "m"
#define RT_VREG "x"
#define RT_ADDRESS "r"
#define RT_LD_8 "movzbl %[rt_m], %k[rt_v]"
#define RT_LD_16 "movzwl %[rt_m], %k[rt_v]"
#define RT_LD_32 "movl %[rt_m], %k[rt_v]"
#define RT_LD_64 "movq %[rt_m], %[rt_v]"
#define RT_LD_128 "movdqu %[rt_m], %[rt_v]"
#define RT_ST_8 "movb %b[rt_v], %[rt_m]"
#define RT_ST_16 "movw %w[rt_v], %[rt_m]"
#define RT_ST_32 "movl %k[rt_v], %[rt_m]"
#define RT_ST_64 "movq %[rt_v], %[rt_m]"
#define RT_ST_128 "movdqu %[rt_v], %[rt_m]"
/*
 * A test of the address against the mask of bits 39-63, held in a register (rt_o: x86 has no 64-bit immediate
 * test), then the branch: one fused instruction that writes no register, where a copy and a shift were three. The
 * trap lies out of line (.text.unlikely), so the check is a branch not taken.
 */
#define RT_CHECK(pc, log2, write)                                                                                  \
  "testq %[rt_o], %[rt_a]\n\tjnz 2f\n\t.pushsection .text.unlikely,\"ax\",@progbits\n2:\tud2" \
  RT_OUTSIDE_RECORD(pc, log2, write, "%[rt_a]") "\t.popsection\n"
/* 0 for an access at a known address (no check assembled), so no register is loaded with the mask for nothing. */
#define RT_CHECK_OPERAND(known) , [rt_o] "r"(~(RT_GUEST_SPACE_SIZE - 1) * !(known))
#else
#define RT_MEM "Q"
#define RT_VREG "w"
/* Z: the address operand of a known access (0, unused) is xzr (RT_GUEST_KNOWN_ADDRESSES). */
#define RT_ADDRESS "rZ"
#define RT_LD_8 "ldrb %w[rt_v], %[rt_m]"
#define RT_LD_16 "ldrh %w[rt_v], %[rt_m]"
#define RT_LD_32 "ldr %w[rt_v], %[rt_m]"
#define RT_LD_64 "ldr %x[rt_v], %[rt_m]"
#define RT_LD_128 "ldr %q[rt_v], %[rt_m]"
#define RT_ST_8 "strb %w[rt_v], %[rt_m]"
#define RT_ST_16 "strh %w[rt_v], %[rt_m]"
#define RT_ST_32 "str %w[rt_v], %[rt_m]"
#define RT_ST_64 "str %x[rt_v], %[rt_m]"
#define RT_ST_128 "str %q[rt_v], %[rt_m]"
/* A test against the mask of bits 39-63 (an immediate); the trap stays inline (cbz/b.cond reach only 1 MiB). */
#define RT_CHECK(pc, log2, write) \
  "tst %x[rt_a], #0xffffff8000000000\n\tb.eq 1f\n2:\tudf #0" RT_OUTSIDE_RECORD(pc, log2, write, "%x[rt_a]")
#define RT_CHECK_OPERAND(known)
#endif
_Static_assert(RT_GUEST_SPACE_BITS == 39, "RT_CHECK's assembly tests bits 39-63");
/*
 * Opt-in (-DRT_GUEST_KNOWN_ADDRESSES=1, e.g. `make GUESTOPT="-O2 -DRT_GUEST_KNOWN_ADDRESSES=1"`): an access at an
 * address the compiler knows inside the guest space has no check (the guard after the space still stops one that
 * runs past its end). RT_GUEST_KNOWN_INSIDE is one __builtin_constant_p of an expression that is a constant only
 * then (outside the space it depends on mem), so the asm operand is a constant at every -O level and the C has no
 * branch. Not the default: the check's removal saves run-time instructions, but the __builtin_constant_p per access
 * cost about 10-17% more compile time (docs/benchmarks.md, session 9), and the build is the further goal.
 */
#if defined(RT_GUEST_KNOWN_ADDRESSES) && RT_GUEST_KNOWN_ADDRESSES
#define RT_GUEST_KNOWN_INSIDE(a, mem) __builtin_constant_p((a) | ((a) >> RT_GUEST_SPACE_BITS) * (uint64_t)(uintptr_t)(mem))
/* The check is assembled only when rt_k is 0; a known access passes 0 as the unused address operand (xzr on
 * AArch64), not the address, which the compiler would otherwise build in a register for nothing. */
#define RT_IF_UNKNOWN ".if %c[rt_k] == 0\n\t"
#define RT_END_UNKNOWN "\n\t.endif\n"
#define RT_ADDRESS_OPERAND(mem) \
  [rt_a] RT_ADDRESS(rt_a_ * !RT_GUEST_KNOWN_INSIDE(rt_a_, mem)), [rt_k] "i"(RT_GUEST_KNOWN_INSIDE(rt_a_, mem)) RT_CHECK_OPERAND(RT_GUEST_KNOWN_INSIDE(rt_a_, mem))
#else
#define RT_IF_UNKNOWN ""
#define RT_END_UNKNOWN ""
#define RT_ADDRESS_OPERAND(mem) [rt_a] "r"(rt_a_) RT_CHECK_OPERAND(0)
#endif
#define RT_OPERANDS(...) __VA_ARGS__
/* An access's assembly at the guest address rt_a_: the check and the access. Operand lists are parenthesised. */
#define RT_GUEST_ASM(access, pc, log2, write, mem, outputs, inputs)                                          \
  __asm__ volatile(RT_IF_UNKNOWN RT_CHECK(pc, log2, write) RT_END_UNKNOWN "1:\t" access RT_SITE_RECORD(pc, log2) \
                   : RT_OPERANDS outputs : RT_OPERANDS inputs, RT_ADDRESS_OPERAND(mem) : "cc")
#define RT_GUEST_AT(type, mem) (*(type *)((mem) + rt_a_))
/* The check writes no register, so a load's result may share the address's register (no early clobber). */
#define RT_GUEST_LOAD(bits, log2, mem, a, pc) __extension__({                                                         \
  uint64_t rt_a_ = (a), rt_v_;                                                                                        \
  RT_GUEST_ASM(RT_LD_##bits, pc, log2, 0, mem, ([rt_v] "=r"(rt_v_)), ([rt_m] RT_MEM(RT_GUEST_AT(const rt_guest_u##bits, mem)))); \
  rt_v_;                                                                                                              \
})
#define RT_GUEST_STORE(bits, log2, mem, a, value, pc) do {                                                          \
  uint64_t rt_a_ = (a), rt_v_ = (value);                                                                           \
  RT_GUEST_ASM(RT_ST_##bits, pc, log2, 1, mem, ([rt_m] "=" RT_MEM(RT_GUEST_AT(rt_guest_u##bits, mem))),              \
               ([rt_v] "r"(rt_v_)));                                                                               \
} while (0)
/* A Q register: the 16 bytes at `bytes` (the V register's) go through a host vector register. */
#define rt_guest_ld128(mem, a, bytes, pc) do {                                                                     \
  uint64_t rt_a_ = (a);                                                                                            \
  rt_guest_v128 rt_v_;                                                                                             \
  RT_GUEST_ASM(RT_LD_128, pc, 4, 0, mem, ([rt_v] "=" RT_VREG(rt_v_)),                                               \
               ([rt_m] RT_MEM(RT_GUEST_AT(const rt_guest_u128, mem))));                                            \
  memcpy((bytes), &rt_v_, 16);                                                                                     \
} while (0)
#define rt_guest_st128(mem, a, bytes, pc) do {                                                                     \
  uint64_t rt_a_ = (a);                                                                                            \
  rt_guest_v128 rt_v_;                                                                                             \
  memcpy(&rt_v_, (bytes), 16);                                                                                     \
  RT_GUEST_ASM(RT_ST_128, pc, 4, 1, mem, ([rt_m] "=" RT_MEM(RT_GUEST_AT(rt_guest_u128, mem))),                      \
               ([rt_v] RT_VREG(rt_v_)));                                                                           \
} while (0)
#else
#define RT_GUEST_CHECK(a, bytes, permissions, pc) \
  if (__builtin_expect(((a) >> RT_GUEST_SPACE_BITS) != 0, 0)) rt_fault_outside(a, bytes, permissions, UINT64_C(pc))
#define RT_GUEST_SITE(pc, log2) (UINT64_C(pc) << RT_SITE_SIZE_BITS | log2)
#define RT_GUEST_ACCESS(bits, log2)                                                                     \
  static inline uint64_t rt_guest_load##bits(uint8_t *mem, uint64_t a, uint64_t site) {                 \
    uint##bits##_t v;                                                                                   \
    rt_access_site = site;                                                                              \
    memcpy(&v, mem + a, sizeof v);                                                                      \
    return v;                                                                                           \
  }                                                                                                     \
  static inline void rt_guest_store##bits(uint8_t *mem, uint64_t a, uint64_t value, uint64_t site) {    \
    uint##bits##_t v = (uint##bits##_t)value;                                                           \
    rt_access_site = site;                                                                              \
    memcpy(mem + a, &v, sizeof v);                                                                      \
  }
RT_GUEST_ACCESS(8, 0)
RT_GUEST_ACCESS(16, 1)
RT_GUEST_ACCESS(32, 2)
RT_GUEST_ACCESS(64, 3)
/* A Q register's 16 bytes, to or from `bytes` (the V register's). */
static inline void rt_guest_copy128(uint8_t *to, const uint8_t *from, uint64_t site) {
  rt_access_site = site;
  memcpy(to, from, 16);
}
#define RT_GUEST_LOAD(bits, log2, mem, a, pc) \
  __extension__({ uint64_t rt_a_ = (a); RT_GUEST_CHECK(rt_a_, bits / 8, RT_READ, pc); rt_guest_load##bits(mem, rt_a_, RT_GUEST_SITE(pc, log2)); })
#define RT_GUEST_STORE(bits, log2, mem, a, value, pc) \
  do { uint64_t rt_a_ = (a); RT_GUEST_CHECK(rt_a_, bits / 8, RT_WRITE, pc); rt_guest_store##bits(mem, rt_a_, value, RT_GUEST_SITE(pc, log2)); } while (0)
#define rt_guest_ld128(mem, a, bytes, pc) \
  do { uint64_t rt_a_ = (a); RT_GUEST_CHECK(rt_a_, 16, RT_READ, pc); rt_guest_copy128(bytes, (mem) + rt_a_, RT_GUEST_SITE(pc, 4)); } while (0)
#define rt_guest_st128(mem, a, bytes, pc) \
  do { uint64_t rt_a_ = (a); RT_GUEST_CHECK(rt_a_, 16, RT_WRITE, pc); rt_guest_copy128((mem) + rt_a_, bytes, RT_GUEST_SITE(pc, 4)); } while (0)
#endif
/*
 * A cold unit's accesses (RT_COLD_UNIT, docs/runtime-core.md "Optimisation tiers": code the execution profile
 * never saw run, compiled at -O0): a call per access to the runtime's checked access (rt_host: the page table's
 * guest permissions, the same fault lines as the page protection's), which costs the compiler a quarter less
 * than the inline assembly. Not for the emulated host, which compiles no lifted code.
 */
uint64_t rt_checked_ld8(uint64_t a, uint64_t pc);
uint64_t rt_checked_ld16(uint64_t a, uint64_t pc);
uint64_t rt_checked_ld32(uint64_t a, uint64_t pc);
uint64_t rt_checked_ld64(uint64_t a, uint64_t pc);
void rt_checked_st8(uint64_t a, uint64_t value, uint64_t pc);
void rt_checked_st16(uint64_t a, uint64_t value, uint64_t pc);
void rt_checked_st32(uint64_t a, uint64_t value, uint64_t pc);
void rt_checked_st64(uint64_t a, uint64_t value, uint64_t pc);
void rt_checked_ld128(uint64_t a, void *bytes, uint64_t pc);
void rt_checked_st128(uint64_t a, const void *bytes, uint64_t pc);
#ifdef RT_COLD_UNIT
#undef RT_GUEST_LOAD
#undef RT_GUEST_STORE
#undef rt_guest_ld128
#undef rt_guest_st128
#define RT_GUEST_LOAD(bits, log2, mem, a, pc) rt_checked_ld##bits((a), UINT64_C(pc))
#define RT_GUEST_STORE(bits, log2, mem, a, value, pc) rt_checked_st##bits((a), (value), UINT64_C(pc))
#define rt_guest_ld128(mem, a, bytes, pc) rt_checked_ld128((a), (bytes), UINT64_C(pc))
#define rt_guest_st128(mem, a, bytes, pc) rt_checked_st128((a), (bytes), UINT64_C(pc))
#endif
#define rt_guest_ld8(mem, a, pc) RT_GUEST_LOAD(8, 0, mem, a, pc)
#define rt_guest_ld16(mem, a, pc) RT_GUEST_LOAD(16, 1, mem, a, pc)
#define rt_guest_ld32(mem, a, pc) RT_GUEST_LOAD(32, 2, mem, a, pc)
#define rt_guest_ld64(mem, a, pc) RT_GUEST_LOAD(64, 3, mem, a, pc)
#define rt_guest_st8(mem, a, value, pc) RT_GUEST_STORE(8, 0, mem, a, value, pc)
#define rt_guest_st16(mem, a, value, pc) RT_GUEST_STORE(16, 1, mem, a, value, pc)
#define rt_guest_st32(mem, a, value, pc) RT_GUEST_STORE(32, 2, mem, a, value, pc)
#define rt_guest_st64(mem, a, value, pc) RT_GUEST_STORE(64, 3, mem, a, value, pc)

#endif
