/*
 * The client side of the horizon test drivers: HIPC and CMIF requests encoded as libnx lays them
 * out in the TLS buffer (sf/hipc.h, sf/cmif.h; independently of the runtime's parser), sent with
 * svc SendSyncRequest, and responses printed as cmifParseResponse decodes them.
 */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "kernel/svc.h"
#include "memory.h"
#include "program.h"

recomp_cpu cpu;
uint8_t *tls;
uint32_t at;

void w(uint32_t value) {
  memcpy(tls + at, &value, 4);
  at += 4;
}
uint32_t r32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
uint8_t *guest(uint64_t address) { return rt_guest_base + address; }

uint64_t svc(uint32_t number, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3) {
  cpu.x[0] = x0, cpu.x[1] = x1, cpu.x[2] = x2, cpu.x[3] = x3;
  rt_svc(&cpu, number, PC);
  return cpu.x[0];
}

/* HIPC header (+ special header, pid placeholder, copy handles) as hipcMakeRequest writes it. */
void header(uint32_t type, uint32_t nx, uint32_t na, uint32_t nb, uint32_t nw, uint32_t data_words, uint32_t recv_mode,
                   int pid, uint32_t ncopy, const uint32_t *copies) {
  memset(tls, 0, 0x100);
  at = 0;
  int special = pid || ncopy;
  w(type | nx << 16 | na << 20 | nb << 24 | nw << 28);
  w(data_words | recv_mode << 10 | (special ? 1u << 31 : 0));
  if (special) w((uint32_t)pid | ncopy << 1);
  if (pid) w(0), w(0);
  for (uint32_t i = 0; i < ncopy; i++) w(copies[i]);
}
void x_descriptor(uint32_t index, uint64_t address, uint32_t size) {
  w(index | (uint32_t)((address >> 36) & 0x3F) << 6 | (uint32_t)((address >> 32) & 0xF) << 12 | size << 16);
  w((uint32_t)address);
}
void buffer_descriptor(uint64_t address, uint64_t size, uint32_t mode) {
  w((uint32_t)size);
  w((uint32_t)address);
  w(mode | (uint32_t)((address >> 36) & 0x3FFFFF) << 2 | (uint32_t)((size >> 32) & 0xF) << 24 | (uint32_t)((address >> 32) & 0xF) << 28);
}
/* Data words: 16 bytes of alignment room, [domain header,] SFCI header, raw data (cmifMakeRequest). */
uint32_t data_words(uint32_t raw, int domain, uint32_t objects) { return (16 + (domain ? 16 + 4 * objects : 0) + 16 + raw + 3) / 4; }
void cmif(uint32_t command, const void *raw, uint32_t size) {
  at = (at + 15) & ~15u;
  w(0x49434653), w(0), w(command), w(0);
  memcpy(tls + at, raw, size);
  at += size;
}
void domain_header(uint32_t type, uint32_t object, uint32_t payload, uint32_t objects) {
  at = (at + 15) & ~15u;
  w(type | objects << 8 | payload << 16), w(object), w(0), w(0);
}

uint32_t send(uint32_t handle) { return (uint32_t)svc(0x21, handle, 0, 0, 0); }

/* Decodes a response as cmifParseResponse does and prints header, handles, result and raw words. */
void show(const char *what, uint32_t rc, int domain, uint32_t raw_words, uint32_t *move_out) {
  uint32_t h1 = r32(tls + 4), p = 8, copies = 0, moves = 0;
  printf("%s: rc=0x%x hdr=%08x,%08x", what, rc, r32(tls), h1);
  if (h1 >> 31) {
    uint32_t special = r32(tls + p);
    p += 4;
    copies = (special >> 1) & 0xF, moves = (special >> 5) & 0xF;
    for (uint32_t i = 0; i < copies; i++, p += 4) printf(" copy=%08x", r32(tls + p));
    for (uint32_t i = 0; i < moves; i++, p += 4) {
      printf(" move=%08x", r32(tls + p));
      if (move_out != NULL) move_out[i] = r32(tls + p);
    }
  }
  p = (p + 15) & ~15u;
  if (domain) printf(" objects=%u", r32(tls + p)), p += 16;
  printf(" magic=%08x result=0x%x raw=", r32(tls + p), r32(tls + p + 8));
  for (uint32_t i = 0; i < raw_words; i++) printf("%s%08x", i ? "," : "", r32(tls + p + 16 + 4 * i));
  if (domain) printf(" ids=%u", r32(tls + p + 16 + 4 * raw_words));
  printf("\n");
}

uint32_t request(uint32_t handle, uint32_t command, const void *raw, uint32_t size, int pid) {
  header(4, 0, 0, 0, 0, data_words(size, 0, 0), 0, pid, 0, NULL);
  cmif(command, raw, size);
  return send(handle);
}
uint32_t control(uint32_t handle, uint32_t command, const void *raw, uint32_t size) {
  header(5, 0, 0, 0, 0, (16 + 16 + size + 3) / 4, 0, 0, 0, NULL);
  cmif(command, raw, size);
  return send(handle);
}
uint32_t domain_request_with(uint32_t handle, uint32_t object, uint32_t command, const void *raw, uint32_t size, int pid,
                                    uint32_t ncopy, const uint32_t *copies) {
  header(4, 0, 0, 0, 0, data_words(size, 1, 0), 0, pid, ncopy, copies);
  domain_header(1, object, 16 + size, 0);
  w(0x49434653), w(0), w(command), w(0);
  memcpy(tls + at, raw, size);
  return send(handle);
}
uint32_t domain_request(uint32_t handle, uint32_t object, uint32_t command, const void *raw, uint32_t size) {
  header(4, 0, 0, 0, 0, data_words(size, 1, 0), 0, 0, 0, NULL);
  domain_header(1, object, 16 + size, 0);
  w(0x49434653), w(0), w(command), w(0);
  memcpy(tls + at, raw, size);
  return send(handle);
}

uint32_t get_service(uint32_t sm, const char *name) {
  char raw[8] = {0};
  memcpy(raw, name, strlen(name) < 8 ? strlen(name) : 8);
  uint32_t handle = 0;
  uint32_t rc = request(sm, 1, raw, 8, 0);
  char label[40];
  snprintf(label, sizeof label, "sm GetServiceHandle(%s)", name);
  show(label, rc, 0, 0, &handle);
  return handle;
}

/* A domain request with the path in an X descriptor (FsPath, 0x301 bytes) and raw input, as libnx's fs.c sends it. */
uint32_t path_request(uint32_t handle, uint32_t object, uint32_t command, const char *path, const void *raw, uint32_t size) {
  uint64_t at_path = 0x2000006000;
  memset(guest(at_path), 0, 0x301);
  memcpy(guest(at_path), path, strlen(path));
  header(4, 1, 0, 0, 0, data_words(size, 1, 0), 0, 0, 0, NULL);
  x_descriptor(0, at_path, 0x301);
  domain_header(1, object, 16 + size, 0);
  w(0x49434653), w(0), w(command), w(0);
  memcpy(tls + at, raw, size);
  return send(handle);
}

