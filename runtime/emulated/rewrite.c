/*
 * runtime/emulated: the rewrite of the original code (emulated.h). Every word of an executable region
 * that encodes `svc #imm` or `mrs Xt, <tpidrro_el0|cntfrq_el0|cntpct_el0|cntvct_el0>` becomes
 * `brk #index`, index into the site table (one word for one word, so branches into the code, and
 * libnx's svc wrappers that are branched to, still land on an instruction). The whole region is
 * scanned, not only what a disassembler would find, so no original svc can reach qemu-user's Linux
 * system calls.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulated.h"
#include "memory.h"

#define SVC_MASK 0xFFE0001Fu
#define SVC_BITS 0xD4000001u
#define BRK_MASK 0xFFE0001Fu
#define BRK_BITS 0xD4200000u
#define MRS_MASK 0xFFFFFFE0u
#define MRS(key) (0xD5300000u | (uint32_t)(key) << 5)

static const struct {
  uint32_t word;
  emu_sysreg sysreg;
} rewritten_reads[] = {
    {MRS(0x5E83), SYSREG_TPIDRRO_EL0},
    {MRS(0x5F00), SYSREG_CNTFRQ_EL0},
    {MRS(0x5F01), SYSREG_CNTPCT_EL0},
    {MRS(0x5F02), SYSREG_CNTVCT_EL0},
};

static emu_site *sites;
static unsigned site_count, site_capacity;

static int add_site(uint64_t address, uint32_t word, emu_site_kind kind, uint32_t operand, emu_sysreg sysreg) {
  if (site_count == EMU_SITE_LIMIT) {
    fprintf(stderr, "fault: more than %u svc and system-register reads to rewrite (the next at 0x%" PRIx64 ")\n", EMU_SITE_LIMIT, address);
    return -1;
  }
  if (site_count == site_capacity) {
    site_capacity = site_capacity == 0 ? 256 : site_capacity * 2;
    sites = realloc(sites, site_capacity * sizeof *sites);
    if (sites == NULL) return -1;
  }
  sites[site_count] = (emu_site){address, word, kind, operand, sysreg};
  return (int)site_count++;
}

/* The site of one word, or -2 when the word is not rewritten. */
static int classify(uint64_t address, uint32_t word) {
  if ((word & SVC_MASK) == SVC_BITS) return add_site(address, word, SITE_SVC, (word >> 5) & 0xFFFFu, SYSREG_TPIDRRO_EL0);
  for (size_t i = 0; i < sizeof rewritten_reads / sizeof rewritten_reads[0]; i++) {
    if ((word & MRS_MASK) == rewritten_reads[i].word) return add_site(address, word, SITE_MRS, word & 31u, rewritten_reads[i].sysreg);
  }
  return -2;
}

int emu_rewrite_code(void) {
  for (unsigned r = 0; r < RT_REGION_COUNT; r++) {
    const rt_region *region = &rt_regions[r];
    if (!(region->permissions & RT_EXECUTE) || region->size == 0) continue;
    uint64_t first = (region->base + 3) & ~UINT64_C(3), end = (region->base + region->size) & ~UINT64_C(3);
    for (uint64_t address = first; address < end; address += 4) {
      uint8_t *host = rt_guest_base + address;
      uint32_t word;
      memcpy(&word, host, 4);
      int site = classify(address, word);
      if (site == -1) return -1;
      if (site < 0) continue;
      word = BRK_BITS | (uint32_t)site << 5;
      memcpy(host, &word, 4);
    }
  }
  return 0;
}

const emu_site *emu_site_at(uint64_t pc) {
  uint32_t word;
  if (!(rt_page_state(pc) & RT_EXECUTE)) return NULL;
  memcpy(&word, rt_guest_base + pc, 4);
  if ((word & BRK_MASK) != BRK_BITS) return NULL;
  uint32_t index = (word >> 5) & 0xFFFFu;
  return index < site_count && sites[index].address == pc ? &sites[index] : NULL;
}
