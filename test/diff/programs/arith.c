/* Integer semantics: flags, carries, multiply-high, division edge cases, shifts, bit ops, extends. */
#include "linux.h"

static u64 state = 0x9e3779b97f4a7c15ul;
static u64 next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

__attribute__((noinline)) static u64 mulhi_u(u64 a, u64 b) { return (u64)(((unsigned __int128)a * b) >> 64); }
__attribute__((noinline)) static i64 mulhi_s(i64 a, i64 b) { return (i64)(((__int128)a * b) >> 64); }
__attribute__((noinline)) static i64 sdiv(i64 a, i64 b) { return b == 0 ? 0 : (a == (i64)(1ul << 63) && b == -1) ? a : a / b; }
__attribute__((noinline)) static i32 sdiv32(i32 a, i32 b) { return b == 0 ? 7 : a / b; }
__attribute__((noinline)) static u32 udiv32(u32 a, u32 b) { return b == 0 ? 9 : a % b; }
__attribute__((noinline)) static u64 add_carry(u64 a, u64 b, u64 c, u64 d) {
  unsigned __int128 x = ((unsigned __int128)a << 64 | b) + ((unsigned __int128)c << 64 | d);
  return (u64)(x >> 64) ^ (u64)x;
}
__attribute__((noinline)) static u64 sub_borrow(u64 a, u64 b, u64 c, u64 d) {
  unsigned __int128 x = ((unsigned __int128)a << 64 | b) - ((unsigned __int128)c << 64 | d);
  return (u64)(x >> 64) + 3 * (u64)x;
}
__attribute__((noinline)) static u64 compares(i64 a, i64 b) {
  u64 r = 0;
  r = r << 1 | (a < b);
  r = r << 1 | ((u64)a < (u64)b);
  r = r << 1 | ((i32)a < (i32)b);
  r = r << 1 | ((u32)a <= (u32)b);
  r = r << 1 | (a == b);
  r = r << 1 | ((i32)a > 0);
  r = r << 1 | (a + b < a);
  r = r << 1 | (__builtin_add_overflow_p(a, b, (i64)0));
  r = r << 1 | (__builtin_sub_overflow_p((i32)a, (i32)b, (i32)0));
  return r;
}
__attribute__((noinline)) static u64 bits(u64 a, u64 b) {
  u64 r = (u64)__builtin_clzll(a | 1) * 3 + (u64)__builtin_ctzll(b | 0x8000000000000000ul);
  r ^= __builtin_bswap64(a) + __builtin_bswap32((u32)b) + __builtin_bswap16((unsigned short)a);
  r += (u64)__builtin_clrsbll((i64)b) + (u64)__builtin_clz((u32)a | 1);
  r ^= (a >> (b & 63)) | (a << ((-b) & 63));
  r += (u64)((i64)a >> (b & 63)) + ((u32)a >> (b & 31)) + (u64)(u32)((i32)b >> (a & 31));
  r ^= ((a >> 5) & 0x3ff) | ((b & 0xff) << 20) | (u64)((i64)(a << 9) >> 40);
  r += (u64)(signed char)a + (u64)(short)b + (u64)(i32)a + (u64)(unsigned char)b + (u64)(unsigned short)a;
  return r;
}
__attribute__((noinline)) static u64 select(i64 a, i64 b) {
  u64 r = a > b ? (u64)a : (u64)b + 1;
  r += a != 0 ? 5u : ~(u64)b;
  r += (a & 1) ? -(u64)b : (u64)b;
  r += (u32)a > 17 && (u32)b < 99;
  return r;
}
__attribute__((noinline)) static i32 classify(u32 v) {
  switch (v % 11) {
    case 0: return 17;
    case 1: return (i32)v * 3;
    case 2: return -4;
    case 3: return (i32)(v >> 3);
    case 4: return 99;
    case 5: return (i32)(v ^ 0x55);
    case 6: return 1000;
    case 7: return (i32)v - 1;
    default: return 0;
  }
}

void _start(void) {
  u64 acc = 0;
  for (int i = 0; i < 64; i++) {
    u64 a = next(), b = next();
    if (i % 5 == 0) b = a;
    if (i % 7 == 0) b = 0;
    if (i == 3) { a = 1ul << 63; b = (u64)-1; }
    put_hex(mulhi_u(a, b) ^ (u64)mulhi_s((i64)a, (i64)b));
    put_hex((u64)sdiv((i64)a, (i64)b) + a / (b | 1) + (u64)sdiv32((i32)a, (i32)b) + udiv32((u32)a, (u32)b));
    put_hex(add_carry(a, b, b, a) ^ sub_borrow(a, b, b, a));
    put_hex(compares((i64)a, (i64)b) ^ compares((i64)b, (i64)a) << 20);
    put_hex(bits(a, b));
    put_hex(select((i64)a, (i64)b) + (u64)classify((u32)a));
    acc = acc * 31 + a * b - (a >> 3);
  }
  put_str("acc ");
  put_hex(acc);
  exit_with((int)(acc & 0x3f));
}
