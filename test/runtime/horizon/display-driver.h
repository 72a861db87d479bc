/* The display and audio parts of the horizon test driver (selected by HZ_PART). */
#ifndef HZ_TEST_DISPLAY_DRIVER_H
#define HZ_TEST_DISPLAY_DRIVER_H

#include <stdint.h>

#define HOS_CURRENT_PROCESS_HANDLE 0xFFFF8001u

void display_part(uint32_t sm);
void audio_part(uint32_t sm);
void fs_part(uint32_t sm);
/* The display path's fault cases (HZ_CASE nv-device, binder-code, surface-nvmap). */
void display_fault(const char *name, uint32_t sm);

#endif
