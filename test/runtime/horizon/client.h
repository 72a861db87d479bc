/* The client side of the horizon test drivers (client.c): requests as libnx encodes them. */
#ifndef HZ_TEST_CLIENT_H
#define HZ_TEST_CLIENT_H

#include <stdint.h>

#include "cpu.h"

#define PC 0x1234

extern recomp_cpu cpu;   /* the calling thread's registers */
extern uint8_t *tls;     /* its TLS: the IPC message buffer */
extern uint32_t at;      /* write position in the message */

void w(uint32_t value);
uint32_t r32(const uint8_t *p);
uint8_t *guest(uint64_t address);
uint64_t svc(uint32_t number, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3);
/* HIPC header (+ special header, pid placeholder, copy handles) as hipcMakeRequest writes it. */
void header(uint32_t type, uint32_t nx, uint32_t na, uint32_t nb, uint32_t nw, uint32_t data_words, uint32_t recv_mode, int pid,
            uint32_t ncopy, const uint32_t *copies);
void x_descriptor(uint32_t index, uint64_t address, uint32_t size);
void buffer_descriptor(uint64_t address, uint64_t size, uint32_t mode);
uint32_t data_words(uint32_t raw, int domain, uint32_t objects);
void cmif(uint32_t command, const void *raw, uint32_t size);
void domain_header(uint32_t type, uint32_t object, uint32_t payload, uint32_t objects);
uint32_t send(uint32_t handle);
/* Prints a response as cmifParseResponse decodes it; the move handles go to move_out. */
void show(const char *what, uint32_t rc, int domain, uint32_t raw_words, uint32_t *move_out);
uint32_t request(uint32_t handle, uint32_t command, const void *raw, uint32_t size, int pid);
uint32_t control(uint32_t handle, uint32_t command, const void *raw, uint32_t size);
uint32_t domain_request_with(uint32_t handle, uint32_t object, uint32_t command, const void *raw, uint32_t size, int pid,
                             uint32_t ncopy, const uint32_t *copies);
uint32_t domain_request(uint32_t handle, uint32_t object, uint32_t command, const void *raw, uint32_t size);
uint32_t get_service(uint32_t sm, const char *name);
/* A domain request with the path in an X descriptor (FsPath, 0x301 bytes) and raw input, as libnx's fs.c sends it. */
uint32_t path_request(uint32_t handle, uint32_t object, uint32_t command, const char *path, const void *raw, uint32_t size);

#endif
