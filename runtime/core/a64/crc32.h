/* runtime/core/a64: CRC32 (polynomial 0x04c11db7) and CRC32C (0x1edc6f41), bit-reflected, no inversion, as crc32[c]b/h/w/x. */
#ifndef RECOMP_A64_CRC32_H
#define RECOMP_A64_CRC32_H

#include <stdint.h>

#include "../cpu.h"

/* The remainder of each 4-bit value shifted through the reflected polynomial: two lookups per byte. */
static const uint32_t rt_crc32_nibbles[2][16] = {
  {0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
   0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c},
  {0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1, 0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
   0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9, 0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75},
};

/* crc32{b,h,w,x} (castagnoli 0) or crc32c{b,h,w,x} (1): the low `bytes` of value into the accumulator, low byte first. */
static inline uint64_t rt_a64_crc32(recomp_cpu *cpu, uint64_t pc, uint64_t accumulator, uint64_t value, unsigned bytes, unsigned castagnoli) {
  const uint32_t *table = rt_crc32_nibbles[castagnoli];
  uint32_t crc = (uint32_t)accumulator;
  (void)cpu;
  (void)pc;
  for (unsigned i = 0; i < bytes; i++) {
    crc ^= (uint32_t)(value >> (8 * i)) & 0xffu;
    crc = (crc >> 4) ^ table[crc & 15u];
    crc = (crc >> 4) ^ table[crc & 15u];
  }
  return crc;
}

#endif
