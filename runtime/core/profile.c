/*
 * runtime/core: the execution profile (docs/runtime-core.md "Optimisation tiers"). The Makefile's
 * profiling build (`make recomp-title-profile`) compiles the lifted units with GCC's
 * -finstrument-functions, which calls __cyg_profile_func_enter at every entry of a lifted function; this
 * file counts those entries per guest function and, when the run stops (any exit, a fault's too),
 * writes the functions that ran to $RECOMP_PROFILE_OUT, sorted by guest address: the file `recomp emit
 * --profile` reads. The counts depend only on the guest's execution, which is deterministic, so the same
 * run gives the same file. In the ordinary build nothing calls this code.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "program.h"

#define RT_NO_PROFILE __attribute__((no_instrument_function))

static const char *profile_path;
static uint64_t *calls;           /* per rt_functions index */
static unsigned *by_host_address; /* rt_functions indices sorted by host function address */

static RT_NO_PROFILE int host_address_order(const void *a, const void *b) {
  uintptr_t left = (uintptr_t)rt_functions[*(const unsigned *)a].fn, right = (uintptr_t)rt_functions[*(const unsigned *)b].fn;
  return left < right ? -1 : left > right;
}

static RT_NO_PROFILE void write_profile(void) {
  FILE *file = fopen(profile_path, "w");
  if (file == NULL) {
    perror(profile_path);
    return;
  }
  fputs("# recomp execution profile 1: guest function entry, calls (recomp emit --profile)\n", file);
  /* rt_functions is sorted by guest address: the file is too. */
  for (unsigned i = 0; i < rt_function_count; i++) {
    if (calls[i] != 0) fprintf(file, "0x%" PRIx64 " %" PRIu64 "\n", rt_functions[i].address, calls[i]);
  }
  if (fclose(file) != 0) perror(profile_path);
}

/* The first entry: the output file is required (a profiling build run without it would count for nothing). */
static RT_NO_PROFILE void start_profile(void) {
  profile_path = getenv("RECOMP_PROFILE_OUT");
  if (profile_path == NULL || profile_path[0] == 0) {
    fprintf(stderr, "this is the profiling build (recomp-title-profile): set RECOMP_PROFILE_OUT to the file the profile goes to\n");
    exit(2);
  }
  calls = calloc(rt_function_count, sizeof *calls);
  by_host_address = malloc(rt_function_count * sizeof *by_host_address);
  if (calls == NULL || by_host_address == NULL || atexit(write_profile) != 0) {
    fprintf(stderr, "cannot set up the execution profile\n");
    exit(3);
  }
  for (unsigned i = 0; i < rt_function_count; i++) by_host_address[i] = i;
  qsort(by_host_address, rt_function_count, sizeof *by_host_address, host_address_order);
}

RT_NO_PROFILE void __cyg_profile_func_enter(void *fn, void *call_site) {
  (void)call_site;
  if (calls == NULL) start_profile();
  unsigned low = 0, high = rt_function_count;
  while (low < high) {
    unsigned middle = low + (high - low) / 2;
    uintptr_t host = (uintptr_t)rt_functions[by_host_address[middle]].fn;
    if (host == (uintptr_t)fn) {
      calls[by_host_address[middle]]++;
      return;
    }
    if (host < (uintptr_t)fn) low = middle + 1;
    else high = middle;
  }
}

RT_NO_PROFILE void __cyg_profile_func_exit(void *fn, void *call_site) {
  (void)fn;
  (void)call_site;
}
