/*
 * runtime/horizon/services/audio: IAudioRendererManager ("audren:u") and IAudioRenderer, as
 * libnx's services/audren.c and its audio driver (source/audio/) use them. RequestUpdate reads the
 * input parameters (AudioRendererUpdateDataHeader, behavior, memory pools, channels, voices, mixes,
 * sinks, performance; libnx's audren.h layouts) and writes the output ones (memory pool states,
 * voice progress, sinks, performance, behavior). What it renders: PCM16 wave buffers of voices
 * at 48 kHz (no pitch or rate conversion), scaled by the voice volume and its channel's mix
 * factors into the final mix's buffers, scaled by the final mix volume, to the device sink's
 * inputs (output channels 0 and 1 of the sink). Effects, submixes, splitters, ADPCM and other
 * rates are faults naming them. The renderer's frame is 240 sample frames (5 ms): its system
 * event is signalled at the end of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "memory.h"
#include "services.h"
#include "services/audio/audio.h"
#include "services/registry.h"

#define AUDREN_FRAME 240u
#define AUDREN_MAX_VOICES 1024u
#define AUDREN_MAX_MIX_BUFFERS 24u
#define AUDREN_PCM_INT16 2u
enum { VOICE_STARTED = 0 };
enum { POOL_REQUEST_DETACH = 2, POOL_DETACHED = 3, POOL_REQUEST_ATTACH = 4, POOL_ATTACHED = 5 };
enum { SINK_DEVICE = 1 };
/* Sizes of libnx's audren.h structures (each checked with sizeof in test/runtime/horizon). */
enum {
  HEADER_SIZE = 0x40, BEHAVIOR_IN_SIZE = 0x10, BEHAVIOR_OUT_SIZE = 0xB0, POOL_IN_SIZE = 0x20, POOL_OUT_SIZE = 0x10,
  CHANNEL_IN_SIZE = 0x70, VOICE_IN_SIZE = 0x170, VOICE_OUT_SIZE = 0x10, WAVEBUF_SIZE = 0x38, MIX_IN_SIZE = 0x930,
  SINK_IN_SIZE = 0x140, SINK_OUT_SIZE = 0x20, PERF_IN_SIZE = 0x10, PERF_OUT_SIZE = 0x10,
};
#define AUDIO_RESULT_INVALID_ARGUMENT HOS_MAKE_RESULT(153, 2)

typedef struct wave_buffer {
  int valid, looping;
  uint64_t address, size;
  uint32_t start, end; /* sample offsets */
} wave_buffer;

typedef struct voice {
  int used;
  uint32_t state, channel_count, channel_ids[6];
  float volume;
  wave_buffer buffers[4];
  uint32_t head;   /* the buffer playing: the server's own ring index */
  uint32_t offset; /* sample frames played of it */
  uint64_t played;
  uint32_t consumed;
} voice;

typedef struct pool {
  uint64_t address, size;
  uint32_t state;
} pool;

static struct {
  int open, started;
  uint32_t revision, mix_buffers, voice_count, pool_count, sink_count, submix_count;
  voice *voices;
  pool *pools;
  float (*channel_mix)[AUDREN_MAX_MIX_BUFFERS]; /* per channel info id: factor into each final mix buffer */
  float final_volume;
  int sink_used;
  uint32_t sink_inputs[2], sink_input_count;
  uint64_t phase; /* sample frames into the current renderer frame */
  uint32_t time_limit;
  hos_event *event;
} ren;

static uint32_t le32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint64_t le64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static float lef(const uint8_t *p) {
  float v;
  memcpy(&v, p, 4);
  return v;
}

static RT_NORETURN void update_fault(hos_request *request, const char *what, uint64_t index, uint64_t value) {
  char problem[200];
  snprintf(problem, sizeof problem, "updates the audio renderer with %s %llu = 0x%llx, which is not implemented", what, (unsigned long long)index, (unsigned long long)value);
  hos_request_fault(request, problem);
}

/* 1 when [address, address + size) lies in a memory pool that is (or is being) attached. */
static int in_attached_pool(uint64_t address, uint64_t size) {
  for (uint32_t i = 0; i < ren.pool_count; i++) {
    const pool *p = &ren.pools[i];
    if ((p->state == POOL_ATTACHED || p->state == POOL_REQUEST_ATTACH) && address >= p->address && size <= p->size && address - p->address <= p->size - size) return 1;
  }
  return 0;
}

static void update_pools(const uint8_t *in, uint8_t *out) {
  for (uint32_t i = 0; i < ren.pool_count; i++, in += POOL_IN_SIZE, out += POOL_OUT_SIZE) {
    uint32_t state = le32(in + 16), next = state == POOL_REQUEST_ATTACH ? POOL_ATTACHED : state == POOL_REQUEST_DETACH ? POOL_DETACHED : 0;
    ren.pools[i] = (pool){le64(in), le64(in + 8), next != 0 ? next : state};
    memset(out, 0, POOL_OUT_SIZE);
    memcpy(out, &next, 4);
  }
}

static void update_channels(const uint8_t *in) {
  for (uint32_t i = 0; i < ren.voice_count; i++, in += CHANNEL_IN_SIZE) {
    for (uint32_t b = 0; b < AUDREN_MAX_MIX_BUFFERS; b++) ren.channel_mix[i][b] = in[0x64] ? lef(in + 4 + 4 * b) : 0.0f;
  }
}

static void update_wave_buffers(hos_request *request, voice *v, uint32_t index, const uint8_t *in) {
  for (uint32_t j = 0; j < 4; j++) {
    const uint8_t *w = in + 0x60 + j * WAVEBUF_SIZE;
    if (w[26] != 0) continue; /* sent_to_server: the server has it already */
    wave_buffer b = {1, w[24] != 0, le64(w), le64(w + 8), le32(w + 16), le32(w + 20)};
    uint64_t bytes = (uint64_t)b.end * v->channel_count * 2;
    if (b.end <= b.start || bytes > b.size) update_fault(request, "a wave buffer whose sample range does not fit its size, voice", index, b.end);
    if (!in_attached_pool(b.address, b.size)) update_fault(request, "a wave buffer outside every attached memory pool, voice", index, b.address);
    hos_guest(request, (hos_guest_buffer){b.address, bytes}, RT_READ);
    v->buffers[j] = b;
  }
}

static void update_voices(hos_request *request, const uint8_t *in, uint8_t *out) {
  for (uint32_t i = 0; i < ren.voice_count; i++, in += VOICE_IN_SIZE, out += VOICE_OUT_SIZE) {
    voice *v = &ren.voices[i];
    if (in[8] != 0) memset(v, 0, sizeof *v); /* is_new */
    v->used = in[9];
    if (v->used) {
      if (in[11] != AUDREN_PCM_INT16) update_fault(request, "a voice of sample format other than PCM16, voice", i, in[11]);
      if (le32(in + 12) != RECOMP_AUDIO_SAMPLE_RATE || lef(in + 28) != 1.0f) update_fault(request, "a voice needing rate conversion (rate, pitch), voice", i, le32(in + 12));
      if (le32(in + 88) != 0) update_fault(request, "a voice whose destination is a submix, voice", i, le32(in + 88));
      v->state = in[10];
      v->channel_count = le32(in + 24);
      if (v->channel_count == 0 || v->channel_count > 6) update_fault(request, "a voice channel count, voice", i, v->channel_count);
      v->volume = lef(in + 32);
      for (uint32_t c = 0; c < 6; c++) v->channel_ids[c] = le32(in + 0x140 + 4 * c);
      for (uint32_t c = 0; c < v->channel_count; c++) {
        if (v->channel_ids[c] >= ren.voice_count) update_fault(request, "a voice channel id, voice", i, v->channel_ids[c]);
      }
      update_wave_buffers(request, v, i, in);
    }
    memset(out, 0, VOICE_OUT_SIZE);
    memcpy(out, &v->played, 8);
    memcpy(out + 8, &v->consumed, 4);
  }
}

static void update_mixes(hos_request *request, const uint8_t *in) {
  for (uint32_t i = 0; i <= ren.submix_count; i++, in += MIX_IN_SIZE) {
    if (!in[12]) continue;
    if (le32(in + 16) != 0) update_fault(request, "a used submix, mix", i, le32(in + 16));
    ren.final_volume = lef(in);
  }
}

static void update_sinks(hos_request *request, const uint8_t *in, uint8_t *out) {
  ren.sink_used = 0;
  for (uint32_t i = 0; i < ren.sink_count; i++, in += SINK_IN_SIZE, out += SINK_OUT_SIZE) {
    memset(out, 0, SINK_OUT_SIZE);
    if (!in[1]) continue;
    if (in[0] != SINK_DEVICE) update_fault(request, "a sink of type other than device, sink", i, in[0]);
    if (ren.sink_used) update_fault(request, "a second device sink, sink", i, 0);
    ren.sink_used = 1;
    ren.sink_input_count = le32(in + 288) < 2 ? le32(in + 288) : 2;
    for (uint32_t c = 0; c < ren.sink_input_count; c++) {
      ren.sink_inputs[c] = in[292 + c];
      if (ren.sink_inputs[c] >= ren.mix_buffers) update_fault(request, "a sink input beyond the mix buffers, sink", i, ren.sink_inputs[c]);
    }
  }
}

/* A section size of the input header must be what the renderer's counts give. */
static void expect_size(hos_request *request, const char *section, uint32_t got, uint64_t want) {
  if (got == want) return;
  char problem[160];
  snprintf(problem, sizeof problem, "sends %s of 0x%x bytes to the audio renderer (its parameters give 0x%llx)", section, got, (unsigned long long)want);
  hos_request_fault(request, problem);
}

/* RequestUpdate (4 A/B, 10 auto): out parameters, performance buffer, in parameters. */
static hos_result request_update(hos_request *request, hos_guest_buffer out_buffer, hos_guest_buffer in_buffer) {
  if (in_buffer.size < HEADER_SIZE) hos_request_fault(request, "sends audio renderer input parameters smaller than their header");
  const uint8_t *header = hos_guest(request, (hos_guest_buffer){in_buffer.address, HEADER_SIZE}, RT_READ);
  uint32_t pools = le32(header + 8), voices = le32(header + 12), channels = le32(header + 16), effects = le32(header + 20), mixes = le32(header + 24), sinks = le32(header + 28);
  expect_size(request, "memory pools", pools, (uint64_t)ren.pool_count * POOL_IN_SIZE);
  expect_size(request, "voices", voices, (uint64_t)ren.voice_count * VOICE_IN_SIZE);
  expect_size(request, "channels", channels, (uint64_t)ren.voice_count * CHANNEL_IN_SIZE);
  expect_size(request, "effects", effects, 0);
  expect_size(request, "mixes", mixes, (uint64_t)(ren.submix_count + 1) * MIX_IN_SIZE);
  expect_size(request, "sinks", sinks, (uint64_t)ren.sink_count * SINK_IN_SIZE);
  uint64_t in_size = HEADER_SIZE + BEHAVIOR_IN_SIZE + (uint64_t)pools + channels + voices + mixes + sinks + PERF_IN_SIZE;
  uint64_t out_size = HEADER_SIZE + (uint64_t)ren.pool_count * POOL_OUT_SIZE + (uint64_t)ren.voice_count * VOICE_OUT_SIZE + (uint64_t)ren.sink_count * SINK_OUT_SIZE + PERF_OUT_SIZE + BEHAVIOR_OUT_SIZE;
  if (in_buffer.size < in_size) hos_request_fault(request, "sends audio renderer input parameters smaller than their sections");
  if (out_buffer.size < out_size) hos_request_fault(request, "gives an audio renderer output buffer smaller than its sections");
  const uint8_t *in = hos_guest(request, (hos_guest_buffer){in_buffer.address, in_size}, RT_READ);
  uint8_t *out = hos_guest(request, (hos_guest_buffer){out_buffer.address, out_size}, RT_WRITE);
  memset(out, 0, out_size);
  const uint8_t *at = in + HEADER_SIZE + BEHAVIOR_IN_SIZE;
  uint8_t *out_at = out + HEADER_SIZE;
  update_pools(at, out_at);
  at += pools, out_at += (uint64_t)ren.pool_count * POOL_OUT_SIZE;
  update_channels(at);
  at += channels;
  update_voices(request, at, out_at);
  at += voices, out_at += (uint64_t)ren.voice_count * VOICE_OUT_SIZE;
  update_mixes(request, at);
  at += mixes;
  update_sinks(request, at, out_at);
  uint32_t out_header[16] = {ren.revision, BEHAVIOR_OUT_SIZE, ren.pool_count * POOL_OUT_SIZE, ren.voice_count * VOICE_OUT_SIZE, 0, 0, 0, ren.sink_count * SINK_OUT_SIZE, PERF_OUT_SIZE};
  out_header[15] = (uint32_t)out_size;
  memcpy(out, out_header, sizeof out_header);
  return HOS_SUCCESS;
}

static hos_result request_update_buffers(hos_object *self, hos_request *request) {
  (void)self;
  return request_update(request, hos_buffer_out(request, 0), hos_buffer_in(request, 0));
}
static hos_result request_update_auto(hos_object *self, hos_request *request) {
  (void)self;
  return request_update(request, hos_auto_out(request, 0, 0), hos_auto_in(request, 0, 0));
}

/* One voice's next `frames` sample frames (at most), mixed into the final mix `buffers`; returns how many it had. */
static void render_voice(voice *v, float *buffers, uint64_t frames) {
  for (uint64_t f = 0; f < frames; f++) {
    wave_buffer *b = &v->buffers[v->head];
    if (!b->valid) return;
    for (uint32_t c = 0; c < v->channel_count; c++) {
      int16_t sample;
      memcpy(&sample, rt_host(b->address + ((uint64_t)(b->start + v->offset) * v->channel_count + c) * 2, 2, RT_READ, 0), 2);
      const float *factors = ren.channel_mix[v->channel_ids[c]];
      for (uint32_t m = 0; m < ren.mix_buffers; m++) buffers[f * AUDREN_MAX_MIX_BUFFERS + m] += (float)sample * v->volume * factors[m];
    }
    v->played++;
    if (++v->offset < b->end - b->start) continue;
    v->offset = 0;
    if (b->looping) continue;
    b->valid = 0;
    v->consumed++;
    v->head = (v->head + 1) & 3;
  }
}

void hos_audren_render(int32_t *mix, uint64_t frames) {
  if (!ren.open || !ren.started) return;
  static float buffers[1024 * AUDREN_MAX_MIX_BUFFERS];
  while (frames > 0) {
    uint64_t n = AUDREN_FRAME - ren.phase < frames ? AUDREN_FRAME - ren.phase : frames;
    if (n > 1024) n = 1024;
    memset(buffers, 0, n * AUDREN_MAX_MIX_BUFFERS * sizeof(float));
    for (uint32_t i = 0; i < ren.voice_count; i++) {
      if (ren.voices[i].used && ren.voices[i].state == VOICE_STARTED) render_voice(&ren.voices[i], buffers, n);
    }
    for (uint64_t f = 0; ren.sink_used && f < n; f++) {
      for (uint32_t c = 0; c < ren.sink_input_count; c++) {
        float v = buffers[f * AUDREN_MAX_MIX_BUFFERS + ren.sink_inputs[c]] * ren.final_volume;
        mix[2 * f + c] += (int32_t)(v >= 0.0f ? v + 0.5f : v - 0.5f);
      }
    }
    mix += 2 * n, frames -= n;
    ren.phase += n;
    if (ren.phase == AUDREN_FRAME) {
      ren.phase = 0;
      hos_event_signal(ren.event);
    }
  }
}

/* Every thread waits: a started renderer plays to the end of its frame, unless its event is still unanswered. */
uint64_t hos_audren_idle_frames(void) {
  if (!ren.open || !ren.started || ren.event->signaled) return 0;
  return AUDREN_FRAME - ren.phase;
}

static hos_result get_u32(hos_request *request, uint32_t value) {
  hos_out_u32(request, value);
  return HOS_SUCCESS;
}
static hos_result get_sample_rate(hos_object *self, hos_request *request) {
  (void)self;
  return get_u32(request, RECOMP_AUDIO_SAMPLE_RATE);
}
static hos_result get_sample_count(hos_object *self, hos_request *request) {
  (void)self;
  return get_u32(request, AUDREN_FRAME);
}
static hos_result get_mix_buffer_count(hos_object *self, hos_request *request) {
  (void)self;
  return get_u32(request, ren.mix_buffers);
}
static hos_result get_state(hos_object *self, hos_request *request) {
  (void)self;
  return get_u32(request, ren.started ? 0 : 1);
}
static hos_result start(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  ren.started = 1;
  return HOS_SUCCESS;
}
static hos_result stop(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  ren.started = 0;
  return HOS_SUCCESS;
}
static hos_result query_system_event(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t handle = hos_event_readable_handle(ren.event);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}
static hos_result set_time_limit(hos_object *self, hos_request *request) {
  (void)self;
  ren.time_limit = hos_in_u32(request, 0);
  return HOS_SUCCESS;
}
static hos_result get_time_limit(hos_object *self, hos_request *request) {
  (void)self;
  return get_u32(request, ren.time_limit);
}

HOS_INTERFACE(audio_renderer, "IAudioRenderer", {0, get_sample_rate}, {1, get_sample_count}, {2, get_mix_buffer_count}, {3, get_state},
              {4, request_update_buffers}, {5, start}, {6, stop}, {7, query_system_event}, {8, set_time_limit}, {9, get_time_limit},
              {10, request_update_auto});

/*
 * AudioRendererParameter (libnx's audren.c, 0x34 bytes): sample rate, sample count, mix buffer,
 * submix, voice, sink and effect counts, two unknowns, splitter count, two unknowns, revision.
 * Returns 0 when it is one this renderer serves, else faults naming the field.
 */
static void check_parameter(hos_request *request) {
  static const char *const fields[] = {"sample rate", "sample count", "mix buffer count", "submix count", "voice count", "sink count", "effect count"};
  uint32_t value[7];
  for (uint32_t i = 0; i < 7; i++) value[i] = hos_in_u32(request, 4 * i);
  int bad = -1;
  if (value[0] != RECOMP_AUDIO_SAMPLE_RATE) bad = 0;
  else if (value[1] != AUDREN_FRAME) bad = 1;
  else if (value[2] == 0 || value[2] > AUDREN_MAX_MIX_BUFFERS) bad = 2;
  else if (value[3] > 255) bad = 3;
  else if (value[4] == 0 || value[4] > AUDREN_MAX_VOICES) bad = 4;
  else if (value[5] == 0 || value[5] > 255) bad = 5;
  else if (value[6] != 0) bad = 6;
  else if (hos_in_u32(request, 0x28) != 0) bad = 7;
  uint32_t revision = hos_in_u32(request, 0x30);
  if (bad < 0 && (revision < 0x31564552u || revision > 0x34564552u)) bad = 8;
  if (bad < 0) return;
  char problem[160];
  const char *name = bad == 7 ? "splitter count" : bad == 8 ? "revision" : fields[bad];
  snprintf(problem, sizeof problem, "asks for an audio renderer with %s 0x%x, which is not implemented", name, bad == 7 ? hos_in_u32(request, 0x28) : bad == 8 ? revision : value[bad]);
  hos_request_fault(request, problem);
}

/* GetWorkBufferSize (1): a fixed function of the counts (the renderer keeps its state on the host). */
static hos_result get_work_buffer_size(hos_object *self, hos_request *request) {
  (void)self;
  check_parameter(request);
  uint64_t size = 0x4000 + (uint64_t)hos_in_u32(request, 16) * 0x400 + (uint64_t)hos_in_u32(request, 8) * AUDREN_FRAME * 4;
  hos_out_u64(request, size);
  return HOS_SUCCESS;
}

/* OpenAudioRenderer (0): parameter, padding, work buffer size, ARUID; pid; work buffer and process handles. */
static hos_result open_audio_renderer(hos_object *self, hos_request *request) {
  check_parameter(request);
  if (hos_in_copy_handle(request, 1) != HOS_CURRENT_PROCESS) return KERN_INVALID_HANDLE;
  if (ren.open) return AUDIO_RESULT_INVALID_ARGUMENT; /* one renderer at a time */
  ren.mix_buffers = hos_in_u32(request, 8);
  ren.submix_count = hos_in_u32(request, 12);
  ren.voice_count = hos_in_u32(request, 16);
  ren.sink_count = hos_in_u32(request, 20);
  ren.pool_count = 4 * ren.voice_count; /* + effects, which are 0 */
  ren.revision = hos_in_u32(request, 0x30);
  ren.voices = calloc(ren.voice_count, sizeof *ren.voices);
  ren.pools = calloc(ren.pool_count, sizeof *ren.pools);
  ren.channel_mix = calloc(ren.voice_count, sizeof *ren.channel_mix);
  if (ren.voices == NULL || ren.pools == NULL || ren.channel_mix == NULL) hos_request_fault(request, "needs more host memory than there is for its renderer");
  ren.final_volume = 1.0f;
  ren.event = hos_event_create("audren system event");
  ren.open = 1;
  hos_audio_sink_open();
  hos_out_object(request, hos_object_create(&audio_renderer, self->service, self->pointer_buffer_size, NULL));
  return HOS_SUCCESS;
}

HOS_INTERFACE(audio_renderer_manager, "IAudioRendererManager", {0, open_audio_renderer}, {1, get_work_buffer_size});

hos_object *hos_audren_open(const char *name) { return hos_object_create(&audio_renderer_manager, name, 0x1000, NULL); }
