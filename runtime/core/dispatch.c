/* runtime/core: indirect control flow through the table of lifted functions, and fatal stops. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "program.h"

/*
 * Indirect calls look the target up in an open-addressing hash index of rt_functions (built on first
 * use, at most half full, linear probing): constant time on average instead of a binary search.
 * Only lookups touch it, so its layout never shows in a run's behaviour.
 */
static const rt_function **function_index;
static unsigned index_bits;

static size_t index_slot(uint64_t address) {
  /* Fibonacci hashing of the word address: the top bits of the product spread nearby entries. */
  return (size_t)(((address >> 2) * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - index_bits));
}

static void build_function_index(void) {
  index_bits = 1;
  while ((UINT64_C(1) << index_bits) < 2 * (uint64_t)rt_function_count) index_bits++;
  size_t size = (size_t)1 << index_bits;
  function_index = calloc(size, sizeof *function_index);
  if (function_index == NULL) {
    fprintf(stderr, "fault: no memory for the index of %u lifted functions\n", rt_function_count);
    exit(3);
  }
  for (unsigned i = 0; i < rt_function_count; i++) {
    size_t slot = index_slot(rt_functions[i].address);
    while (function_index[slot] != NULL) slot = (slot + 1) & (size - 1);
    function_index[slot] = &rt_functions[i];
  }
}

static const rt_function *find_function(uint64_t address) {
  if (function_index == NULL) build_function_index();
  size_t mask = ((size_t)1 << index_bits) - 1;
  for (size_t slot = index_slot(address);; slot = (slot + 1) & mask) {
    const rt_function *function = function_index[slot];
    if (function == NULL || function->address == address) return function;
  }
}

void rt_call_indirect(recomp_cpu *cpu, uint64_t target, uint64_t pc) {
  const rt_function *function = find_function(target);
  if (function == NULL) {
    if (rt_unlifted_branch != NULL) rt_unlifted_branch(cpu, target);
    fprintf(stderr, "fault: indirect branch to 0x%" PRIx64 ", which is not a lifted function (instruction at 0x%" PRIx64 ")\n", target, pc);
    exit(3);
  }
  rt_invoke(cpu, function->fn);
}

RT_NORETURN void rt_table_miss(uint64_t target, uint64_t pc) {
  fprintf(stderr, "fault: indirect branch to 0x%" PRIx64 ", outside the jump table the lifter proved complete (instruction at 0x%" PRIx64 ")\n", target, pc);
  exit(3);
}

RT_NORETURN void rt_bad_return(uint64_t returned, uint64_t expected, uint64_t pc) {
  fprintf(stderr, "fault: call at 0x%" PRIx64 " returned to 0x%" PRIx64 " instead of 0x%" PRIx64 "\n", pc, returned, expected);
  exit(3);
}

RT_NORETURN void rt_call_no_return(recomp_cpu *cpu, rt_guest_fn fn, uint64_t ret, uint64_t pc, const char *reason) {
  rt_invoke(cpu, fn);
  if (cpu->pc != ret) rt_bad_return(cpu->pc, ret, pc);
  rt_trap(reason, ret);
}
