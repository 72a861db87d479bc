/*
 * runtime/core: process entry. Allocates the regions of the memory map, loads the segment images
 * (paths relative to the build folder: the executable's folder, or RECOMP_BUILD_DIR), sets up the
 * CPU (sp at the top of the stack region, x30 = 0), lets the personality set up what its entry
 * expects, and runs the guest entry function.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

static char *build_path(const char *argv0, const char *relative) {
  const char *dir = getenv("RECOMP_BUILD_DIR");
  size_t dir_length;
  if (dir != NULL) {
    dir_length = strlen(dir);
  } else {
    const char *slash = strrchr(argv0, '/');
    dir = slash == NULL ? "." : argv0;
    dir_length = slash == NULL ? 1 : (size_t)(slash - argv0);
  }
  char *path = malloc(dir_length + strlen(relative) + 2);
  if (path == NULL) return NULL;
  memcpy(path, dir, dir_length);
  path[dir_length] = '/';
  strcpy(path + dir_length + 1, relative);
  return path;
}

static int load_segment(const char *argv0, const rt_segment *segment) {
  char *path = build_path(argv0, segment->path);
  if (path == NULL) return -1;
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    free(path);
    return -1;
  }
  for (uint64_t done = 0; done < segment->file_size;) {
    uint64_t chunk = segment->file_size - done < 65536 ? segment->file_size - done : 65536;
    uint8_t *host = rt_host(segment->base + done, chunk, 0, 0);
    size_t got = fread(host, 1, (size_t)chunk, file);
    if (got != chunk) {
      fprintf(stderr, "%s: expected %" PRIu64 " bytes\n", path, segment->file_size);
      fclose(file);
      free(path);
      return -1;
    }
    done += chunk;
  }
  fclose(file);
  free(path);
  return 0;
}

int main(int argc, char **argv) {
  int status = rt_personality_init(argc, argv);
  if (status != 0) return status;
  for (unsigned i = 0; i < RT_REGION_COUNT; i++) {
    rt_regions[i].host = calloc(1, (size_t)rt_regions[i].size);
    if (rt_regions[i].host == NULL) {
      fprintf(stderr, "cannot allocate region %s\n", rt_regions[i].name);
      return 3;
    }
  }
  for (unsigned i = 0; i < rt_segment_count; i++) {
    if (load_segment(argv[0], &rt_segments[i]) != 0) return 3;
  }
  static recomp_cpu cpu;
  cpu.sp = rt_stack_top;
  rt_personality_start(&cpu);
  rt_entry(&cpu);
  return rt_personality_exit(&cpu);
}
