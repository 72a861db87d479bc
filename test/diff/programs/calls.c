/* Control flow and memory: recursion, values crossing calls, function pointers, jump tables,
   tail calls, struct copies (ldp/stp), sign-extending loads, prefetch, exclusives. */
#include "linux.h"

struct pair { u64 a, b; i32 c; short d; signed char e; };

static const signed char bytes[8] = { -1, 2, -3, 4, -128, 127, 0, -60 };
static const short halves[4] = { -32768, 1234, -2, 32767 };
static const i32 words[4] = { -7, 100000, -2147483647 - 1, 55 };
static struct pair table[16];
static u32 counter;

__attribute__((noinline)) static u64 fib(u64 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((noinline)) static u64 keep_across_calls(u64 x) {
  u64 a = x * 3, b = x ^ 0x55, c = x + 7, d = x << 2, e = x >> 1;
  u64 r = fib(x & 7);
  r += fib((x >> 3) & 7);
  return r + a + b + c + d + e;
}

static u64 op_add(u64 a, u64 b) { return a + b; }
static u64 op_sub(u64 a, u64 b) { return a - b; }
static u64 op_mul(u64 a, u64 b) { return a * b; }
static u64 op_mix(u64 a, u64 b) { return (a << 7) ^ (b >> 3); }
static u64 (*const ops[4])(u64, u64) = { op_add, op_sub, op_mul, op_mix };

__attribute__((noinline)) static i64 classify(u32 v) {
  switch (v & 15) {
    case 0: return 11;
    case 1: return -(i64)v;
    case 2: return (i64)v * 7;
    case 3: return 0x1234;
    case 4: return (i64)(v >> 2);
    case 5: return -99;
    case 6: return (i64)v + 1000;
    case 7: return (i64)(v ^ 0xff);
    case 8: return 8;
    case 9: return (i64)v - 3;
    case 10: return 42;
    default: return -1;
  }
}

__attribute__((noinline)) static u64 tail_target(u64 x, u64 y) { return x * 31 + y; }
__attribute__((noinline)) static u64 tail_caller(u64 x) { return tail_target(x + 1, x >> 2); }

__attribute__((noinline)) static struct pair make_pair(u64 seed) {
  struct pair p = { seed, ~seed, (i32)seed, (short)(seed >> 3), (signed char)(seed >> 5) };
  return p;
}

__attribute__((noinline)) static u64 signed_loads(u32 i) {
  __builtin_prefetch(&table[i & 15]);
  __builtin_prefetch(&table[(i + 1) & 15], 1);
  return (u64)(i64)bytes[i & 7] + (u64)(i64)halves[i & 3] + (u64)(i64)words[i & 3] +
         (u64)(i64)table[i & 15].c + (u64)(i64)table[i & 15].d + (u64)(i64)table[i & 15].e;
}

__attribute__((noinline)) static u32 atomic_bump(u32 by) {
  u32 old = __atomic_fetch_add(&counter, by, __ATOMIC_SEQ_CST);
  u32 expected = old + by;
  __atomic_compare_exchange_n(&counter, &expected, expected * 2, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
  return old;
}

__attribute__((noinline)) static void sort(u64 *v, int n) {
  for (int i = 1; i < n; i++) {
    u64 key = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > key) { v[j + 1] = v[j]; j--; }
    v[j + 1] = key;
  }
}

void _start(void) {
  u64 acc = 0;
  for (u32 i = 0; i < 16; i++) {
    table[i] = make_pair(i * 0x9e3779b97f4a7c15ul);
    put_hex(keep_across_calls(i * 5 + 1));
    put_hex(ops[i & 3](table[i].a, table[i].b));
    put_hex((u64)classify(i * 13 + 5) ^ (u64)classify(i));
    put_hex(tail_caller(i));
    put_hex(signed_loads(i));
    put_hex(atomic_bump(i + 1));
  }
  u64 v[24];
  for (int i = 0; i < 24; i++) v[i] = table[i & 15].b * (u64)(i + 3) ^ table[(i * 7) & 15].a;
  sort(v, 24);
  for (int i = 0; i < 24; i++) acc = acc * 1099511628211ul + v[i];
  put_str("sorted ");
  put_hex(acc);
  put_str("counter ");
  put_hex(counter);
  exit_with((int)(fib(20) & 0x7f));
}
