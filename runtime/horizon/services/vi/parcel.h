/*
 * runtime/horizon/services/vi: Android parcels as libnx's display/parcel.c writes them: a
 * ParcelHeader {payload_size, payload_off, objects_size, objects_off} then the payload, in 4-byte
 * units; strings are String16; flattened objects carry {len, fd_count} before their bytes.
 */
#ifndef HOS_SERVICES_VI_PARCEL_H
#define HOS_SERVICES_VI_PARCEL_H

#include <stddef.h>
#include <stdint.h>

#define PARCEL_HEADER_SIZE 0x10u

typedef struct parcel_reader {
  const uint8_t *payload;
  uint32_t size, position;
  int overrun; /* a read past the payload happened */
} parcel_reader;

/* Opens a parcel of `size` bytes; 0 when its header points outside it. */
int parcel_open(parcel_reader *reader, const uint8_t *parcel, uint64_t size);
int32_t parcel_read_i32(parcel_reader *reader);
/* The next `size` bytes (rounded up to 4), or NULL past the end. */
const uint8_t *parcel_read_bytes(parcel_reader *reader, uint32_t size);
/* The interface token (strict-mode word, String16): 1 when it names `interface`. */
int parcel_read_interface_token(parcel_reader *reader, const char *interface);
/* A flattened object's bytes and length (NULL when it carries file descriptors or overruns). */
const uint8_t *parcel_read_flattened(parcel_reader *reader, uint32_t *length);

typedef struct parcel_writer {
  uint8_t *parcel;
  uint64_t capacity;
  uint32_t size; /* payload bytes so far */
  int overflow;
} parcel_writer;

void parcel_begin(parcel_writer *writer, uint8_t *parcel, uint64_t capacity);
void parcel_write_i32(parcel_writer *writer, int32_t value);
void parcel_write_bytes(parcel_writer *writer, const void *bytes, uint32_t size);
void parcel_write_flattened(parcel_writer *writer, const void *bytes, uint32_t size);
/* Writes the header; returns the parcel's total size. */
uint32_t parcel_finish(parcel_writer *writer);

#endif
