/*
 * runtime/horizon/services/audio: the audio services (audout:u, audren:u) and the sink they share.
 * The sink is the console's one audio output, 48 kHz stereo PCM16, written straight into the
 * audio capture on virtual time: at each presented frame it plays up to that frame's time,
 * mixing what every open output renders (silence when none plays). When every thread waits, it
 * plays as far as an output needs to make progress (audout's next buffer to its end, audren's
 * next 5 ms frame), so a thread waiting for a released buffer or the renderer's event wakes as on
 * a console; the sink may then run ahead of the frames, and the next frames play on from there.
 */
#ifndef HOS_SERVICES_AUDIO_H
#define HOS_SERVICES_AUDIO_H

#include <stdint.h>

#include "ipc/server.h"

hos_object *hos_audout_open(const char *name);
hos_object *hos_audren_open(const char *name);

/* Plays the sink up to the current virtual time (called once per presented frame). */
void hos_audio_frame(void);
/* An output opened: the sink catches up to the current frame's time and plays when threads wait. */
void hos_audio_sink_open(void);

/* The outputs, as the sink drives them: add `frames` stereo sample frames to `mix`, and say how
 * many sample frames they need played to make progress when every thread waits (0: none). */
void hos_audout_render(int32_t *mix, uint64_t frames);
uint64_t hos_audout_idle_frames(void);
void hos_audren_render(int32_t *mix, uint64_t frames);
uint64_t hos_audren_idle_frames(void);

#endif
