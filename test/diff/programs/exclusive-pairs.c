/*
 * Exclusive pairs in sequence, which single-instruction cases cannot show: ldaxp/stlxp and ldxp/stxp loops that
 * succeed, a store-exclusive that fails after clrex, at another address, or after an LSE atomic wrote the pair.
 */
#include "linux.h"

static u64 pair[2] __attribute__((aligned(16))) = {0xffffffffffffffffUL, 1};
static u32 words[2] __attribute__((aligned(8))) = {0xfffffff0u, 7};
static u64 other[2] __attribute__((aligned(16)));

/* 128-bit add with ldaxp/stlxp; returns how many tries it took (1 with one thread). */
static u64 add128(u64 lo_add, u64 hi_add) {
  u64 lo, hi, tries = 0;
  u32 failed;
  do {
    __asm__ volatile("ldaxp %0, %1, [%3]\n\tadds %0, %0, %4\n\tadc %1, %1, %5\n\tstlxp %w2, %0, %1, [%3]"
                     : "=&r"(lo), "=&r"(hi), "=&r"(failed)
                     : "r"(pair), "r"(lo_add), "r"(hi_add)
                     : "memory", "cc");
    tries++;
  } while (failed && tries < 10);
  return tries;
}

static u64 swap_words(void) {
  u32 lo, hi, failed;
  __asm__ volatile("ldxp %w0, %w1, [%3]\n\tstxp %w2, %w1, %w0, [%3]" : "=&r"(lo), "=&r"(hi), "=&r"(failed) : "r"(words) : "memory");
  return failed;
}

static u64 after_clrex(void) {
  u64 lo, hi;
  u32 failed;
  __asm__ volatile("ldxp %0, %1, [%3]\n\tclrex\n\tstxp %w2, %0, %1, [%3]" : "=&r"(lo), "=&r"(hi), "=&r"(failed) : "r"(pair) : "memory");
  return failed;
}

static u64 elsewhere(void) {
  u64 lo, hi;
  u32 failed;
  __asm__ volatile("ldxp %0, %1, [%3]\n\tstxp %w2, %0, %1, [%4]"
                   : "=&r"(lo), "=&r"(hi), "=&r"(failed)
                   : "r"(pair), "r"(other)
                   : "memory");
  return failed;
}

static u64 after_atomic(void) {
  u64 lo, hi, old;
  u32 failed;
  __asm__ volatile(".arch_extension lse\n\tldxp %0, %1, [%4]\n\tldadd %5, %3, [%4]\n\tstxp %w2, %0, %1, [%4]"
                   : "=&r"(lo), "=&r"(hi), "=&r"(failed), "=&r"(old)
                   : "r"(pair), "r"((u64)5)
                   : "memory");
  return failed;
}

void _start(void) {
  put_hex(add128(1, 0));
  put_hex(pair[0]);
  put_hex(pair[1]);
  put_hex(add128(0x8000000000000000UL, 3));
  put_hex(pair[0]);
  put_hex(pair[1]);
  put_hex(swap_words());
  put_hex(((u64)words[1] << 32) | words[0]);
  put_hex(after_clrex());
  put_hex(elsewhere());
  put_hex(other[0] | other[1]);
  put_hex(after_atomic());
  put_hex(pair[0]);
  exit_with(0);
}
