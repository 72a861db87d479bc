/*
 * runtime/horizon/services/vi: the display service (vi:m, vi:u), its binder relay
 * (IHOSBinderDriver, Android's IGraphicBufferProducer in parcels) and frame presentation: each
 * QUEUE_BUFFER converts the queued surface to RGB, writes it through the frame capture, advances
 * virtual time one frame and updates hid from the replay script.
 */
#ifndef HOS_SERVICES_VI_H
#define HOS_SERVICES_VI_H

#include <stdint.h>

#include "ipc/server.h"

/* The display libnx opens ("Default"): 1280x720, as handheld. */
#define VI_DISPLAY_WIDTH 1280u
#define VI_DISPLAY_HEIGHT 720u

hos_object *hos_vi_open(const char *name);

/* The IHOSBinderDriver relay (GetRelayService / GetIndirectDisplayTransactionService). */
hos_object *vi_binder_driver_create(const char *service);
/* A new buffer queue for a layer; returns its binder id (the native window parcel names it). */
int32_t vi_binder_create_queue(void);

/* A surface as SET_PREALLOCATED_BUFFER describes it (one plane of an NvGraphicBuffer). */
typedef struct vi_surface {
  uint32_t nvmap_id;
  uint32_t width, height, pitch, offset, block_height_log2, layout;
  uint64_t color_format, size;
} vi_surface;

/* NvLayout and the NvColorFormat values libnx's framebuffer uses. */
#define VI_LAYOUT_PITCH 1u
#define VI_LAYOUT_BLOCK_LINEAR 3u
#define VI_COLOR_A8B8G8R8 UINT64_C(0x100532120)
#define VI_COLOR_X8B8G8R8 UINT64_C(0x10A532120)
#define VI_COLOR_R5G6B5 UINT64_C(0x10A881210)

/* The display's vsync event is signalled once per presented frame. */
void vi_signal_vsync(void);

/* Presents one frame from `surface` (converted to RGBA, then captured); faults naming the request on a bad surface. */
void vi_present(const hos_request *request, const vi_surface *surface);

#endif
