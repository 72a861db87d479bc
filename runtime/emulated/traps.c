/*
 * runtime/emulated: running the original code natively (under qemu-aarch64) between traps.
 *
 * A guest thread runs on its host context (the scheduler's, as in the recompiled build) in emu_run:
 * the host enters the guest with `brk #EMU_BRK_ENTER`, whose signal handler replaces the whole
 * signal context (x0-x30, sp, pc, NZCV, v0-v31, FPCR, FPSR) with the thread's recomp_cpu and sets
 * tpidr_el0, so sigreturn lands in the guest with exactly its registers. The next trap (a rewritten
 * word, a fault, or the return to the x30 the run started with) saves the context back into the
 * recomp_cpu and siglongjmps to the host, which serves the trap through the runtime (rt_svc,
 * rt_counter) and enters again. The handler runs on its own signal stack and gives the host its
 * tpidr_el0 back before any C library code runs.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "emulated.h"
#include "memory.h"
#include "program.h"

#if !defined(__aarch64__)
#error "runtime/emulated is the AArch64 host of the emulated reference"
#endif

/* The FP/SIMD record of the signal frame (struct fpsimd_context of <asm/sigcontext.h>, which <signal.h> includes). */
typedef struct fpsimd_context fpsimd_record;

typedef struct runner {
  recomp_cpu *cpu;
  uint64_t return_to;
  sigjmp_buf host;
  int signal;
  uint64_t fault_address;
} runner;

static runner *volatile active;
static volatile int entering;
static uint64_t host_tpidr;

static fpsimd_record *fpsimd_of(mcontext_t *m) {
  for (size_t at = 0; at + 8 <= sizeof m->__reserved;) {
    fpsimd_record *record = (fpsimd_record *)(void *)(m->__reserved + at);
    if (record->head.magic == FPSIMD_MAGIC) return record;
    if (record->head.magic == 0 || record->head.size == 0) break;
    at += record->head.size;
  }
  return NULL;
}

static void load_context(mcontext_t *m, const recomp_cpu *cpu) {
  memcpy(m->regs, cpu->x, sizeof cpu->x);
  m->sp = cpu->sp;
  m->pc = cpu->pc;
  m->pstate = (m->pstate & ~UINT64_C(0xF0000000)) | (uint64_t)cpu->flags.n << 31 | (uint64_t)cpu->flags.z << 30 | (uint64_t)cpu->flags.c << 29 | (uint64_t)cpu->flags.v << 28;
  fpsimd_record *fp = fpsimd_of(m);
  if (fp != NULL) {
    memcpy(fp->vregs, cpu->vreg, sizeof cpu->vreg);
    fp->fpsr = cpu->fpsr;
    fp->fpcr = cpu->fpcr;
  }
}

static void save_context(recomp_cpu *cpu, mcontext_t *m) {
  memcpy(cpu->x, m->regs, sizeof cpu->x);
  cpu->sp = m->sp;
  cpu->pc = m->pc;
  rt_nzcv_set(&cpu->flags, (unsigned)(m->pstate >> 28 & 0xF));
  fpsimd_record *fp = fpsimd_of(m);
  if (fp != NULL) {
    memcpy(cpu->vreg, fp->vregs, sizeof cpu->vreg);
    cpu->fpsr = fp->fpsr;
    cpu->fpcr = fp->fpcr;
  }
}

static void on_signal(int sig, siginfo_t *info, void *context) {
  uint64_t guest_tpidr;
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(guest_tpidr));
  __asm__ volatile("msr tpidr_el0, %0" : : "r"(host_tpidr));
  mcontext_t *m = &((ucontext_t *)context)->uc_mcontext;
  runner *r = active;
  if (sig == SIGTRAP && entering && r != NULL) {
    entering = 0;
    load_context(m, r->cpu);
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(r->cpu->tpidr_el0));
    return;
  }
  if (r == NULL) {
    /* A fault of the host itself: let it crash with its signal. */
    signal(sig, SIG_DFL);
    return;
  }
  active = NULL;
  save_context(r->cpu, m);
  r->cpu->tpidr_el0 = guest_tpidr;
  r->signal = sig;
  r->fault_address = (uint64_t)(uintptr_t)info->si_addr;
  siglongjmp(r->host, 1);
}

static void install_handlers(void) {
  static int installed;
  if (installed) return;
  installed = 1;
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(host_tpidr));
  static uint8_t signal_stack[1 << 16];
  stack_t stack = {.ss_sp = signal_stack, .ss_size = sizeof signal_stack};
  struct sigaction action = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_ONSTACK};
  sigemptyset(&action.sa_mask);
  if (sigaltstack(&stack, NULL) != 0 || sigaction(SIGTRAP, &action, NULL) != 0 || sigaction(SIGSEGV, &action, NULL) != 0 ||
      sigaction(SIGBUS, &action, NULL) != 0 || sigaction(SIGILL, &action, NULL) != 0) {
    rt_trap("the emulated host cannot install its signal handlers", 0);
  }
}

static uint64_t system_register(const recomp_cpu *cpu, emu_sysreg sysreg) {
  switch (sysreg) {
    case SYSREG_TPIDRRO_EL0:
      return cpu->tpidrro_el0;
    case SYSREG_CNTFRQ_EL0:
      return rt_counter_frequency();
    case SYSREG_CNTPCT_EL0:
    case SYSREG_CNTVCT_EL0:
      return rt_counter();
  }
  return 0;
}

/* A fault of the guest, located as the recompiled build locates its own (docs/reference-emulated.md). */
RT_NORETURN static void guest_fault(const runner *r) {
  uint64_t pc = r->cpu->pc, address = r->fault_address;
  unsigned state = rt_page_state(address);
  char what[160];
  if (r->signal == SIGILL) {
    uint32_t word = 0;
    if (rt_page_state(pc) & RT_READ) memcpy(&word, rt_guest_base + pc, 4);
    snprintf(what, sizeof what, "undefined instruction 0x%08" PRIx32, word);
    rt_trap(what, pc);
  }
  if (r->signal == SIGTRAP) {
    uint32_t word = 0;
    memcpy(&word, rt_guest_base + pc, 4);
    snprintf(what, sizeof what, "brk #0x%" PRIx32 " is not a rewritten svc or system-register read at its own address (word 0x%08" PRIx32 ")",
             (word >> 5) & 0xFFFFu, word);
    rt_trap(what, pc);
  }
  if (address == pc) rt_fault(state & RT_MAPPED ? "branch to memory that is not executable" : "branch outside guest memory", address, 4, pc);
  if (!(state & RT_MAPPED)) rt_fault("access outside guest memory", address, 0, pc);
  if ((state & RT_EXECUTE) && !(state & RT_WRITE)) {
    rt_fault("write to the program's own code, which the emulated reference has rewritten and cannot run modified", address, 0, pc);
  }
  rt_fault(state & RT_READ ? "write to memory that is not writable" : "read of memory that is not readable", address, 0, pc);
}

void emu_run(recomp_cpu *cpu, uint64_t start) {
  install_handlers();
  runner r = {.cpu = cpu, .return_to = cpu->x[30]};
  cpu->pc = start;
  for (;;) {
    if (sigsetjmp(r.host, 1) == 0) {
      active = &r;
      entering = 1;
      __asm__ volatile("brk #0xf000" ::: "memory"); /* EMU_BRK_ENTER */
      rt_trap("the emulated host could not enter the guest", cpu->pc);
    }
    if (r.signal == SIGSEGV && cpu->pc == r.return_to && r.fault_address == r.return_to) return;
    const emu_site *site = r.signal == SIGTRAP ? emu_site_at(cpu->pc) : NULL;
    if (site == NULL) guest_fault(&r);
    uint64_t pc = cpu->pc;
    cpu->pc = pc + 4;
    if (site->kind == SITE_SVC) {
      rt_svc(cpu, site->operand, pc);
    } else if (site->operand != 31) {
      cpu->x[site->operand] = system_register(cpu, site->sysreg);
    }
  }
}

void emu_entry(recomp_cpu *cpu) {
  if (emu_rewrite_code() != 0) exit(3);
  rt_memory_seal();
  emu_run(cpu, emu_entry_address);
}

/* The scheduler starts a thread at its entry; the entry returning (to its x30) comes back here. */
void rt_call_indirect(recomp_cpu *cpu, uint64_t target, uint64_t pc) {
  (void)pc;
  emu_run(cpu, target);
}

RT_NORETURN void rt_bad_return(uint64_t returned, uint64_t expected, uint64_t pc) {
  (void)returned;
  (void)expected;
  rt_trap("bad return", pc);
}
