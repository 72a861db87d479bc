/*
 * runtime/services: PNG frames (8-bit RGB, filter 0, zlib stream of stored deflate blocks).
 * Stored blocks keep this tiny and exact; the pixels decode identically to the PPM capture.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define STORED_BLOCK_MAX 65535u

static uint32_t crc_table[256];

static void crc_init(void) {
  if (crc_table[1] != 0) return;
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static uint32_t crc_update(uint32_t crc, const uint8_t *data, size_t size) {
  for (size_t i = 0; i < size; i++) crc = crc_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc;
}

static void put_u32be(uint8_t *at, uint32_t value) {
  for (int i = 0; i < 4; i++) at[i] = (uint8_t)(value >> (24 - 8 * i));
}

static int write_chunk(FILE *file, const char type[4], const uint8_t *data, size_t size) {
  uint8_t head[8];
  put_u32be(head, (uint32_t)size);
  memcpy(head + 4, type, 4);
  uint32_t crc = crc_update(0xFFFFFFFFu, head + 4, 4);
  crc = crc_update(crc, data, size) ^ 0xFFFFFFFFu;
  uint8_t tail[4];
  put_u32be(tail, crc);
  return fwrite(head, 1, 8, file) == 8 && fwrite(data, 1, size, file) == size && fwrite(tail, 1, 4, file) == 4;
}

/* zlib stream (no compression) of `raw`; returns its size, or 0 when memory runs out. */
static size_t zlib_stored(const uint8_t *raw, size_t size, uint8_t **out) {
  size_t blocks = size / STORED_BLOCK_MAX + 1;
  uint8_t *stream = malloc(2 + blocks * 5 + size + 4);
  if (stream == NULL) return 0;
  size_t at = 0;
  stream[at++] = 0x78;
  stream[at++] = 0x01;
  uint32_t a = 1, b = 0;
  for (size_t done = 0;;) {
    size_t length = size - done < STORED_BLOCK_MAX ? size - done : STORED_BLOCK_MAX;
    int last = done + length == size;
    stream[at++] = (uint8_t)last;
    stream[at++] = (uint8_t)length;
    stream[at++] = (uint8_t)(length >> 8);
    stream[at++] = (uint8_t)~length;
    stream[at++] = (uint8_t)(~length >> 8);
    memcpy(stream + at, raw + done, length);
    for (size_t i = 0; i < length; i++) {
      a = (a + raw[done + i]) % 65521u;
      b = (b + a) % 65521u;
    }
    at += length;
    done += length;
    if (last) break;
  }
  put_u32be(stream + at, (b << 16) | a);
  *out = stream;
  return at + 4;
}

int capture_write_png(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height) {
  crc_init();
  size_t row = (size_t)width * 3;
  size_t raw_size = (row + 1) * height;
  uint8_t *raw = malloc(raw_size);
  if (raw == NULL) return -1;
  for (uint32_t y = 0; y < height; y++) {
    raw[y * (row + 1)] = 0; /* filter type None */
    memcpy(raw + y * (row + 1) + 1, rgb + y * row, row);
  }
  uint8_t *stream = NULL;
  size_t stream_size = zlib_stored(raw, raw_size, &stream);
  free(raw);
  if (stream_size == 0) return -1;

  static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  uint8_t ihdr[13] = {0};
  put_u32be(ihdr, width);
  put_u32be(ihdr + 4, height);
  ihdr[8] = 8; /* bit depth */
  ihdr[9] = 2; /* colour type RGB */
  FILE *file = fopen(path, "wb");
  int ok = file != NULL && fwrite(signature, 1, 8, file) == 8 && write_chunk(file, "IHDR", ihdr, sizeof ihdr) &&
           write_chunk(file, "IDAT", stream, stream_size) && write_chunk(file, "IEND", NULL, 0);
  free(stream);
  if (file != NULL && fclose(file) != 0) ok = 0;
  if (!ok) fprintf(stderr, "recomp runtime: cannot write %s: %s\n", path, strerror(errno));
  return ok ? 0 : -1;
}
