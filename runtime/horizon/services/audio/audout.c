/*
 * runtime/horizon/services/audio: IAudioOutManager ("audout:u") and IAudioOut, commands as
 * libnx's services/audout.c sends them (the Auto forms from 3.0.0 and the older A/B forms).
 * Appended buffers (AudioOutBuffer: next, buffer, buffer_size, data_size, data_offset) are played
 * in order into the capture; played ones are released (GetReleasedAudioOutBuffers returns their
 * AudioOutBuffer addresses) and the buffer event is signalled.
 */
#include <string.h>

#include "kernel/kernel.h"
#include "memory.h"
#include "services.h"
#include "services/audio/audio.h"
#include "services/registry.h"

#define AUDOUT_DEVICE "DeviceOut"
#define AUDOUT_NAME_SIZE 0x100u
#define AUDOUT_MAX_BUFFERS 32u
#define AUDOUT_CHANNELS 2u
#define AUDOUT_PCM_INT16 2u
enum { AUDOUT_STARTED = 0, AUDOUT_STOPPED = 1 };
#define AUDIO_RESULT_INVALID_ARGUMENT HOS_MAKE_RESULT(153, 2)
#define AUDIO_RESULT_BUFFER_COUNT_REACHED HOS_MAKE_RESULT(153, 8)
#define AUDIO_RESULT_NOT_FOUND HOS_MAKE_RESULT(153, 1)

typedef struct audio_buffer {
  uint64_t tag;               /* the guest's AudioOutBuffer address */
  uint64_t samples, frames;   /* guest address of the PCM data and its sample frames */
  uint64_t played;
} audio_buffer;

static struct {
  int open;
  uint32_t state;
  float volume;
  hos_event *event;
  audio_buffer queued[AUDOUT_MAX_BUFFERS];
  uint32_t queued_count;
  uint64_t released[AUDOUT_MAX_BUFFERS];
  uint32_t released_count;
  uint64_t played_total;
} out;

/* Adds up to `frames` sample frames of the head buffer to `mix` (stereo); releases it when it ends. */
static uint64_t play_head(int32_t *mix, uint64_t frames) {
  audio_buffer *head = &out.queued[0];
  uint64_t n = head->frames - head->played < frames ? head->frames - head->played : frames;
  const uint8_t *pcm = rt_host(head->samples + head->played * 4, n * 4, RT_READ, 0);
  for (uint64_t i = 0; i < 2 * n; i++) {
    int16_t sample;
    memcpy(&sample, pcm + 2 * i, 2);
    float v = out.volume == 1.0f ? (float)sample : (float)sample * out.volume;
    mix[i] += (int32_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : v);
  }
  head->played += n;
  out.played_total += n;
  if (head->played == head->frames) {
    if (out.released_count < AUDOUT_MAX_BUFFERS) out.released[out.released_count++] = head->tag;
    memmove(&out.queued[0], &out.queued[1], (out.queued_count - 1) * sizeof out.queued[0]);
    out.queued_count--;
    hos_event_signal(out.event);
  }
  return n;
}

void hos_audout_render(int32_t *mix, uint64_t frames) {
  while (frames > 0 && out.open && out.state == AUDOUT_STARTED && out.queued_count > 0) {
    uint64_t n = play_head(mix, frames);
    mix += 2 * n, frames -= n;
  }
}

/* Every thread waits: a started output plays its next buffer to the end. */
uint64_t hos_audout_idle_frames(void) {
  if (!out.open || out.state != AUDOUT_STARTED || out.queued_count == 0) return 0;
  return out.queued[0].frames - out.queued[0].played;
}

static hos_result get_state(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u32(request, out.state);
  return HOS_SUCCESS;
}

static hos_result start(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  out.state = AUDOUT_STARTED;
  return HOS_SUCCESS;
}

static hos_result stop(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  out.state = AUDOUT_STOPPED;
  return HOS_SUCCESS;
}

/* AppendAudioOutBuffer (3 A buffer, 7 auto): u64 tag; the AudioOutBuffer struct in the buffer. */
static hos_result append(hos_request *request, hos_guest_buffer descriptor) {
  if (descriptor.size < 0x28) hos_request_fault(request, "gives an AudioOutBuffer smaller than 0x28 bytes");
  const uint8_t *record = hos_guest(request, (hos_guest_buffer){descriptor.address, 0x28}, RT_READ);
  uint64_t buffer, buffer_size, data_size, data_offset;
  memcpy(&buffer, record + 8, 8), memcpy(&buffer_size, record + 0x10, 8);
  memcpy(&data_size, record + 0x18, 8), memcpy(&data_offset, record + 0x20, 8);
  if (data_offset > buffer_size || data_size > buffer_size - data_offset || data_size % (2 * AUDOUT_CHANNELS) != 0) return AUDIO_RESULT_INVALID_ARGUMENT;
  if (out.queued_count == AUDOUT_MAX_BUFFERS) return AUDIO_RESULT_BUFFER_COUNT_REACHED;
  if (data_size > 0) hos_guest(request, (hos_guest_buffer){buffer + data_offset, data_size}, RT_READ);
  out.queued[out.queued_count++] = (audio_buffer){hos_in_u64(request, 0), buffer + data_offset, data_size / (2 * AUDOUT_CHANNELS), 0};
  return HOS_SUCCESS;
}

static hos_result append_buffer(hos_object *self, hos_request *request) {
  (void)self;
  return append(request, hos_buffer_in(request, 0));
}
static hos_result append_buffer_auto(hos_object *self, hos_request *request) {
  (void)self;
  return append(request, hos_auto_in(request, 0, 0));
}

static hos_result register_buffer_event(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t handle = hos_event_readable_handle(out.event);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}

/* GetReleasedAudioOutBuffers (5 B buffer, 8 auto): the released AudioOutBuffer addresses (u64 each) -> u32 count. */
static hos_result get_released(hos_request *request, hos_guest_buffer buffer) {
  uint32_t count = (uint32_t)(buffer.size / 8) < out.released_count ? (uint32_t)(buffer.size / 8) : out.released_count;
  if (count > 0) memcpy(hos_guest(request, (hos_guest_buffer){buffer.address, count * 8u}, RT_WRITE), out.released, count * 8u);
  memmove(out.released, out.released + count, (out.released_count - count) * 8u);
  out.released_count -= count;
  hos_out_u32(request, count);
  return HOS_SUCCESS;
}

static hos_result get_released_buffers(hos_object *self, hos_request *request) {
  (void)self;
  return get_released(request, hos_buffer_out(request, 0));
}
static hos_result get_released_buffers_auto(hos_object *self, hos_request *request) {
  (void)self;
  return get_released(request, hos_auto_out(request, 0, 0));
}

static hos_result contains_buffer(hos_object *self, hos_request *request) {
  (void)self;
  uint64_t tag = hos_in_u64(request, 0);
  uint8_t found = 0;
  for (uint32_t i = 0; i < out.queued_count; i++) found |= out.queued[i].tag == tag;
  hos_out_u8(request, found);
  return HOS_SUCCESS;
}

static hos_result get_buffer_count(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u32(request, out.queued_count);
  return HOS_SUCCESS;
}

static hos_result get_played_sample_count(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u64(request, out.played_total);
  return HOS_SUCCESS;
}

/* FlushAudioOutBuffers (11): queued buffers are released unplayed -> u8 whether any was. */
static hos_result flush_buffers(hos_object *self, hos_request *request) {
  (void)self;
  uint8_t flushed = out.queued_count > 0;
  for (uint32_t i = 0; i < out.queued_count && out.released_count < AUDOUT_MAX_BUFFERS; i++) out.released[out.released_count++] = out.queued[i].tag;
  out.queued_count = 0;
  if (flushed) hos_event_signal(out.event);
  hos_out_u8(request, flushed);
  return HOS_SUCCESS;
}

static hos_result set_volume(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t bits = hos_in_u32(request, 0);
  float volume;
  memcpy(&volume, &bits, 4);
  if (!(volume >= 0.0f && volume <= 1.0f)) return AUDIO_RESULT_INVALID_ARGUMENT;
  out.volume = volume;
  return HOS_SUCCESS;
}

static hos_result get_volume(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t bits;
  memcpy(&bits, &out.volume, 4);
  hos_out_u32(request, bits);
  return HOS_SUCCESS;
}

HOS_INTERFACE(audio_out, "IAudioOut", {0, get_state}, {1, start}, {2, stop}, {3, append_buffer}, {4, register_buffer_event},
              {5, get_released_buffers}, {6, contains_buffer}, {7, append_buffer_auto}, {8, get_released_buffers_auto},
              {9, get_buffer_count}, {10, get_played_sample_count}, {11, flush_buffers}, {12, set_volume}, {13, get_volume});

static void write_device_name(hos_request *request, hos_guest_buffer buffer) {
  if (buffer.size == 0) return;
  uint8_t *name = hos_guest(request, buffer, RT_WRITE);
  uint64_t size = buffer.size < AUDOUT_NAME_SIZE ? buffer.size : AUDOUT_NAME_SIZE;
  memset(name, 0, size);
  memcpy(name, AUDOUT_DEVICE, size < sizeof AUDOUT_DEVICE ? size - 1 : sizeof AUDOUT_DEVICE);
}

/* ListAudioOuts (0 B buffer, 2 auto): the device names, 0x100 bytes each -> u32 count. */
static hos_result list(hos_request *request, hos_guest_buffer names) {
  write_device_name(request, names);
  hos_out_u32(request, names.size >= AUDOUT_NAME_SIZE ? 1 : 0);
  return HOS_SUCCESS;
}
static hos_result list_audio_outs(hos_object *self, hos_request *request) {
  (void)self;
  return list(request, hos_buffer_out(request, 0));
}
static hos_result list_audio_outs_auto(hos_object *self, hos_request *request) {
  (void)self;
  return list(request, hos_auto_out(request, 0, 0));
}

/*
 * OpenAudioOut (1 A/B, 3 auto): {u32 sample rate, u16 channels, u16 reserved, u64 ARUID}, pid,
 * process handle, the device name in (empty: the default) and out -> {rate, channels, PCM format,
 * state} and the IAudioOut. Rate 0 and channels 0 mean the defaults (48 kHz, 2).
 */
static hos_result open_out(hos_object *self, hos_request *request, hos_guest_buffer name_in, hos_guest_buffer name_out) {
  if (hos_in_copy_handle(request, 0) != HOS_CURRENT_PROCESS) return KERN_INVALID_HANDLE;
  uint32_t rate = hos_in_u32(request, 0), channels = hos_in_u32(request, 4) & 0xFFFF;
  if ((rate != 0 && rate != RECOMP_AUDIO_SAMPLE_RATE) || (channels != 0 && channels != AUDOUT_CHANNELS)) return AUDIO_RESULT_INVALID_ARGUMENT;
  if (name_in.size > 0) {
    const char *name = (const char *)hos_guest(request, name_in, RT_READ);
    if (name[0] != 0 && strncmp(name, AUDOUT_DEVICE, name_in.size) != 0) return AUDIO_RESULT_NOT_FOUND;
  }
  if (out.open) return AUDIO_RESULT_INVALID_ARGUMENT; /* one output at a time */
  write_device_name(request, name_out);
  out.open = 1, out.state = AUDOUT_STOPPED, out.volume = 1.0f;
  out.event = hos_event_create("audout buffer event");
  /* The output starts at the current frame's time: the capture before it is silence. */
  hos_audio_sink_open();
  hos_out_u32(request, RECOMP_AUDIO_SAMPLE_RATE);
  hos_out_u32(request, AUDOUT_CHANNELS);
  hos_out_u32(request, AUDOUT_PCM_INT16);
  hos_out_u32(request, out.state);
  hos_out_object(request, hos_object_create(&audio_out, self->service, self->pointer_buffer_size, NULL));
  return HOS_SUCCESS;
}
static hos_result open_audio_out(hos_object *self, hos_request *request) {
  return open_out(self, request, hos_buffer_in(request, 0), hos_buffer_out(request, 0));
}
static hos_result open_audio_out_auto(hos_object *self, hos_request *request) {
  return open_out(self, request, hos_auto_in(request, 0, 0), hos_auto_out(request, 0, 0));
}

HOS_INTERFACE(audio_out_manager, "IAudioOutManager", {0, list_audio_outs}, {1, open_audio_out}, {2, list_audio_outs_auto},
              {3, open_audio_out_auto});

hos_object *hos_audout_open(const char *name) { return hos_object_create(&audio_out_manager, name, 0x1000, NULL); }
