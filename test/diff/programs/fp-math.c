/* FP semantics as GCC emits them: arithmetic, fused multiply-add, min/max, rounding, conversions (integer,
 * fixed, half), compares and selects, under each FPCR rounding mode and with FZ and DN; prints results and FPSR. */
#include "linux.h"

typedef __fp16 f16;

static u64 state = 0x2545f4914f6cdd1dul;
static u64 next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static u64 bits_of(double d) {
  u64 v;
  __builtin_memcpy(&v, &d, 8);
  return v;
}
static u32 bits_of_float(float f) {
  u32 v;
  __builtin_memcpy(&v, &f, 4);
  return v;
}
static double double_of(u64 v) {
  double d;
  __builtin_memcpy(&d, &v, 8);
  return d;
}

static void set_fpcr(u64 v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }
static u64 take_fpsr(void) {
  u64 v;
  __asm__ volatile("mrs %0, fpsr" : "=r"(v));
  __asm__ volatile("msr fpsr, xzr");
  return v;
}

/* Values with interesting exponents: ordinary, huge, tiny, denormal, zero, infinity, NaN. */
static double pick(void) {
  u64 r = next();
  switch (r & 7) {
    case 0: return double_of((r >> 3) & 0x000fffffffffffffu);                 /* denormal or zero */
    case 1: return double_of(0x7ff0000000000000u | ((r >> 3) & 0x8008000000000003u)); /* inf or NaN */
    case 2: return (double)(i64)(r ^ (r >> 20)) / 1000.0;
    case 3: return double_of((r >> 1) & 0x380fffffffffffffu);                /* tiny normals */
    default: return double_of(r);
  }
}

__attribute__((noinline)) static double arith(double a, double b, double c) {
  return (a + b) * c - a / (b + 0.5) + __builtin_sqrt(__builtin_fabs(c)) + __builtin_fma(a, b, c);
}
__attribute__((noinline)) static float arithf(float a, float b, float c) {
  return (a - b) / c + a * b + __builtin_sqrtf(__builtin_fabsf(a)) - __builtin_fmaf(a, c, -b);
}
__attribute__((noinline)) static double minmax(double a, double b) {
  return __builtin_fmax(a, b) - __builtin_fmin(a, b) + (a > b ? a : b);
}
__attribute__((noinline)) static u64 rounding(double a) {
  return bits_of(__builtin_floor(a)) ^ bits_of(__builtin_ceil(a)) << 1 ^ bits_of(__builtin_trunc(a)) << 2 ^
         bits_of(__builtin_round(a)) << 3 ^ bits_of(__builtin_rint(a)) << 4 ^ bits_of(__builtin_nearbyint(a)) << 5;
}
__attribute__((noinline)) static u64 to_integers(double a, float f) {
  return (u64)(i64)a ^ (u64)a << 1 ^ (u64)(i32)f << 2 ^ (u64)(u32)f << 3 ^ (u64)__builtin_lround(a) << 4 ^
         (u64)__builtin_llrint(f) << 5;
}
__attribute__((noinline)) static u64 from_integers(u64 x) {
  return bits_of((double)(i64)x) ^ bits_of((double)x) << 1 ^ bits_of_float((float)(i32)x) << 2 ^
         bits_of_float((float)(u32)x) << 3 ^ bits_of((double)(i64)x / 65536.0) << 4;
}
__attribute__((noinline)) static u64 precisions(double a, float f) {
  f16 h = (f16)f, g = (f16)a;
  return bits_of_float((float)a) ^ bits_of((double)f) << 1 ^ bits_of_float((float)h) << 2 ^ bits_of((double)g) << 3;
}
__attribute__((noinline)) static u64 compares(double a, double b, float f, float g) {
  return (u64)(a < b) | (u64)(a <= b) << 1 | (u64)(a == b) << 2 | (u64)__builtin_isunordered(a, b) << 3 |
         (u64)(f > g) << 4 | (u64)(f >= g && a != b) << 5 | (u64)__builtin_isless(f, g) << 6;
}

void _start(void) {
  /* RMode nearest, up, down, zero; then FZ, DN, AHP. */
  static const u64 modes[] = {0, 0x400000, 0x800000, 0xc00000, 0x1000000, 0x2000000, 0x4000000, 0x3c00000};
  u64 acc = 0;
  for (int m = 0; m < 8; m++) {
    for (int i = 0; i < 24; i++) {
      double a = pick(), b = pick(), c = pick();
      set_fpcr(modes[m]);
      u64 r = bits_of(arith(a, b, c)) ^ bits_of_float(arithf((float)a, (float)b, (float)c)) << 7;
      r ^= bits_of(minmax(a, b)) << 1;
      r ^= rounding(a) << 2;
      r ^= to_integers(a, (float)b) << 3;
      r ^= from_integers(next() >> (i & 63)) << 4;
      r ^= precisions(a, (float)c) << 5;
      r ^= compares(a, b, (float)a, (float)c) << 6;
      u64 flags = take_fpsr();
      set_fpcr(0);
      put_hex(r);
      put_hex(flags);
      acc = acc * 33 + r + flags;
    }
  }
  put_str("acc ");
  put_hex(acc);
  exit_with((int)(acc & 0x3f));
}
