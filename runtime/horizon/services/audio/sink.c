/*
 * runtime/horizon/services/audio: the audio sink (audio.h): mixes audout:u and audren:u into the
 * capture on virtual time. Outputs add int32 stereo samples; the sum is clamped to PCM16.
 */
#include <string.h>

#include "kernel/scheduler.h"
#include "services.h"
#include "services/audio/audio.h"

#define SINK_CHUNK 1024u

static uint64_t position; /* sample frames written to the capture */

static void play(uint64_t frames) {
  int32_t mix[2 * SINK_CHUNK];
  int16_t pcm[2 * SINK_CHUNK];
  while (frames > 0) {
    uint64_t n = frames < SINK_CHUNK ? frames : SINK_CHUNK;
    memset(mix, 0, sizeof mix);
    hos_audout_render(mix, n);
    hos_audren_render(mix, n);
    for (uint64_t i = 0; i < 2 * n; i++) pcm[i] = (int16_t)(mix[i] > 32767 ? 32767 : mix[i] < -32768 ? -32768 : mix[i]);
    recomp_submit_audio(pcm, n);
    position += n;
    frames -= n;
  }
}

/* The capture is silence until an output plays, as a console's sound is when nothing plays. */
void hos_audio_frame(void) {
  uint64_t target = recomp_get_system_tick() / (RECOMP_TICK_FREQUENCY / RECOMP_AUDIO_SAMPLE_RATE);
  if (position < target) play(target - position);
}

/* Every thread waits: play as far as the output that needs least (each need is a bounded amount). */
static int play_when_idle(void) {
  uint64_t audout = hos_audout_idle_frames(), audren = hos_audren_idle_frames();
  uint64_t need = audout == 0 ? audren : audren == 0 ? audout : audout < audren ? audout : audren;
  if (need == 0) return 0;
  play(need);
  return 1;
}

void hos_audio_sink_open(void) {
  hos_set_idle_hook(play_when_idle);
  hos_audio_frame();
}
