/*
 * demo: the one place that knows how services are reached. The guest build (AArch64, for the NRO)
 * issues `svc` with the numbers of docs/svc-abi.md; the native reference build
 * (-DRECOMP_DEMO_NATIVE) calls the host services of runtime/services directly.
 */
#ifndef DEMO_PLATFORM_H
#define DEMO_PLATFORM_H

#include <stdint.h>

#include "services.h"

#ifdef RECOMP_DEMO_NATIVE

static inline void plat_present(const uint32_t *pixels, uint32_t width, uint32_t height) {
  recomp_present_frame((const uint8_t *)pixels, width, height, width * 4);
}
static inline void plat_submit_audio(const int16_t *samples, uint64_t sample_frames) {
  recomp_submit_audio(samples, sample_frames);
}
static inline recomp_input_state plat_read_input(void) { return recomp_read_input(); }
static inline uint64_t plat_tick(void) { return recomp_get_system_tick(); }
static inline void plat_debug(const char *text, uint64_t size) { recomp_output_debug_string(text, size); }

#else

static inline void plat_present(const uint32_t *pixels, uint32_t width, uint32_t height) {
  register uint64_t x0 __asm__("x0") = (uint64_t)pixels;
  register uint64_t x1 __asm__("x1") = width;
  register uint64_t x2 __asm__("x2") = height;
  register uint64_t x3 __asm__("x3") = (uint64_t)width * 4;
  __asm__ volatile("svc #0xF000" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
}
static inline void plat_submit_audio(const int16_t *samples, uint64_t sample_frames) {
  register uint64_t x0 __asm__("x0") = (uint64_t)samples;
  register uint64_t x1 __asm__("x1") = sample_frames;
  __asm__ volatile("svc #0xF001" : "+r"(x0) : "r"(x1) : "memory");
}
static inline recomp_input_state plat_read_input(void) {
  register uint64_t x0 __asm__("x0");
  register uint64_t x1 __asm__("x1");
  register uint64_t x2 __asm__("x2");
  __asm__ volatile("svc #0xF002" : "=r"(x0), "=r"(x1), "=r"(x2));
  recomp_input_state state;
  state.buttons = x0;
  state.stick_l_x = (int32_t)(uint32_t)x1;
  state.stick_l_y = (int32_t)(uint32_t)(x1 >> 32);
  state.stick_r_x = (int32_t)(uint32_t)x2;
  state.stick_r_y = (int32_t)(uint32_t)(x2 >> 32);
  return state;
}
static inline uint64_t plat_tick(void) {
  register uint64_t x0 __asm__("x0");
  __asm__ volatile("svc #0x1E" : "=r"(x0));
  return x0;
}
static inline void plat_debug(const char *text, uint64_t size) {
  register uint64_t x0 __asm__("x0") = (uint64_t)text;
  register uint64_t x1 __asm__("x1") = size;
  __asm__ volatile("svc #0x27" : "+r"(x0) : "r"(x1) : "memory");
}

#endif

/* The title's whole program: returns when the demo is over. */
void demo_main(void);

#endif
