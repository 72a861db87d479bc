/* runtime/services: options from argv and the environment (docs/runtime-services.md). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct raw_options {
  const char *capture_dir, *frames_dir, *audio_file, *replay_log, *replay_file, *format, *fps;
  int no_capture, print_cpu_time;
} raw_options;

/* An empty variable counts as unset: `RECOMP_CAPTURE_DIR=` must never mean the root folder. */
static const char *env(const char *name) {
  const char *value = getenv(name);
  return value != NULL && value[0] != '\0' ? value : NULL;
}

static void from_environment(raw_options *raw) {
  raw->capture_dir = env("RECOMP_CAPTURE_DIR");
  raw->frames_dir = env("RECOMP_CAPTURE_FRAMES_DIR");
  raw->audio_file = env("RECOMP_CAPTURE_AUDIO_FILE");
  raw->replay_log = env("RECOMP_REPLAY_LOG");
  raw->replay_file = env("RECOMP_REPLAY_FILE");
  raw->format = env("RECOMP_FRAME_FORMAT");
  raw->fps = env("RECOMP_FPS");
  const char *no_capture = env("RECOMP_NO_CAPTURE");
  raw->no_capture = no_capture != NULL && strcmp(no_capture, "1") == 0;
  const char *print_cpu_time = env("RECOMP_PRINT_CPU_TIME");
  raw->print_cpu_time = print_cpu_time != NULL && strcmp(print_cpu_time, "1") == 0;
}

static const char **flag_slot(raw_options *raw, const char *flag) {
  if (strcmp(flag, "--capture-dir") == 0) return &raw->capture_dir;
  if (strcmp(flag, "--frames-dir") == 0) return &raw->frames_dir;
  if (strcmp(flag, "--audio-file") == 0) return &raw->audio_file;
  if (strcmp(flag, "--replay-log") == 0) return &raw->replay_log;
  if (strcmp(flag, "--replay") == 0) return &raw->replay_file;
  if (strcmp(flag, "--frame-format") == 0) return &raw->format;
  if (strcmp(flag, "--fps") == 0) return &raw->fps;
  return NULL;
}

static int usage_error(const char *message, const char *detail) {
  fprintf(stderr, "recomp runtime: %s%s (see docs/runtime-services.md)\n", message, detail);
  return RECOMP_EXIT_BAD_INPUT;
}

static char *join(const char *dir, const char *name) {
  size_t length = strlen(dir) + 1 + strlen(name) + 1;
  char *path = malloc(length);
  if (path != NULL) snprintf(path, length, "%s/%s", dir, name);
  return path;
}

/* Fills unset capture paths from the capture root. */
static int resolve_capture_paths(const raw_options *raw, services_options *out) {
  const char **slots[3] = {&out->frames_dir, &out->audio_file, &out->replay_log};
  const char *names[3] = {"frames", "audio.wav", "replay-log.jsonl"};
  const char *flags[3] = {"--frames-dir", "--audio-file", "--replay-log"};
  for (int i = 0; i < 3; i++) {
    if (*slots[i] != NULL) continue;
    if (raw->capture_dir == NULL) {
      return usage_error("no capture destination (give --capture-dir DIR, or --no-capture) for ", flags[i]);
    }
    out->owned[i] = join(raw->capture_dir, names[i]);
    if (out->owned[i] == NULL) return usage_error("out of memory", "");
    *slots[i] = out->owned[i];
  }
  return 0;
}

int options_parse(int argc, char **argv, services_options *out) {
  raw_options raw;
  from_environment(&raw);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--no-capture") == 0) {
      raw.no_capture = 1;
      continue;
    }
    if (strcmp(argv[i], "--print-cpu-time") == 0) {
      raw.print_cpu_time = 1;
      continue;
    }
    const char **slot = flag_slot(&raw, argv[i]);
    if (slot == NULL) return usage_error("unknown argument ", argv[i]);
    if (i + 1 >= argc || argv[i + 1][0] == '\0') return usage_error("missing value after ", argv[i]);
    *slot = argv[++i];
  }

  memset(out, 0, sizeof *out);
  out->replay_file = raw.replay_file;
  out->format = FRAME_FORMAT_PPM;
  if (raw.format != NULL && strcmp(raw.format, "png") == 0) out->format = FRAME_FORMAT_PNG;
  else if (raw.format != NULL && strcmp(raw.format, "ppm") != 0) return usage_error("--frame-format must be ppm or png, not ", raw.format);

  out->fps = 30;
  if (raw.fps != NULL) {
    char *end = NULL;
    unsigned long fps = strtoul(raw.fps, &end, 10);
    if (*raw.fps == '\0' || *end != '\0' || fps == 0 || RECOMP_TICK_FREQUENCY % fps != 0) {
      return usage_error("--fps must be a divisor of 19200000 such as 30 or 60, not ", raw.fps);
    }
    out->fps = (uint32_t)fps;
  }

  out->print_cpu_time = raw.print_cpu_time;
  out->capture = !raw.no_capture;
  if (!out->capture) return 0;
  out->frames_dir = raw.frames_dir;
  out->audio_file = raw.audio_file;
  out->replay_log = raw.replay_log;
  return resolve_capture_paths(&raw, out);
}

void options_free(services_options *options) {
  for (int i = 0; i < 3; i++) {
    free(options->owned[i]);
    options->owned[i] = NULL;
  }
}
