/*
 * The display part of the horizon test driver (HZ_PART=display): libnx's framebuffer path from
 * vi:m to QUEUE_BUFFER, with every parcel and surface built as libnx builds them (display/parcel.c,
 * buffer_producer.c, framebuffer.c, nvidia/ioctl/nvmap.c; written here from libnx's source, not
 * from the runtime's). Frames: a 1280x720 RGBA8888 block-linear framebuffer (two slots), then a
 * 1280x720 RGB565 pitch-linear stray layer; the test checks the captured pixels against the
 * pattern formulas below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "display-driver.h"

/* Guest scratch addresses on the heap the loader mapped (512 MiB from 0x2000000000). */
#define PARCEL_IN 0x2000010000ull
#define PARCEL_OUT 0x2000011000ull
#define NV_ARGS 0x2000012000ull
#define NV_TMEM 0x2000400000ull
#define FRAMEBUFFER 0x2001000000ull
#define LINEAR 0x2003000000ull
#define HID_MEMORY 0x62000000ull

/* ---- parcels as libnx's display/parcel.c writes them ---- */
typedef struct {
  uint8_t payload[0x400];
  uint32_t size, pos;
} parcel;

static void p_data(parcel *p, const void *data, uint32_t size) {
  uint32_t aligned = (size + 3) & ~3u;
  memset(p->payload + p->size, 0, aligned);
  if (data != NULL) memcpy(p->payload + p->size, data, size);
  p->size += aligned;
}
static void p_i32(parcel *p, int32_t v) { p_data(p, &v, 4); }
static void p_token(parcel *p) {
  static const char name[] = "android.gui.IGraphicBufferProducer";
  uint32_t length = (uint32_t)strlen(name);
  p_i32(p, 0x100);
  p_i32(p, (int32_t)length);
  uint16_t units[64] = {0};
  for (uint32_t i = 0; i < length; i++) units[i] = (uint16_t)name[i];
  p_data(p, units, (length + 1) * 2);
}
static void p_flattened(parcel *p, const void *data, uint32_t size) {
  p_i32(p, (int32_t)size);
  p_i32(p, 0);
  p_data(p, data, size);
}
static int32_t reply_i32(parcel *reply) {
  int32_t v;
  memcpy(&v, reply->payload + reply->pos, 4);
  reply->pos += 4;
  return v;
}

/* An auto-select request (libnx's SfBufferAttr_HipcAutoSelect in and out): X + A + B descriptors and one C entry. */
static uint32_t auto_request(uint32_t handle, uint32_t command, const void *raw, uint32_t raw_size, uint64_t in, uint32_t in_size, uint64_t out,
                             uint32_t out_size, int pointer) {
  uint32_t words = data_words(raw_size, 0, 0);
  header(4, 1, 1, 1, 0, words, 2 + 1, 0, 0, NULL);
  x_descriptor(0, pointer ? in : 0, pointer ? in_size : 0);
  buffer_descriptor(pointer ? 0 : in, pointer ? 0 : in_size, 0);
  buffer_descriptor(pointer ? 0 : out, pointer ? 0 : out_size, 0);
  uint32_t data_start = at;
  cmif(command, raw, raw_size);
  at = data_start + 4 * words;
  uint64_t c = pointer ? out : 0;
  w((uint32_t)c), w((uint32_t)(c >> 32) | (pointer ? out_size : 0) << 16);
  return send(handle);
}

/* parcelTransact + binderTransactParcel (TransactParcelAuto, 3): the reply parcel's payload into `reply`. */
static uint32_t transact(uint32_t relay, int32_t id, uint32_t code, const parcel *in, parcel *reply) {
  uint32_t header_words[4] = {in->size, 0x10, 0, 0x10 + in->size};
  memcpy(guest(PARCEL_IN), header_words, 16);
  memcpy(guest(PARCEL_IN + 16), in->payload, in->size);
  memset(guest(PARCEL_OUT), 0, 0x400);
  int32_t raw[3] = {id, (int32_t)code, 0};
  uint32_t rc = auto_request(relay, 3, raw, 12, PARCEL_IN, 16 + in->size, PARCEL_OUT, 0x400, 1);
  const uint8_t *out = guest(PARCEL_OUT);
  memset(reply, 0, sizeof *reply);
  reply->size = r32(out);
  memcpy(reply->payload, out + r32(out + 4), reply->size);
  return rc ? rc : r32(tls + 16 + 8); /* CMIF result (the response's data starts at 16 without a special header) */
}

/* ---- nvdrv ---- */
static uint32_t nv_ioctl(uint32_t nv, uint32_t fd, uint32_t code, void *args) {
  uint32_t size = (code >> 16) & 0x3FFF, raw[2] = {fd, code};
  memcpy(guest(NV_ARGS), args, size);
  uint32_t rc = auto_request(nv, 1, raw, 8, NV_ARGS, size, NV_ARGS + 0x800, size, 0);
  memcpy(args, guest(NV_ARGS + 0x800), size);
  printf("nvdrv Ioctl(%u, %08x): rc=0x%x error=%u\n", fd, code, rc, r32(tls + 16 + 16));
  return rc;
}

static uint32_t nv_open(uint32_t nv, const char *path) {
  size_t length = strlen(path);
  memcpy(guest(NV_ARGS), path, length);
  header(4, 0, 1, 0, 0, data_words(0, 0, 0), 0, 0, 0, NULL);
  buffer_descriptor(NV_ARGS, length, 0);
  cmif(0, NULL, 0);
  char label[64];
  snprintf(label, sizeof label, "nvdrv Open(%s)", path);
  show(label, send(nv), 0, 2, NULL);
  return r32(tls + 16 + 16);
}

/* ---- libnx's framebuffer.c conversion: linear shadow buffer -> block-linear 16Bx2 GOBs ---- */
static void convert_gob(uint8_t *outgob, const uint8_t *ingob, uint32_t stride) {
  for (uint32_t i = 0; i < 32; i++) {
    uint32_t y = ((i >> 1) & 0x06) | (i & 0x01), x = ((i << 3) & 0x10) | ((i << 1) & 0x20);
    memcpy(outgob, ingob + y * stride + x, 16);
    outgob += 16;
  }
}
static void convert_to_blocklinear(uint8_t *out, const uint8_t *in, uint32_t stride, uint32_t height, uint32_t block_height_log2) {
  uint32_t block_gobs = 1u << block_height_log2, block_px = 8u << block_height_log2;
  uint32_t width_blocks = stride >> 6, height_blocks = (height + block_px - 1) >> (3 + block_height_log2);
  for (uint32_t by = 0; by < height_blocks; by++) {
    for (uint32_t bx = 0; bx < width_blocks; bx++) {
      for (uint32_t gy = 0; gy < block_gobs; gy++) {
        uint32_t y = by * block_px + gy * 8;
        if (y < height) convert_gob(out, in + (size_t)y * stride + bx * 64, stride);
        out += 512;
      }
    }
  }
}

/* An NvGraphicBuffer serialised as bqSetPreallocatedBuffer does: GBFR header words, then the ints after the NativeHandle. */
static void graphic_buffer(parcel *p, int32_t slot, uint32_t nvmap_id, uint32_t width, uint32_t height, uint32_t format, uint64_t color,
                           uint32_t layout, uint32_t pitch, uint32_t offset, uint32_t size) {
  uint8_t nv[0x150] = {0}; /* NvGraphicBuffer, offsets from libnx's nvidia/graphic_buffer.h (AArch64) */
  uint32_t words[][2] = {{0x04, 0}, {0x08, (0x150 - 12) / 4}, {0x0C, 0xFFFFFFFF}, {0x10, nvmap_id}, {0x18, 0xDAFFCAFF}, {0x1C, 42},
                         {0x24, 0xB00}, {0x28, format}, {0x2C, format}, {0x30, pitch / (format == 4 ? 2 : 4)}, {0x34, size}, {0x38, 1},
                         {0x40, width}, {0x44, height}, {0x50, layout}, {0x54, pitch}, {0x5C, offset}, {0x60, 0xFE}, {0x64, 4}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) memcpy(nv + words[i][0], &words[i][1], 4);
  memcpy(nv + 0x48, &color, 8);
  uint64_t plane_size = size;
  memcpy(nv + 0x78, &plane_size, 8);
  uint32_t gbfr[10] = {0x47424652, width, height, pitch / (format == 4 ? 2 : 4), format, 0xB00, 42, 0, 0, (0x150 - 12) / 4};
  uint8_t flat[40 + 0x150 - 12];
  memcpy(flat, gbfr, 40);
  memcpy(flat + 40, nv + 12, 0x150 - 12);
  p_token(p);
  p_i32(p, slot);
  p_i32(p, 1);
  p_flattened(p, flat, sizeof flat);
}

static void show_hid(void) {
  const uint8_t *lifo = guest(HID_MEMORY + 0x9A00 + 8 * 0x5000 + 0x378);
  const uint8_t *state = lifo + 0x20 + 0x30 * r32(lifo + 0x10) + 8;
  printf("  hid handheld sample=%u buttons=%x\n", r32(state), r32(state + 8));
}

/* DEQUEUE_BUFFER (+ REQUEST_BUFFER the first time a slot comes), as nwindowDequeueBuffer. */
static int32_t dequeue(uint32_t relay, int32_t binder, uint32_t width, uint32_t height, uint32_t format, uint64_t *requested) {
  parcel in = {0}, reply;
  p_token(&in);
  int32_t args[5] = {1, (int32_t)width, (int32_t)height, (int32_t)format, 0xB00};
  for (int i = 0; i < 5; i++) p_i32(&in, args[i]);
  uint32_t rc = transact(relay, binder, 3, &in, &reply);
  int32_t slot = reply_i32(&reply), has_fence = reply_i32(&reply), fence_size = reply_i32(&reply), fds = reply_i32(&reply);
  printf("DEQUEUE_BUFFER: rc=0x%x slot=%d fence=%d size=%d fds=%d num_fences=%u status=%d\n", rc, slot, has_fence, fence_size, fds,
         r32(reply.payload + reply.pos), (int32_t)r32(reply.payload + reply.pos + 0x24));
  if (!(*requested & (1ull << slot))) {
    parcel request_in = {0};
    p_token(&request_in);
    p_i32(&request_in, slot);
    rc = transact(relay, binder, 1, &request_in, &reply);
    int32_t non_null = reply_i32(&reply), length = reply_i32(&reply);
    reply.pos += 4 + (((uint32_t)length + 3) & ~3u);
    printf("REQUEST_BUFFER(%d): rc=0x%x non_null=%d length=%d magic=%08x status=%d\n", slot, rc, non_null, length, r32(reply.payload + 12),
           (int32_t)r32(reply.payload + reply.pos));
    *requested |= 1ull << slot;
  }
  return slot;
}

static void queue(uint32_t relay, int32_t binder, int32_t slot) {
  parcel in = {0}, reply;
  uint8_t input[0x54] = {0}; /* BqBufferInput: crop, scaling mode, transform, swap interval 1 at 0x2C, empty fence */
  uint32_t swap = 1;
  memcpy(input + 0x2C, &swap, 4);
  p_token(&in);
  p_i32(&in, slot);
  p_flattened(&in, input, sizeof input);
  uint32_t rc = transact(relay, binder, 7, &in, &reply);
  printf("QUEUE_BUFFER(%d): rc=0x%x output=%u,%u,%u,%u status=%d\n", slot, rc, r32(reply.payload), r32(reply.payload + 4), r32(reply.payload + 8),
         r32(reply.payload + 12), (int32_t)r32(reply.payload + 16));
  show_hid();
}

/* Pattern of the RGBA8888 frames (the test recomputes it): frame f, pixel (x, y). */
static void draw_rgba(uint8_t *linear, uint32_t stride, uint32_t f) {
  for (uint32_t y = 0; y < 720; y++) {
    for (uint32_t x = 0; x < 1280; x++) {
      uint8_t *p = linear + (size_t)y * stride + x * 4;
      p[0] = (uint8_t)(x + f), p[1] = (uint8_t)y, p[2] = (uint8_t)((x ^ y) + 7 * f), p[3] = 0xFF;
    }
  }
}

/* vi:m as libnx's viInitialize(ViServiceType_Default) and viOpenDefaultDisplay/viCreateLayer open it; returns the binder id. */
static int32_t open_layer(uint32_t sm, uint32_t *relay, uint32_t *display_service, uint32_t *vsync) {
  uint32_t vi = get_service(sm, "vi:m"), service = 0, sessions[4] = {0}, policy = 1;
  show("vi:m QueryPointerBufferSize", control(vi, 3, NULL, 0), 0, 1, NULL);
  show("IManagerRootService GetDisplayService", request(vi, 2, &policy, 4, 0), 0, 0, &service);
  for (uint32_t i = 0; i < 4; i++) {
    char label[48];
    snprintf(label, sizeof label, "IApplicationDisplayService %u", 100 + i);
    show(label, request(service, 100 + i, NULL, 0, 0), 0, 0, &sessions[i]);
  }
  char name[0x40] = "Default";
  show("OpenDisplay(Default)", request(service, 1010, name, 0x40, 0), 0, 2, NULL);
  uint64_t display = 0;
  show("GetDisplayVsyncEvent", request(service, 5202, &display, 8, 0), 0, 0, NULL);
  *vsync = r32(tls + 12);
  show("GetDisplayResolution", request(service, 1102, &display, 8, 0), 0, 4, NULL);
  uint32_t oe = get_service(sm, "appletOE"), proxy = 0, self = 0, process = HOS_CURRENT_PROCESS_HANDLE;
  uint64_t reserved = 0;
  header(4, 0, 0, 0, 0, data_words(8, 0, 0), 0, 1, 1, &process);
  cmif(0, &reserved, 8);
  show("OpenApplicationProxy", send(oe), 0, 0, &proxy);
  show("IApplicationProxy GetSelfController", request(proxy, 1, NULL, 0, 0), 0, 0, &self);
  show("ISelfController CreateManagedDisplayLayer", request(self, 40, NULL, 0, 0), 0, 2, NULL);
  uint64_t layer = (uint64_t)r32(tls + 32) | (uint64_t)r32(tls + 36) << 32;
  struct {
    char name[0x40];
    uint64_t layer, aruid;
  } open = {"Default", layer, 0x51};
  uint64_t window = 0x2000013000;
  header(4, 0, 0, 1, 0, data_words(sizeof open, 0, 0), 0, 1, 0, NULL);
  buffer_descriptor(window, 0x100, 0);
  cmif(2020, &open, sizeof open);
  show("OpenLayer", send(service), 0, 2, NULL);
  const uint8_t *parcel_header = guest(window);
  const uint8_t *payload = parcel_header + r32(parcel_header + 4);
  printf("native window: payload_size=%x payload_off=%x type=%u binder=%d name=%s\n", r32(parcel_header), r32(parcel_header + 4), r32(payload),
         (int32_t)r32(payload + 8), (const char *)payload + 24);
  struct {
    uint32_t mode, pad;
    uint64_t layer;
  } scaling = {2, 0, layer};
  show("SetLayerScalingMode", request(service, 2101, &scaling, 16, 0), 0, 0, NULL);
  *relay = sessions[0];
  *display_service = service;
  return (int32_t)r32(payload + 8);
}

/* nvInitialize, nvMapInit, nvFenceInit and nvMapCreate as framebufferCreate runs them; returns the nvmap id. */
static uint32_t nv_start(uint32_t sm, uint32_t *nv_out, uint64_t address, uint32_t size) {
  uint32_t nv = get_service(sm, "nvdrv"), clone = 0, tag = 1;
  show("nvdrv QueryPointerBufferSize", control(nv, 3, NULL, 0), 0, 1, NULL);
  svc(0x15, 0, NV_TMEM, 0x800000, 0);
  uint32_t handles[2] = {HOS_CURRENT_PROCESS_HANDLE, (uint32_t)cpu.x[1]}, tmem_size = 0x800000;
  header(4, 0, 0, 0, 0, data_words(4, 0, 0), 0, 0, 2, handles);
  cmif(3, &tmem_size, 4);
  show("nvdrv Initialize", send(nv), 0, 0, NULL);
  printf("CloseHandle(tmem)=0x%x\n", (uint32_t)svc(0x16, handles[1], 0, 0, 0));
  show("nvdrv CloneCurrentObjectEx", control(nv, 4, &tag, 4), 0, 0, &clone);
  uint64_t aruid = 0x51;
  show("nvdrv SetClientPID", request(nv, 8, &aruid, 8, 1), 0, 0, NULL);
  uint32_t nvmap = nv_open(nv, "/dev/nvmap");
  nv_open(nv, "/dev/nvhost-ctrl");
  uint32_t create[2] = {size, 0};
  nv_ioctl(nv, nvmap, 0xC0080101, create);
  uint8_t alloc[0x20] = {0};
  uint32_t fields[4] = {create[1], 0, 1, 0x20000};
  memcpy(alloc, fields, 16);
  memcpy(alloc + 0x18, &address, 8);
  nv_ioctl(nv, nvmap, 0xC0200104, alloc);
  uint32_t get_id[2] = {0, create[1]};
  nv_ioctl(nv, nvmap, 0xC008010E, get_id);
  printf("nvmap handle=%u id=%x\n", create[1], get_id[0]);
  *nv_out = nv;
  return get_id[0];
}

/* binderInitSession, binderGetNativeHandle and bqConnect as nwindowCreate runs them; returns the buffer-available event. */
static uint32_t connect_window(uint32_t relay, int32_t binder) {
  int32_t refcount[3] = {binder, 1, 0};
  show("IHOSBinderDriver AdjustRefcount(weak)", request(relay, 1, refcount, 12, 0), 0, 0, NULL);
  refcount[2] = 1;
  show("IHOSBinderDriver AdjustRefcount(strong)", request(relay, 1, refcount, 12, 0), 0, 0, NULL);
  int32_t native[2] = {binder, 0x0F};
  show("IHOSBinderDriver GetNativeHandle", request(relay, 2, native, 8, 0), 0, 0, NULL);
  uint32_t event = r32(tls + 12);
  parcel in = {0}, reply;
  p_token(&in);
  p_i32(&in, 0), p_i32(&in, 2), p_i32(&in, 0);
  uint32_t rc = transact(relay, binder, 10, &in, &reply);
  printf("CONNECT: rc=0x%x output=%u,%u,%u,%u status=%d\n", rc, r32(reply.payload), r32(reply.payload + 4), r32(reply.payload + 8),
         r32(reply.payload + 12), (int32_t)r32(reply.payload + 16));
  return event;
}

static void wait_event(uint32_t event, const char *what) {
  memcpy(guest(0x2000014000), &event, 4);
  uint32_t rc = (uint32_t)svc(0x18, 0, 0x2000014000, 1, 0);
  printf("Wait(%s, 0)=0x%x\n", what, rc);
}

void display_part(uint32_t sm) {
  uint32_t hid = get_service(sm, "hid"), resource = 0;
  uint64_t aruid = 0x51;
  request(hid, 0, &aruid, 8, 1);
  show("hid CreateAppletResource", request(hid, 0, &aruid, 8, 1), 0, 0, &resource);
  request(resource, 0, NULL, 0, 0);
  svc(0x13, r32(tls + 12), HID_MEMORY, 0x40000, 1);
  show_hid();
  uint32_t relay, service, vsync, nv;
  int32_t binder = open_layer(sm, &relay, &service, &vsync);
  uint32_t binder_event = connect_window(relay, binder);
  /* framebufferCreate(1280, 720, RGBA8888, 2): pitch 5120, height aligned to 128 rows. */
  const uint32_t pitch = 1280 * 4, fb_size = pitch * 768, buf_size = (2 * fb_size + 0xFFF) & ~0xFFFu;
  uint32_t nvmap_id = nv_start(sm, &nv, FRAMEBUFFER, buf_size);
  for (int32_t slot = 0; slot < 2; slot++) {
    parcel in = {0}, reply;
    graphic_buffer(&in, slot, nvmap_id, 1280, 720, 1, 0x100532120ull, 3, pitch, (uint32_t)slot * fb_size, fb_size);
    uint32_t rc = transact(relay, binder, 14, &in, &reply);
    printf("SET_PREALLOCATED_BUFFER(%d): rc=0x%x reply=%u\n", slot, rc, reply.size);
  }
  uint64_t requested = 0;
  for (uint32_t f = 0; f < 3; f++) {
    wait_event(binder_event, "binder event");
    int32_t slot = dequeue(relay, binder, 1280, 720, 1, &requested);
    draw_rgba(guest(LINEAR), pitch, f);
    convert_to_blocklinear(guest(FRAMEBUFFER + (uint64_t)slot * fb_size), guest(LINEAR), pitch, 720, 4);
    queue(relay, binder, slot);
  }
  wait_event(vsync, "vsync");
  /* A stray layer with a 1280x720 RGB565 pitch-linear surface: pixel (x, y) = (x & 31) << 11 | (y & 63) << 5 | (x + y) & 31. */
  struct {
    uint32_t flags, pad;
    uint64_t display;
  } stray = {0, 0, 0};
  header(4, 0, 0, 1, 0, data_words(16, 0, 0), 0, 0, 0, NULL);
  buffer_descriptor(0x2000013000, 0x100, 0);
  cmif(2030, &stray, 16);
  show("CreateStrayLayer", send(service), 0, 4, NULL);
  int32_t stray_binder = (int32_t)r32(guest(0x2000013000 + 0x10 + 8));
  connect_window(relay, stray_binder);
  uint64_t stray_memory = FRAMEBUFFER + 0x800000;
  uint32_t create[2] = {2560 * 720, 0};
  nv_ioctl(nv, 1, 0xC0080101, create);
  uint8_t alloc[0x20] = {0};
  uint32_t fields[4] = {create[1], 0, 1, 0x1000};
  memcpy(alloc, fields, 16);
  memcpy(alloc + 0x18, &stray_memory, 8);
  nv_ioctl(nv, 1, 0xC0200104, alloc);
  uint32_t get_id[2] = {0, create[1]};
  nv_ioctl(nv, 1, 0xC008010E, get_id);
  parcel in = {0}, reply;
  graphic_buffer(&in, 0, get_id[0], 1280, 720, 4, 0x10A881210ull, 1, 2560, 0, 2560 * 720);
  printf("SET_PREALLOCATED_BUFFER(565): rc=0x%x\n", transact(relay, stray_binder, 14, &in, &reply));
  requested = 0;
  int32_t slot = dequeue(relay, stray_binder, 1280, 720, 4, &requested);
  for (uint32_t y = 0; y < 720; y++) {
    for (uint32_t x = 0; x < 1280; x++) {
      uint16_t v = (uint16_t)((x & 31) << 11 | (y & 63) << 5 | ((x + y) & 31));
      memcpy(guest(stray_memory + y * 2560 + x * 2), &v, 2);
    }
  }
  queue(relay, stray_binder, slot);
  parcel query_in = {0};
  p_token(&query_in);
  p_i32(&query_in, 1);
  uint32_t rc = transact(relay, stray_binder, 9, &query_in, &reply);
  int32_t value = reply_i32(&reply);
  printf("QUERY(height): rc=0x%x value=%d status=%d\n", rc, value, reply_i32(&reply));
  parcel disconnect_in = {0};
  p_token(&disconnect_in);
  p_i32(&disconnect_in, 2);
  rc = transact(relay, stray_binder, 11, &disconnect_in, &reply);
  printf("DISCONNECT: rc=0x%x status=%d\n", rc, reply_i32(&reply));
}

/* Fault cases of the display path (HZ_CASE): each stops the run with a fault naming the request. */
void display_fault(const char *name, uint32_t sm) {
  if (strcmp(name, "nv-device") == 0) {
    uint32_t nv = get_service(sm, "nvdrv");
    nv_open(nv, "/dev/nvhost-as-gpu");
  }
  if (strcmp(name, "binder-code") != 0 && strcmp(name, "surface-nvmap") != 0) return;
  uint32_t relay, service, vsync;
  int32_t binder = open_layer(sm, &relay, &service, &vsync);
  connect_window(relay, binder);
  parcel in = {0}, reply;
  if (strcmp(name, "binder-code") == 0) {
    p_token(&in);
    transact(relay, binder, 13, &in, &reply); /* ALLOCATE_BUFFERS */
  }
  /* A slot described over an nvmap id that was never allocated: queueing it cannot find the memory. */
  graphic_buffer(&in, 0, 0x10042, 1280, 720, 1, 0x100532120ull, 3, 5120, 0, 5120 * 768);
  transact(relay, binder, 14, &in, &reply);
  uint64_t requested = 0;
  queue(relay, binder, dequeue(relay, binder, 1280, 720, 1, &requested));
}
