/* runtime/services: the service API (services.h): virtual time, replayed input, capture. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static struct {
  int initialized, finished, failed;
  services_options options;
  replay_script replay;
  size_t replay_cursor;
  uint64_t frame; /* frames presented = the number of the frame being drawn */
  uint32_t width, height;
  uint8_t *rgb; /* one frame as packed RGB24 */
  recomp_input_state input;
  FILE *log, *wav;
  uint64_t audio_frames;
} state;

/* A capture write failed: the run must not produce a capture that looks complete. */
static void capture_failed(void) {
  state.failed = 1;
  recomp_exit_process();
}

static void log_name_field(const replay_entry *entry) { fprintf(state.log, ",\"name\":%s", entry->name); }

/* Applies every replay line of frames up to the current one, logging each. */
static void apply_replay(void) {
  while (state.replay_cursor < state.replay.count && state.replay.entries[state.replay_cursor].frame <= state.frame) {
    const replay_entry *entry = &state.replay.entries[state.replay_cursor++];
    replay_apply(entry, &state.input);
    if (state.log == NULL) continue;
    if (entry->is_marker) {
      fprintf(state.log, "{\"frame\":%llu,\"kind\":\"marker\"", (unsigned long long)state.frame);
    } else {
      fprintf(state.log, "{\"control\":%u,\"frame\":%llu,\"kind\":\"input\"", entry->code, (unsigned long long)state.frame);
    }
    log_name_field(entry);
    if (!entry->is_marker) fprintf(state.log, ",\"value\":%d", entry->value);
    fputs("}\n", state.log);
  }
}

static int open_capture(void) {
  const services_options *o = &state.options;
  if (capture_make_dirs(o->frames_dir) != 0) return RECOMP_EXIT_IO_FAILED;
  state.log = fopen(o->replay_log, "w");
  if (state.log == NULL) {
    perror(o->replay_log);
    return RECOMP_EXIT_IO_FAILED;
  }
  state.wav = capture_wav_open(o->audio_file);
  return state.wav == NULL ? RECOMP_EXIT_IO_FAILED : 0;
}

int recomp_services_init(int argc, char **argv) {
  memset(&state, 0, sizeof state);
  int status = options_parse(argc, argv, &state.options);
  if (status == 0 && state.options.replay_file != NULL) status = replay_load(state.options.replay_file, &state.replay);
  if (status == 0 && state.options.capture) status = open_capture();
  if (status != 0) return status;
  state.initialized = 1;
  apply_replay();
  return 0;
}

static void rgba_to_rgb(const uint8_t *pixels, uint32_t stride) {
  uint8_t *out = state.rgb;
  for (uint32_t y = 0; y < state.height; y++) {
    const uint8_t *in = pixels + (size_t)y * stride;
    for (uint32_t x = 0; x < state.width; x++, in += 4, out += 3) {
      out[0] = in[0];
      out[1] = in[1];
      out[2] = in[2];
    }
  }
}

static void write_frame(const uint8_t *pixels, uint32_t stride) {
  int png = state.options.format == FRAME_FORMAT_PNG;
  const char *dir = state.options.frames_dir;
  size_t length = strlen(dir) + 32;
  char *path = malloc(length);
  if (path == NULL) capture_failed();
  snprintf(path, length, "%s/frame_%06llu.%s", dir, (unsigned long long)state.frame, png ? "png" : "ppm");
  rgba_to_rgb(pixels, stride);
  int status = png ? capture_write_png(path, state.rgb, state.width, state.height)
                   : capture_write_ppm(path, state.rgb, state.width, state.height);
  free(path);
  if (status != 0) capture_failed();
}

static int frame_size_ok(uint32_t width, uint32_t height, uint32_t stride) {
  if (width == 0 || height == 0 || width > RECOMP_MAX_FRAME_DIMENSION || height > RECOMP_MAX_FRAME_DIMENSION) return 0;
  if (stride < width * 4) return 0;
  if (state.width == 0) {
    state.width = width;
    state.height = height;
    state.rgb = malloc((size_t)width * height * 3);
    if (state.rgb == NULL) capture_failed();
    return 1;
  }
  return width == state.width && height == state.height;
}

uint32_t recomp_present_frame(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t stride) {
  if (pixels == NULL) return RECOMP_RESULT_INVALID_POINTER;
  if (!frame_size_ok(width, height, stride)) return RECOMP_RESULT_INVALID_SIZE;
  if (state.options.capture) write_frame(pixels, stride);
  state.frame++;
  apply_replay();
  return RECOMP_RESULT_SUCCESS;
}

uint32_t recomp_submit_audio(const int16_t *samples, uint64_t sample_frames) {
  if (sample_frames > RECOMP_MAX_AUDIO_FRAMES_PER_CALL) return RECOMP_RESULT_INVALID_SIZE;
  if (sample_frames == 0) return RECOMP_RESULT_SUCCESS;
  if (samples == NULL) return RECOMP_RESULT_INVALID_POINTER;
  if (state.wav != NULL && capture_wav_append(state.wav, samples, sample_frames, state.options.audio_file) != 0) {
    capture_failed();
  }
  state.audio_frames += sample_frames;
  return RECOMP_RESULT_SUCCESS;
}

recomp_input_state recomp_read_input(void) { return state.input; }

void recomp_sleep_thread(int64_t nanoseconds) { (void)nanoseconds; }

uint64_t recomp_get_system_tick(void) {
  return state.options.fps == 0 ? 0 : state.frame * (RECOMP_TICK_FREQUENCY / state.options.fps);
}

uint32_t recomp_output_debug_string(const char *text, uint64_t size) {
  if (size == 0) return RECOMP_RESULT_SUCCESS;
  if (text == NULL) return RECOMP_RESULT_INVALID_POINTER;
  fwrite(text, 1, size, stderr);
  if (text[size - 1] != '\n') fputc('\n', stderr);
  if (state.log != NULL) {
    fprintf(state.log, "{\"frame\":%llu,\"kind\":\"debug\",\"text\":\"", (unsigned long long)state.frame);
    json_write_escaped(state.log, text, size);
    fputs("\"}\n", state.log);
  }
  return RECOMP_RESULT_SUCCESS;
}

static void log_hex_field(const char *key, const uint8_t *bytes, uint32_t size) {
  fprintf(state.log, ",\"%s\":\"", key);
  for (uint32_t i = 0; i < size; i++) fprintf(state.log, "%02x", bytes[i]);
  fputc('"', state.log);
}

static void log_string_field(const char *key, const char *text) {
  fprintf(state.log, ",\"%s\":\"", key);
  json_write_escaped(state.log, text, strlen(text));
  fputc('"', state.log);
}

/* Keys in alphabetical order, as every line of the log: the same call gives the same bytes on every host. */
void recomp_log_ipc(const recomp_ipc_call *call) {
  if (state.log == NULL) return;
  fprintf(state.log, "{\"command\":%u,\"frame\":%llu", call->command, (unsigned long long)state.frame);
  log_hex_field("in", call->in, call->in_size);
  log_string_field("interface", call->interface);
  fputs(",\"kind\":\"ipc\"", state.log);
  log_hex_field("out", call->out, call->out_size);
  fprintf(state.log, ",\"result\":%u", call->result);
  log_string_field("service", call->service);
  fputs("}\n", state.log);
}

int recomp_log_open(void) { return state.log != NULL; }

void recomp_log_svc(uint32_t number, const char *name, const char *args, const char *results) {
  if (state.log == NULL) return;
  fputs("{\"args\":\"", state.log);
  json_write_escaped(state.log, args, strlen(args));
  fprintf(state.log, "\",\"frame\":%llu,\"kind\":\"svc\"", (unsigned long long)state.frame);
  log_string_field("name", name);
  log_string_field("results", results);
  fprintf(state.log, ",\"svc\":%u}\n", number);
}

void recomp_log_frame(void) {
  if (state.log != NULL) fprintf(state.log, "{\"frame\":%llu,\"kind\":\"frame\"}\n", (unsigned long long)state.frame);
}

uint64_t recomp_frame_index(void) { return state.frame; }

int recomp_services_finish(void) {
  if (!state.initialized || state.finished) return state.failed ? RECOMP_EXIT_IO_FAILED : 0;
  state.finished = 1;
  if (state.log != NULL) {
    fprintf(state.log, "{\"frame\":%llu,\"kind\":\"exit\"}\n", (unsigned long long)state.frame);
    if (fclose(state.log) != 0) {
      perror(state.options.replay_log);
      state.failed = 1;
    }
    state.log = NULL;
  }
  if (state.wav != NULL && capture_wav_close(state.wav, state.audio_frames, state.options.audio_file) != 0) state.failed = 1;
  state.wav = NULL;
  if (state.options.print_cpu_time) {
    /* Reported, never used: the run itself sees only virtual time. */
    unsigned long long micros = (unsigned long long)clock() * 1000000ull / CLOCKS_PER_SEC;
    fprintf(stderr, "recomp runtime: cpu time %llu us\n", micros);
  }
  free(state.rgb);
  replay_free(&state.replay);
  options_free(&state.options);
  return state.failed ? RECOMP_EXIT_IO_FAILED : 0;
}

_Noreturn void recomp_exit_process(void) {
  fflush(stdout);
  exit(recomp_services_finish());
}
