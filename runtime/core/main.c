/*
 * runtime/core: process entry. Reserves the guest address space, maps the regions of the memory
 * map in it, loads the segment images (paths relative to the build folder: the executable's
 * folder, or RECOMP_BUILD_DIR), then hands over to the personality, which sets up the CPU and runs
 * the guest entry function.
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

/*
 * Maps a region's pages (regions need not be page-aligned) adding `permissions`, or with 0 clears what they
 * had; an empty region (an ELF's zero-size LOAD) maps nothing.
 */
static int map_region(const rt_region *region, unsigned permissions) {
  if (region->size == 0) return 0;
  uint64_t base = region->base & ~(RT_PAGE_SIZE - 1);
  uint64_t end = (region->base + region->size + RT_PAGE_SIZE - 1) & ~(RT_PAGE_SIZE - 1);
  int status = end <= base ? -1 : permissions == 0 ? rt_protect(base, end - base, 0) : rt_map_keep(base, end - base, permissions);
  if (status != 0) {
    fprintf(stderr, "region %s (0x%" PRIx64 " + 0x%" PRIx64 ") is outside the guest address space (below 0x%" PRIx64 ")\n",
            region->name, region->base, region->size, RT_GUEST_SPACE_SIZE);
  }
  return status;
}

int main(int argc, char **argv) {
  int status = rt_personality_init(argc, argv);
  if (status != 0) return status;
  if (rt_memory_init() != 0) return 3;
  /* Regions are writable while the images load; then each gets its permissions (a shared page gets both). */
  for (unsigned i = 0; i < RT_REGION_COUNT; i++) {
    if (map_region(&rt_regions[i], RT_READ | RT_WRITE) != 0) return 3;
    rt_regions[i].host = rt_guest_base + rt_regions[i].base;
  }
  for (unsigned i = 0; i < rt_segment_count; i++) {
    if (load_segment(argv[0], &rt_segments[i]) != 0) return 3;
  }
  for (unsigned i = 0; i < RT_REGION_COUNT; i++) (void)map_region(&rt_regions[i], 0);
  for (unsigned i = 0; i < RT_REGION_COUNT; i++) (void)map_region(&rt_regions[i], rt_regions[i].permissions);
  return rt_personality_run();
}
