/*
 * runtime/core: what the emitted program provides to the runtime (tables written by `recomp`'s
 * emitter into program.c) and what the runtime provides to the emitted functions.
 */
#ifndef RECOMP_PROGRAM_H
#define RECOMP_PROGRAM_H

#include <stdint.h>

#include "a64/fp_state.h"
#include "cpu.h"
#include "memory.h"
/* The helpers (a64.h, one header per instruction group) are included by each unit that calls them. */

/* What a lifted function gives back: the address its `ret` branched to, and x0. */
typedef struct rt_return {
  uint64_t pc, x0;
} rt_return;
/*
 * A lifted function (docs/runtime-core.md, "Calls"): x0, x1 and x30 come as C arguments, and their CPU-state copies
 * may be stale; the other registers are in the CPU state. It stores there what it may change (but x0), and gives
 * x0 and the return address back in two host registers.
 */
typedef rt_return (*rt_guest_fn)(recomp_cpu *cpu, uint64_t x0, uint64_t x1, uint64_t x30);
/* The program's entry as the personality runs it: every register in the CPU state before and after. */
typedef void (*rt_entry_fn)(recomp_cpu *cpu);

typedef struct rt_function {
  uint64_t address;
  rt_guest_fn fn;
  const char *name;
} rt_function;

typedef struct rt_segment {
  const char *path; /* image file, relative to the build folder */
  uint64_t base, file_size;
} rt_segment;

/* Emitted: functions sorted by address, segment images, entry, initial stack pointer. */
extern const rt_function rt_functions[];
extern const unsigned rt_function_count;
extern const rt_segment rt_segments[];
extern const unsigned rt_segment_count;
extern const rt_entry_fn rt_entry;
extern const uint64_t rt_stack_top;

/* Runs a lifted function over the CPU state: its arguments from it, x0 and the returned address (`pc`) into it. */
static inline void rt_invoke(recomp_cpu *cpu, rt_guest_fn fn) {
  rt_return result = fn(cpu, cpu->x[0], cpu->x[1], cpu->x[30]);
  cpu->x[0] = result.x0;
  cpu->pc = result.pc;
}

/* Runtime: indirect calls and jumps through the function table (rt_invoke), return-address checks. */
void rt_call_indirect(recomp_cpu *cpu, uint64_t target, uint64_t pc);
RT_NORETURN void rt_bad_return(uint64_t returned, uint64_t expected, uint64_t pc);
/* A jump table the lifter proved complete was left for another address: its read-only bytes changed. */
RT_NORETURN void rt_table_miss(uint64_t target, uint64_t pc);
RT_NORETURN void rt_trap(const char *reason, uint64_t pc);
/*
 * A direct call to a function that does not return (the lift's trap `reason` follows it at `ret`): the call, the
 * return-address check and the trap in one call that never returns, so the caller keeps no value across it.
 */
RT_NORETURN void rt_call_no_return(recomp_cpu *cpu, rt_guest_fn fn, uint64_t ret, uint64_t pc, const char *reason);
/*
 * Called before an indirect branch to an address with no lifted function faults; a personality may end
 * the process there (horizon: libnx's exit path branches to the homebrew loader's return address). NULL: none.
 */
extern void (*rt_unlifted_branch)(recomp_cpu *cpu, uint64_t target);

/* The personality: the svc ABI and the counter (Horizon services, or Linux for tests). */
int rt_personality_init(int argc, char **argv);
void rt_svc(recomp_cpu *cpu, uint32_t imm, uint64_t pc);
/* An svc from lifted code: the service sees FPSR whole and runs in the host's default FP environment. */
static inline void rt_guest_svc(recomp_cpu *cpu, uint32_t imm, uint64_t pc) {
  rt_fp_guest_leave(cpu);
  rt_svc(cpu, imm, pc);
  rt_fp_guest_enter(cpu);
}
uint64_t rt_counter(void);
uint64_t rt_counter_frequency(void);
/* Sets up the CPU, runs the entry function and gives the process exit status (memory is mapped and loaded). */
int rt_personality_run(void);

/* Single-thread exclusives: a store succeeds (0) when the monitor still holds its address. */
static inline uint64_t rt_store_exclusive(recomp_cpu *cpu, uint64_t address) {
  int ok = cpu->exclusive_valid && cpu->exclusive_addr == address;
  cpu->exclusive_valid = 0;
  return ok ? 0 : 1;
}

#endif
