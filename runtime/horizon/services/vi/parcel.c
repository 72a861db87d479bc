/* runtime/horizon/services/vi: parcel reading and writing (parcel.h). */
#include <string.h>

#include "services/vi/parcel.h"

static uint32_t u32_at(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

int parcel_open(parcel_reader *reader, const uint8_t *parcel, uint64_t size) {
  *reader = (parcel_reader){0};
  if (size < PARCEL_HEADER_SIZE) return 0;
  uint64_t payload_size = u32_at(parcel), payload_offset = u32_at(parcel + 4);
  if (payload_offset > size || payload_size > size - payload_offset) return 0;
  reader->payload = parcel + payload_offset;
  reader->size = (uint32_t)payload_size;
  return 1;
}

const uint8_t *parcel_read_bytes(parcel_reader *reader, uint32_t size) {
  uint32_t aligned = (size + 3) & ~3u;
  if (size > 0x7FFFFFFFu || aligned > reader->size - reader->position) {
    reader->overrun = 1;
    return NULL;
  }
  const uint8_t *bytes = reader->payload + reader->position;
  reader->position += aligned;
  return bytes;
}

int32_t parcel_read_i32(parcel_reader *reader) {
  const uint8_t *bytes = parcel_read_bytes(reader, 4);
  return bytes == NULL ? 0 : (int32_t)u32_at(bytes);
}

int parcel_read_interface_token(parcel_reader *reader, const char *interface) {
  parcel_read_i32(reader); /* strict-mode policy (0x100) */
  int32_t length = parcel_read_i32(reader);
  if (length < 0 || (size_t)length != strlen(interface)) return 0;
  const uint8_t *text = parcel_read_bytes(reader, ((uint32_t)length + 1) * 2);
  if (text == NULL) return 0;
  for (int32_t i = 0; i <= length; i++) {
    uint16_t unit = (uint16_t)(text[2 * i] | text[2 * i + 1] << 8);
    if (unit != (uint8_t)interface[i]) return 0;
  }
  return 1;
}

const uint8_t *parcel_read_flattened(parcel_reader *reader, uint32_t *length) {
  int32_t size = parcel_read_i32(reader), fd_count = parcel_read_i32(reader);
  if (size < 0 || fd_count != 0) return NULL;
  *length = (uint32_t)size;
  return parcel_read_bytes(reader, (uint32_t)size);
}

void parcel_begin(parcel_writer *writer, uint8_t *parcel, uint64_t capacity) {
  *writer = (parcel_writer){parcel, capacity, 0, capacity < PARCEL_HEADER_SIZE};
}

void parcel_write_bytes(parcel_writer *writer, const void *bytes, uint32_t size) {
  uint32_t aligned = (size + 3) & ~3u;
  if (writer->overflow || PARCEL_HEADER_SIZE + (uint64_t)writer->size + aligned > writer->capacity) {
    writer->overflow = 1;
    return;
  }
  uint8_t *at = writer->parcel + PARCEL_HEADER_SIZE + writer->size;
  memset(at, 0, aligned);
  if (bytes != NULL) memcpy(at, bytes, size);
  writer->size += aligned;
}

void parcel_write_i32(parcel_writer *writer, int32_t value) { parcel_write_bytes(writer, &value, 4); }

void parcel_write_flattened(parcel_writer *writer, const void *bytes, uint32_t size) {
  parcel_write_i32(writer, (int32_t)size);
  parcel_write_i32(writer, 0);
  parcel_write_bytes(writer, bytes, size);
}

uint32_t parcel_finish(parcel_writer *writer) {
  if (writer->capacity < PARCEL_HEADER_SIZE) return 0;
  uint32_t header[4] = {writer->size, PARCEL_HEADER_SIZE, 0, PARCEL_HEADER_SIZE + writer->size};
  memcpy(writer->parcel, header, sizeof header);
  return PARCEL_HEADER_SIZE + writer->size;
}
