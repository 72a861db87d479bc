/*
 * runtime/core: the one guest CPU state every lifted function shares, and the exact A64 integer
 * semantics the emitted C calls (flags, carries, division, bit operations). All arithmetic is on
 * unsigned types, so it wraps as the hardware does. Needs a compiler with unsigned __int128
 * (GCC, Clang) for the 64-bit multiply-high.
 */
#ifndef RECOMP_CPU_H
#define RECOMP_CPU_H

#include <stdint.h>

/* C99 has no _Noreturn; the emitted code is C99, the services C11. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define RT_NORETURN _Noreturn
#elif defined(__GNUC__)
#define RT_NORETURN __attribute__((noreturn))
#else
#define RT_NORETURN
#endif

/*
 * The helpers lifted code calls for single instructions: always inlined, whatever the size of the lifted
 * function (the flag helpers take the address of the local NZCV, which must stay in host registers).
 */
#if defined(__GNUC__)
#define RT_INLINE static inline __attribute__((always_inline))
#else
#define RT_INLINE static inline
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "recomp's runtime numbers vector lanes from the low end of host memory: it needs a little-endian host"
#endif

/* One 128-bit SIMD&FP register. Lane i of every view is the architecture's element i (little-endian host). */
typedef union rt_vreg {
  uint8_t b[16];
  uint16_t h[8];
  uint32_t s[4];
  uint64_t d[2];
} rt_vreg;

/*
 * A V register as a lifted function's local (emit-c.ts): two plain 64-bit halves, which the C compiler keeps in
 * host registers (a local of the union type above would stay in memory). Copied to and from the CPU state's
 * rt_vreg where code that reads the CPU state may run (calls, returns, the vector helpers).
 */
typedef struct rt_v128 {
  uint64_t lo, hi;
} rt_v128;
static inline rt_v128 rt_v128_of(const rt_vreg *v) {
  rt_v128 out = {v->d[0], v->d[1]};
  return out;
}
static inline void rt_v128_store(rt_vreg *v, rt_v128 value) {
  v->d[0] = value.lo;
  v->d[1] = value.hi;
}

/*
 * NZCV as the lifted code keeps it: a local of each function (so the C compiler drops flags nobody reads),
 * copied to and from the CPU state where another function or a helper may see it.
 */
typedef struct rt_nzcv {
  uint8_t n, z, c, v;
} rt_nzcv;

typedef struct recomp_cpu {
  uint64_t x[31]; /* x0..x30; xzr is not stored (reads 0, writes vanish) */
  uint64_t sp;
  uint64_t pc;    /* set by `ret` to the address it returns to; checked by the caller */
  rt_nzcv flags;
  rt_vreg vreg[32]; /* v0..v31 */
  uint32_t fpcr, fpsr;
  uint64_t tpidr_el0;
  uint64_t tpidrro_el0; /* the thread's TLS address (Horizon: read-only to the guest; set by the horizon loader) */
  uint64_t exclusive_addr; /* single-thread exclusive monitor */
  int exclusive_valid;
} recomp_cpu;

/*
 * A lifted function's read of a register from the CPU state, as one scalar load. GCC would otherwise merge
 * neighbouring fields (x30 and sp, say) into one vector load, and a vector load of fields the caller has just
 * stored one by one misses store forwarding on x86-64 (a stall of a dozen cycles at every call). Not volatile:
 * a read nobody uses is still dropped. A cold unit (memory.h) reads plainly: there, compile time counts, not speed.
 */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(RT_COLD_UNIT)
#define rt_reg(field) __extension__({ uint64_t rt_r_; __asm__("movq %1, %0" : "=r"(rt_r_) : "m"(field)); rt_r_; })
#else
#define rt_reg(field) (field)
#endif

/* Flags of a + b + carry (sub is a + ~b + 1): the AddWithCarry of the architecture. */
RT_INLINE uint64_t rt_addc64(rt_nzcv *f, uint64_t a, uint64_t b, uint64_t carry) {
  unsigned __int128 wide = (unsigned __int128)a + b + carry;
  uint64_t r = (uint64_t)wide;
  f->n = (uint8_t)(r >> 63);
  f->z = r == 0;
  f->c = (uint8_t)(wide >> 64);
  f->v = (uint8_t)(((~(a ^ b) & (a ^ r)) >> 63) & 1);
  return r;
}

RT_INLINE uint64_t rt_addc32(rt_nzcv *f, uint64_t a64, uint64_t b64, uint64_t carry) {
  uint32_t a = (uint32_t)a64, b = (uint32_t)b64;
  uint64_t wide = (uint64_t)a + b + carry;
  uint32_t r = (uint32_t)wide;
  f->n = (uint8_t)(r >> 31);
  f->z = r == 0;
  f->c = (uint8_t)(wide >> 32);
  f->v = (uint8_t)(((~(a ^ b) & (a ^ r)) >> 31) & 1);
  return r;
}

RT_INLINE uint64_t rt_logic_flags64(rt_nzcv *f, uint64_t r) {
  f->n = (uint8_t)(r >> 63);
  f->z = r == 0;
  f->c = 0;
  f->v = 0;
  return r;
}

RT_INLINE uint64_t rt_logic_flags32(rt_nzcv *f, uint64_t r64) {
  uint32_t r = (uint32_t)r64;
  f->n = (uint8_t)(r >> 31);
  f->z = r == 0;
  f->c = 0;
  f->v = 0;
  return r;
}

RT_INLINE void rt_nzcv_set(rt_nzcv *f, unsigned nzcv) {
  f->n = (nzcv >> 3) & 1;
  f->z = (nzcv >> 2) & 1;
  f->c = (nzcv >> 1) & 1;
  f->v = nzcv & 1;
}


/* Sign-extends the low `bits` bits (1..64) without implementation-defined conversions. */
RT_INLINE uint64_t rt_sext(uint64_t value, unsigned bits) {
  uint64_t sign = UINT64_C(1) << (bits - 1);
  uint64_t low = bits == 64 ? value : value & ((sign << 1) - 1);
  return (low ^ sign) - sign;
}

RT_INLINE uint64_t rt_asr64(uint64_t a, unsigned s) {
  return s == 0 ? a : (a >> s) | ((a >> 63) ? ~(UINT64_MAX >> s) : 0);
}
RT_INLINE uint64_t rt_asr32(uint64_t a64, unsigned s) {
  uint32_t a = (uint32_t)a64;
  return s == 0 ? a : (uint32_t)((a >> s) | ((a >> 31) ? ~(UINT32_MAX >> s) : 0));
}
RT_INLINE uint64_t rt_ror64(uint64_t a, unsigned s) { return s == 0 ? a : (a >> s) | (a << (64 - s)); }
RT_INLINE uint64_t rt_ror32(uint64_t a64, unsigned s) {
  uint32_t a = (uint32_t)a64;
  return s == 0 ? a : (uint32_t)((a >> s) | (a << (32 - s)));
}

RT_INLINE uint64_t rt_udiv64(uint64_t a, uint64_t b) { return b == 0 ? 0 : a / b; }
RT_INLINE uint64_t rt_udiv32(uint64_t a, uint64_t b) { return (uint32_t)b == 0 ? 0 : (uint32_t)a / (uint32_t)b; }
/* Signed division on magnitudes: x/0 = 0 and MIN/-1 = MIN, as A64 defines them. */
RT_INLINE uint64_t rt_sdiv64(uint64_t a, uint64_t b) {
  if (b == 0) return 0;
  int neg_a = (int)(a >> 63), neg_b = (int)(b >> 63);
  uint64_t q = (neg_a ? -a : a) / (neg_b ? -b : b);
  return neg_a != neg_b ? -q : q;
}
RT_INLINE uint64_t rt_sdiv32(uint64_t a64, uint64_t b64) {
  uint32_t a = (uint32_t)a64, b = (uint32_t)b64;
  if (b == 0) return 0;
  int neg_a = (int)(a >> 31), neg_b = (int)(b >> 31);
  uint32_t q = (neg_a ? -a : a) / (neg_b ? -b : b);
  return (uint32_t)(neg_a != neg_b ? -q : q);
}
RT_INLINE uint64_t rt_umulh(uint64_t a, uint64_t b) { return (uint64_t)(((unsigned __int128)a * b) >> 64); }
RT_INLINE uint64_t rt_smulh(uint64_t a, uint64_t b) {
  uint64_t high = rt_umulh(a, b);
  if (a >> 63) high -= b;
  if (b >> 63) high -= a;
  return high;
}

/*
 * Bit counts and reversals are the host's instructions or branch-free mask steps, not loops over the bits: the
 * guest's clz/rbit/rev/cnt are one instruction each, and builtin-bitops-1 ran a loop per use (GCC and Clang only,
 * as unsigned __int128 already is).
 */
RT_INLINE uint64_t rt_clz64(uint64_t a) { return a == 0 ? 64 : (uint64_t)__builtin_clzll(a); }
RT_INLINE uint64_t rt_clz32(uint64_t a) { return rt_clz64((uint32_t)a) - 32; }
/* Leading bits equal to the sign bit, not counting it: clz of (bit i xor bit i-1), with a stop bit. */
RT_INLINE uint64_t rt_cls64(uint64_t a) { return rt_clz64((a ^ (a << 1)) | 1); }
RT_INLINE uint64_t rt_cls32(uint64_t a64) {
  uint32_t a = (uint32_t)a64;
  return rt_clz32((uint32_t)((a ^ (a << 1)) | 1));
}
/* The bits of each byte reversed by swapping halves of ever smaller groups, then the bytes. */
RT_INLINE uint64_t rt_rbit64(uint64_t a) {
  a = ((a >> 1) & UINT64_C(0x5555555555555555)) | ((a & UINT64_C(0x5555555555555555)) << 1);
  a = ((a >> 2) & UINT64_C(0x3333333333333333)) | ((a & UINT64_C(0x3333333333333333)) << 2);
  a = ((a >> 4) & UINT64_C(0x0f0f0f0f0f0f0f0f)) | ((a & UINT64_C(0x0f0f0f0f0f0f0f0f)) << 4);
  return __builtin_bswap64(a);
}
RT_INLINE uint64_t rt_rbit32(uint64_t a) { return rt_rbit64((uint32_t)a) >> 32; }
RT_INLINE uint64_t rt_rev64(uint64_t a) { return __builtin_bswap64(a); }
RT_INLINE uint64_t rt_rev32(uint64_t a) { return rt_rev64((uint32_t)a) >> 32; }
/* rev32 on 64 bits: each 32-bit word byte-reversed in place. */
RT_INLINE uint64_t rt_rev32x2(uint64_t a) { return rt_rev32(a) | (rt_rev32(a >> 32) << 32); }
RT_INLINE uint64_t rt_rev16_64(uint64_t a) {
  return ((a >> 8) & UINT64_C(0x00ff00ff00ff00ff)) | ((a & UINT64_C(0x00ff00ff00ff00ff)) << 8);
}
RT_INLINE uint64_t rt_rev16_32(uint64_t a) { return (uint32_t)rt_rev16_64((uint32_t)a); }
/* Set bits: counts of 2, 4 and 8 bits side by side, then the bytes' sum in the top byte (no popcnt before SSE4.2). */
RT_INLINE uint64_t rt_popcount64(uint64_t a) {
  a = a - ((a >> 1) & UINT64_C(0x5555555555555555));
  a = (a & UINT64_C(0x3333333333333333)) + ((a >> 2) & UINT64_C(0x3333333333333333));
  a = (a + (a >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
  return (a * UINT64_C(0x0101010101010101)) >> 56;
}

#endif
