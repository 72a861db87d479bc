/*
 * runtime/core/a64: the scalar FP helpers that do FP arithmetic in all its cases (fp_scalar.h declares them and
 * inlines the native fast path in front of them), compiled once for the whole program: inlined with their
 * FPCR/FPSR handling at every use, they were most of an FP-using unit's compile time.
 */
#include "fp_scalar.h"

uint64_t rt_a64_fp_arith_general(recomp_cpu *cpu, uint64_t pc, int op, int fmt, uint64_t a, uint64_t b) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_arith(&f, op, rt_fp_value(a, fmt), rt_fp_value(b, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_minmax_general(recomp_cpu *cpu, uint64_t pc, int is_max, int nm, int fmt, uint64_t a, uint64_t b) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_minmax(&f, is_max, nm, rt_fp_value(a, fmt), rt_fp_value(b, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_muladd_general(recomp_cpu *cpu, uint64_t pc, int neg_addend, int neg_product, int fmt, uint64_t n, uint64_t m,
                                  uint64_t a) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  uint64_t sign = rt_fp_sign_bit(fmt);
  uint64_t addend = rt_fp_value(a, fmt) ^ (neg_addend ? sign : 0), x = rt_fp_value(n, fmt) ^ (neg_product ? sign : 0);
  uint64_t r = rt_fp_muladd(&f, addend, x, rt_fp_value(m, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_sqrt_general(recomp_cpu *cpu, uint64_t pc, int fmt, uint64_t v) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_sqrt(&f, rt_fp_value(v, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_frint(recomp_cpu *cpu, uint64_t pc, int mode, int exact, int fmt, uint64_t v) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  unsigned rounding = mode < 0 ? rt_fpcr_rmode(f.fpcr) : (unsigned)mode;
  uint64_t r = rt_fp_round_int(&f, rt_fp_value(v, fmt), fmt, rounding, exact);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_fcvt_general(recomp_cpu *cpu, uint64_t pc, int from, int to, uint64_t v) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_convert_any(&f, rt_fp_value(v, from), from, to);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, to);
}

/* `b` is already the second operand (+0.0 for the with-zero forms). */
unsigned rt_a64_fp_compare_general(recomp_cpu *cpu, uint64_t pc, int signal_all, int fmt, uint64_t a, uint64_t b) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  unsigned nzcv = rt_fp_compare(&f, rt_fp_value(a, fmt), rt_fp_value(b, fmt), fmt, signal_all);
  rt_fp_commit(cpu, &f);
  return nzcv;
}

uint64_t rt_a64_fp_to_int_general(recomp_cpu *cpu, uint64_t pc, int mode, int is_signed, int bits, int fbits, int fmt, uint64_t v) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_to_int(&f, rt_fp_value(v, fmt), fmt, fbits, (unsigned)mode, is_signed, bits);
  rt_fp_commit(cpu, &f);
  return r;
}
