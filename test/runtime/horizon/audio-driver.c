/*
 * The audio part of the horizon test driver (HZ_PART=audio): audout:u as libnx's audout.c drives
 * it (the Auto commands of 3.0.0 and later), on virtual time: a buffer played while every thread
 * waits for its release, then a buffer played frame by frame. The test checks the captured WAV.
 */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "display-driver.h"
#include "services.h"
#include "services/audio/audio.h"

#define RECORDS 0x2000020000ull /* AudioOutBuffer records */
#define SAMPLES 0x2000030000ull
#define RELEASED 0x2000040000ull
#define NAMES 0x2000041000ull

/* A request with one auto-select in buffer and one auto-select out buffer, both through the pointer buffer (X and C). */
static uint32_t auto_pointer(uint32_t handle, uint32_t command, const void *raw, uint32_t raw_size, uint64_t in, uint32_t in_size, uint64_t out,
                             uint32_t out_size, int pid, uint32_t ncopy, const uint32_t *copies) {
  uint32_t words = data_words(raw_size, 0, 0);
  header(4, in_size ? 1 : 0, in_size ? 1 : 0, out_size ? 1 : 0, 0, words, out_size ? 2 + 1 : 0, pid, ncopy, copies);
  if (in_size) x_descriptor(0, in, in_size), buffer_descriptor(0, 0, 0);
  if (out_size) buffer_descriptor(0, 0, 0);
  uint32_t data_start = at;
  cmif(command, raw, raw_size);
  at = data_start + 4 * words;
  if (out_size) w((uint32_t)out), w((uint32_t)(out >> 32) | out_size << 16);
  return send(handle);
}

/* An AudioOutBuffer {next, buffer, buffer_size, data_size, data_offset} over `frames` stereo frames: L = base + i, R = -(base + i). */
static uint64_t make_buffer(unsigned n, uint32_t frames, int16_t base) {
  uint64_t record = RECORDS + n * 0x40, samples = SAMPLES + n * 0x4000;
  for (uint32_t i = 0; i < frames; i++) {
    int16_t pair[2] = {(int16_t)(base + (int16_t)i), (int16_t)-(base + (int16_t)i)};
    memcpy(guest(samples + i * 4), pair, 4);
  }
  uint64_t fields[5] = {0, samples, 0x4000, (uint64_t)frames * 4, 0};
  memcpy(guest(record), fields, sizeof fields);
  return record;
}

static void append(uint32_t audio_out, uint64_t record) {
  char label[48];
  snprintf(label, sizeof label, "IAudioOut AppendAudioOutBufferAuto(%llx)", (unsigned long long)record);
  show(label, auto_pointer(audio_out, 7, &record, 8, record, 0x28, 0, 0, 0, 0, NULL), 0, 0, NULL);
}

static void released(uint32_t audio_out) {
  memset(guest(RELEASED), 0, 16);
  show("IAudioOut GetReleasedAudioOutBufferAuto", auto_pointer(audio_out, 8, NULL, 0, 0, 0, RELEASED, 8, 0, 0, NULL), 0, 1, NULL);
  printf("  released %llx\n", (unsigned long long)(r32(guest(RELEASED)) | (uint64_t)r32(guest(RELEASED + 4)) << 32));
}

/* One presented frame, as vi's QUEUE_BUFFER ends it: capture, then the audio output catches up with the frame's time. */
static void present(void) {
  static uint8_t black[16 * 16 * 4];
  recomp_present_frame(black, 16, 16, 64);
  hos_audio_frame();
}

void audio_part(uint32_t sm) {
  uint32_t audout = get_service(sm, "audout:u"), audio_out = 0, process = HOS_CURRENT_PROCESS_HANDLE;
  show("audout:u QueryPointerBufferSize", control(audout, 3, NULL, 0), 0, 1, NULL);
  show("IAudioOutManager ListAudioOutsAuto", auto_pointer(audout, 2, NULL, 0, 0, 0, NAMES, 0x100, 0, 0, NULL), 0, 1, NULL);
  printf("  device %s\n", (const char *)guest(NAMES));
  struct {
    uint32_t rate, channels;
    uint64_t aruid;
  } open = {48000, 0x00020000, 0x51};
  memset(guest(NAMES), 0, 0x200);
  show("IAudioOutManager OpenAudioOutAuto", auto_pointer(audout, 3, &open, 16, NAMES, 0x100, NAMES + 0x100, 0x100, 1, 1, &process), 0, 4, &audio_out);
  printf("  device out %s\n", (const char *)guest(NAMES + 0x100));
  show("IAudioOut RegisterBufferEvent", request(audio_out, 4, NULL, 0, 0), 0, 0, NULL);
  uint32_t event = r32(tls + 12);
  show("IAudioOut GetAudioOutState", request(audio_out, 0, NULL, 0, 0), 0, 1, NULL);
  show("IAudioOut StartAudioOut", request(audio_out, 1, NULL, 0, 0), 0, 0, NULL);
  show("IAudioOut GetAudioOutState", request(audio_out, 0, NULL, 0, 0), 0, 1, NULL);
  /* audoutPlayBuffer: append, then wait for the release with no other thread to run. */
  uint64_t first = make_buffer(0, 1454, 1);
  append(audio_out, first);
  memcpy(guest(RELEASED + 0x100), &event, 4);
  uint32_t rc = (uint32_t)svc(0x18, 0, RELEASED + 0x100, 1, (uint64_t)-1);
  printf("Wait(buffer event, forever)=0x%x\n", rc);
  released(audio_out);
  /* A buffer played on frame time: 800 sample frames per frame at 60 Hz, after the first buffer's 1454. */
  uint64_t second = make_buffer(1, 1000, 5000);
  append(audio_out, second);
  for (int f = 1; f <= 4; f++) {
    present();
    show("IAudioOut GetAudioOutPlayedSampleCount", request(audio_out, 10, NULL, 0, 0), 0, 2, NULL);
    show("IAudioOut ContainsAudioOutBuffer", request(audio_out, 6, &second, 8, 0), 0, 1, NULL);
  }
  released(audio_out);
  uint32_t half = 0x3F000000;
  show("IAudioOut SetAudioOutVolume(0.5)", request(audio_out, 12, &half, 4, 0), 0, 0, NULL);
  show("IAudioOut GetAudioOutVolume", request(audio_out, 13, NULL, 0, 0), 0, 1, NULL);
  show("IAudioOut StopAudioOut", request(audio_out, 2, NULL, 0, 0), 0, 0, NULL);
  show("IAudioOut GetAudioOutBufferCount", request(audio_out, 9, NULL, 0, 0), 0, 1, NULL);
}
