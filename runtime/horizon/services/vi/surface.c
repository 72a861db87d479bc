/*
 * runtime/horizon/services/vi: reading a surface out of guest memory. Block-linear surfaces are
 * the GPU's layout libnx's framebuffer writes (framebuffer.c): blocks one GOB (64 bytes x 8
 * rows) wide and 2^block_height_log2 GOBs tall, blocks row by row across the pitch; inside a GOB
 * the 16-byte sectors are swizzled (the 16Bx2 order). Pitch-linear surfaces are rows of `pitch`
 * bytes. Pixels become RGBA8888 for the frame capture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "services.h"
#include "services/audio/audio.h"
#include "services/hid/hid.h"
#include "services/nv/nv.h"
#include "services/vi/vi.h"

/* Byte offset of byte column x, row y (x < 64, y < 8) inside a GOB. */
static uint32_t gob_offset(uint32_t x, uint32_t y) {
  return (x >> 5) * 256 + (y >> 1) * 64 + ((x >> 4) & 1) * 32 + (y & 1) * 16 + (x & 15);
}

/* Offset of byte column xb, row y in the surface. */
static uint64_t surface_offset(const vi_surface *surface, uint32_t xb, uint32_t y) {
  if (surface->layout == VI_LAYOUT_PITCH) return (uint64_t)y * surface->pitch + xb;
  uint32_t block_rows = 8u << surface->block_height_log2, width_blocks = surface->pitch / 64;
  uint64_t block = (uint64_t)(y / block_rows) * width_blocks + xb / 64;
  uint32_t gob = (y % block_rows) / 8;
  return block * (64u * block_rows) + gob * 512u + gob_offset(xb % 64, y % 8);
}

static uint32_t bytes_per_pixel(uint64_t color_format) {
  if (color_format == VI_COLOR_A8B8G8R8 || color_format == VI_COLOR_X8B8G8R8) return 4;
  if (color_format == VI_COLOR_R5G6B5) return 2;
  return 0;
}

/* The bytes a surface of this shape covers (the last block row is whole for block-linear). */
static uint64_t surface_extent(const vi_surface *surface) {
  if (surface->layout == VI_LAYOUT_PITCH) return (uint64_t)surface->pitch * surface->height;
  uint32_t block_rows = 8u << surface->block_height_log2;
  return (uint64_t)surface->pitch * ((surface->height + block_rows - 1) / block_rows * block_rows);
}

static void to_rgba(const vi_surface *surface, const uint8_t *memory, uint8_t *rgba) {
  uint32_t bpp = bytes_per_pixel(surface->color_format);
  int opaque = surface->color_format == VI_COLOR_X8B8G8R8;
  for (uint32_t y = 0; y < surface->height; y++) {
    for (uint32_t x = 0; x < surface->width; x++) {
      const uint8_t *p = memory + surface_offset(surface, x * bpp, y);
      uint8_t *out = rgba + ((size_t)y * surface->width + x) * 4;
      if (bpp == 4) {
        memcpy(out, p, 4);
        if (opaque) out[3] = 0xFF;
      } else { /* RGB565: red in bits 15-11, green 10-5, blue 4-0 */
        uint32_t v = p[0] | (uint32_t)p[1] << 8, r = v >> 11, g = (v >> 5) & 0x3F, b = v & 0x1F;
        out[0] = (uint8_t)(r << 3 | r >> 2), out[1] = (uint8_t)(g << 2 | g >> 4), out[2] = (uint8_t)(b << 3 | b >> 2), out[3] = 0xFF;
      }
    }
  }
}

static RT_NORETURN void bad_surface(const hos_request *request, const char *what, uint64_t value, const char *why) {
  char problem[160];
  snprintf(problem, sizeof problem, "queues a surface with %s 0x%llx, %s", what, (unsigned long long)value, why);
  hos_request_fault(request, problem);
}

void vi_present(const hos_request *request, const vi_surface *surface) {
  uint32_t bpp = bytes_per_pixel(surface->color_format);
  if (bpp == 0) bad_surface(request, "color format", surface->color_format, "which is not supported");
  if (surface->layout != VI_LAYOUT_PITCH && surface->layout != VI_LAYOUT_BLOCK_LINEAR) bad_surface(request, "layout", surface->layout, "which is not supported");
  if (surface->width == 0 || surface->height == 0 || surface->width > RECOMP_MAX_FRAME_DIMENSION || surface->height > RECOMP_MAX_FRAME_DIMENSION) {
    bad_surface(request, "width x height", (uint64_t)surface->width << 32 | surface->height, "which is not supported");
  }
  if (surface->pitch < surface->width * bpp || (surface->layout == VI_LAYOUT_BLOCK_LINEAR && surface->pitch % 64 != 0)) {
    bad_surface(request, "pitch", surface->pitch, "which does not fit its width and layout");
  }
  if (surface->layout == VI_LAYOUT_BLOCK_LINEAR && surface->block_height_log2 > 5) bad_surface(request, "block height log2", surface->block_height_log2, "which is not supported");
  uint64_t address, size, extent = surface_extent(surface);
  if (!hos_nvmap_find(surface->nvmap_id, &address, &size)) bad_surface(request, "nvmap id", surface->nvmap_id, "which is not allocated");
  if (surface->offset > size || extent > size - surface->offset) bad_surface(request, "offset", surface->offset, "whose extent runs past its nvmap object");
  const uint8_t *memory = hos_guest(request, (hos_guest_buffer){address + surface->offset, extent}, RT_READ);
  uint8_t *rgba = malloc((size_t)surface->width * surface->height * 4);
  if (rgba == NULL) hos_request_fault(request, "needs more host memory than there is for its frame");
  to_rgba(surface, memory, rgba);
  recomp_log_frame();
  uint32_t status = recomp_present_frame(rgba, surface->width, surface->height, surface->width * 4);
  free(rgba);
  if (status != RECOMP_RESULT_SUCCESS) {
    char problem[128];
    snprintf(problem, sizeof problem, "presents a %ux%u frame after frames of another size (a capture keeps one size)", surface->width, surface->height);
    hos_request_fault(request, problem);
  }
  vi_signal_vsync();
  hos_hid_update();
  hos_audio_frame();
}
