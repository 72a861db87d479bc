/* runtime/services: declarations shared by the service implementation files (not public API). */
#ifndef RECOMP_SERVICES_INTERNAL_H
#define RECOMP_SERVICES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "services.h"

/* Process exit statuses, the same as the recomp CLI's. */
#define RECOMP_EXIT_BAD_INPUT 2
#define RECOMP_EXIT_IO_FAILED 3

typedef enum { FRAME_FORMAT_PPM, FRAME_FORMAT_PNG } frame_format;

typedef struct services_options {
  const char *frames_dir; /* NULL when capture is disabled */
  const char *audio_file;
  const char *replay_log;
  const char *replay_file; /* NULL: no input */
  frame_format format;
  uint32_t fps;
  int capture; /* 0 with --no-capture */
  int print_cpu_time; /* --print-cpu-time: benchmarks read it from stderr */
  char *owned[3]; /* paths built from --capture-dir, freed by options_free */
} services_options;

/* Fills `out` from argv and the environment. Returns 0 or RECOMP_EXIT_BAD_INPUT (message printed). */
int options_parse(int argc, char **argv, services_options *out);
void options_free(services_options *options);

/* One line of the replay file. `name` is a JSON string literal, quotes included. */
typedef struct replay_entry {
  uint64_t frame;
  int is_marker;
  uint32_t code;
  int32_t value;
  char name[136];
} replay_entry;

typedef struct replay_script {
  replay_entry *entries;
  size_t count;
} replay_script;

/* Reads and checks a replay file. Returns 0 or RECOMP_EXIT_BAD_INPUT (message printed). */
int replay_load(const char *path, replay_script *out);
void replay_free(replay_script *script);
/* Applies one event to an input state (markers change nothing). */
void replay_apply(const replay_entry *entry, recomp_input_state *state);

/* Capture files. Each returns 0, or -1 after printing what failed. */
int capture_make_dirs(const char *path);
int capture_write_ppm(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height);
int capture_write_png(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height);
FILE *capture_wav_open(const char *path);
int capture_wav_append(FILE *wav, const int16_t *samples, uint64_t sample_frames, const char *path);
int capture_wav_close(FILE *wav, uint64_t sample_frames, const char *path);

/* Writes `size` bytes as the inside of a JSON string (escaped, without quotes). */
void json_write_escaped(FILE *out, const char *text, size_t size);

#endif
