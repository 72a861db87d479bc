/*
 * What recomp emit's guest.c gives the runtime, for drivers that call the horizon personality
 * directly: one stack region, no lifted functions, no segments.
 */
#include "program.h"

rt_region rt_regions[RT_REGION_COUNT] = {{"stack", 0x3000000000ull, 0x100000, RT_READ | RT_WRITE, 0}};
const rt_segment rt_segments[1] = {{"", 0, 0}};
const unsigned rt_segment_count = 0;
static void no_entry(recomp_cpu *cpu) { (void)cpu; }
const rt_function rt_functions[1] = {{0, no_entry, "none"}};
const unsigned rt_function_count = 0;
const rt_guest_fn rt_entry = no_entry;
const uint64_t rt_stack_top = 0x3000100000ull;
