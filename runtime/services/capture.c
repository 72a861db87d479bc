/* runtime/services: capture files: PPM frames, the WAV stream, folders, JSON string escaping. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "internal.h"

static int io_failed(const char *what, const char *path) {
  fprintf(stderr, "recomp runtime: cannot %s %s: %s\n", what, path, strerror(errno));
  return -1;
}

int capture_make_dirs(const char *path) {
  size_t length = strlen(path);
  char *partial = malloc(length + 1);
  if (partial == NULL) return io_failed("allocate a path for", path);
  memcpy(partial, path, length + 1);
  int status = 0;
  /* Create every prefix that ends at a '/', then the whole path. */
  for (size_t i = 1; i <= length && status == 0; i++) {
    if (partial[i] != '/' && partial[i] != '\0') continue;
    char saved = partial[i];
    partial[i] = '\0';
    if (mkdir(partial, 0777) != 0 && errno != EEXIST) status = io_failed("create the folder", partial);
    partial[i] = saved;
  }
  free(partial);
  return status;
}

int capture_write_ppm(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height) {
  FILE *file = fopen(path, "wb");
  if (file == NULL) return io_failed("create", path);
  size_t size = (size_t)width * height * 3;
  int ok = fprintf(file, "P6\n%u %u\n255\n", width, height) > 0 && fwrite(rgb, 1, size, file) == size;
  if (fclose(file) != 0) ok = 0;
  return ok ? 0 : io_failed("write", path);
}

static void put_u32le(uint8_t *at, uint32_t value) {
  for (int i = 0; i < 4; i++) at[i] = (uint8_t)(value >> (8 * i));
}

static void put_u16le(uint8_t *at, uint16_t value) {
  at[0] = (uint8_t)value;
  at[1] = (uint8_t)(value >> 8);
}

/* The canonical 44-byte header of PCM s16le stereo 48 kHz with `data_bytes` of samples. */
static void wav_header(uint8_t header[44], uint32_t data_bytes) {
  const uint32_t block_align = RECOMP_AUDIO_CHANNELS * 2;
  memcpy(header, "RIFF", 4);
  put_u32le(header + 4, 36 + data_bytes);
  memcpy(header + 8, "WAVEfmt ", 8);
  put_u32le(header + 16, 16);
  put_u16le(header + 20, 1);
  put_u16le(header + 22, RECOMP_AUDIO_CHANNELS);
  put_u32le(header + 24, RECOMP_AUDIO_SAMPLE_RATE);
  put_u32le(header + 28, RECOMP_AUDIO_SAMPLE_RATE * block_align);
  put_u16le(header + 32, (uint16_t)block_align);
  put_u16le(header + 34, 16);
  memcpy(header + 36, "data", 4);
  put_u32le(header + 40, data_bytes);
}

FILE *capture_wav_open(const char *path) {
  FILE *wav = fopen(path, "wb");
  if (wav == NULL) {
    io_failed("create", path);
    return NULL;
  }
  uint8_t header[44];
  wav_header(header, 0); /* patched with the real sizes on close */
  if (fwrite(header, 1, sizeof header, wav) != sizeof header) {
    io_failed("write", path);
    fclose(wav);
    return NULL;
  }
  return wav;
}

int capture_wav_append(FILE *wav, const int16_t *samples, uint64_t sample_frames, const char *path) {
  uint8_t bytes[4096];
  uint64_t count = sample_frames * RECOMP_AUDIO_CHANNELS;
  for (uint64_t done = 0; done < count;) {
    size_t chunk = 0;
    /* Explicit little-endian bytes: the file is the same on any host. */
    for (; chunk + 2 <= sizeof bytes && done < count; chunk += 2, done++) {
      put_u16le(bytes + chunk, (uint16_t)samples[done]);
    }
    if (fwrite(bytes, 1, chunk, wav) != chunk) return io_failed("write", path);
  }
  return 0;
}

int capture_wav_close(FILE *wav, uint64_t sample_frames, const char *path) {
  uint64_t data_bytes = sample_frames * RECOMP_AUDIO_CHANNELS * 2;
  int ok = data_bytes <= 0xFFFFFFFFu - 36;
  if (!ok) fprintf(stderr, "recomp runtime: %s: more audio than a WAV file can hold\n", path);
  uint8_t header[44];
  wav_header(header, (uint32_t)data_bytes);
  if (ok && (fseek(wav, 0, SEEK_SET) != 0 || fwrite(header, 1, sizeof header, wav) != sizeof header)) {
    ok = 0;
    io_failed("write", path);
  }
  if (fclose(wav) != 0 && ok) {
    ok = 0;
    io_failed("close", path);
  }
  return ok ? 0 : -1;
}

void json_write_escaped(FILE *out, const char *text, size_t size) {
  for (size_t i = 0; i < size; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c < 0x20 || c > 0x7e) fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
}
