/*
 * What recomp emit's guest.c gives the runtime, for drivers that call the horizon personality
 * directly: one stack region, no segments (the driver provides its "lifted" functions).
 */
#include "program.h"

rt_region rt_regions[RT_REGION_COUNT] = {{"stack", 0x3000000000ull, 0x100000, RT_READ | RT_WRITE, 0}};
const rt_segment rt_segments[1] = {{"", 0, 0}};
const unsigned rt_segment_count = 0;
const uint64_t rt_stack_top = 0x3000100000ull;
