/*
 * runtime/core/a64: the Advanced SIMD FP helpers (fp_vector.h declares them), compiled once for the whole
 * program rather than inlined into every unit that uses them (see fp_scalar.c).
 */
#include "fp_vector.h"

void rt_a64_fpv_binary(recomp_cpu *cpu, uint64_t pc, int code, int fmt, int count, unsigned d, unsigned n, unsigned m, int index) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = {{0}};
  for (int i = 0; i < count; i++) {
    uint64_t b = rt_fpv_lane(&cpu->vreg[m], fmt, index < 0 ? i : index);
    rt_fpv_set_lane(&out, fmt, i, rt_fpv_binary_element(&f, code, rt_fpv_lane(&cpu->vreg[n], fmt, i), b, fmt));
  }
  rt_fpv_store(cpu, d, &out, fmt, count);
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_pairwise(recomp_cpu *cpu, uint64_t pc, int code, int fmt, int count, unsigned d, unsigned n, unsigned m) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = {{0}};
  for (int i = 0; i < count; i++) {
    int first = 2 * i, half = count < 2 ? 2 : count;
    const rt_vreg *src = first < half ? &cpu->vreg[n] : &cpu->vreg[m];
    int at = first % half;
    rt_fpv_set_lane(&out, fmt, i, rt_fpv_binary_element(&f, code, rt_fpv_lane(src, fmt, at), rt_fpv_lane(src, fmt, at + 1), fmt));
  }
  rt_fpv_store(cpu, d, &out, fmt, count);
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_reduce(recomp_cpu *cpu, uint64_t pc, int code, unsigned d, unsigned n) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  const rt_vreg *v = &cpu->vreg[n];
  uint64_t low = rt_fpv_binary_element(&f, code, v->s[0], v->s[1], 1);
  uint64_t high = rt_fpv_binary_element(&f, code, v->s[2], v->s[3], 1);
  rt_vec_set_scalar(cpu, d, rt_fpv_binary_element(&f, code, low, high, 1), 4);
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_muladd(recomp_cpu *cpu, uint64_t pc, int negate, int fmt, int count, unsigned d, unsigned n, unsigned m, int index) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = {{0}};
  uint64_t sign = negate ? rt_fp_sign_bit(fmt) : 0;
  for (int i = 0; i < count; i++) {
    uint64_t b = rt_fpv_lane(&cpu->vreg[m], fmt, index < 0 ? i : index);
    uint64_t a = rt_fpv_lane(&cpu->vreg[n], fmt, i) ^ sign;
    rt_fpv_set_lane(&out, fmt, i, rt_fp_muladd(&f, rt_fpv_lane(&cpu->vreg[d], fmt, i), a, b, fmt));
  }
  rt_fpv_store(cpu, d, &out, fmt, count);
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_unary(recomp_cpu *cpu, uint64_t pc, int code, int fmt, int count, unsigned d, unsigned n) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = {{0}};
  for (int i = 0; i < count; i++) rt_fpv_set_lane(&out, fmt, i, rt_fpv_unary_element(&f, code, rt_fpv_lane(&cpu->vreg[n], fmt, i), fmt));
  rt_fpv_store(cpu, d, &out, fmt, count);
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_convert(recomp_cpu *cpu, uint64_t pc, int to_int, int mode, int is_signed, int fbits, int fmt, int count,
                        unsigned d, unsigned n) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = {{0}};
  int bits = (int)rt_fp_bits(fmt);
  for (int i = 0; i < count; i++) {
    uint64_t a = rt_fpv_lane(&cpu->vreg[n], fmt, i);
    uint64_t r = to_int ? rt_fp_to_int(&f, a, fmt, fbits, (unsigned)mode, is_signed, bits) : rt_fp_from_int(&f, a, is_signed, bits, fbits, fmt);
    rt_fpv_set_lane(&out, fmt, i, r);
  }
  rt_fpv_store(cpu, d, &out, fmt, count);
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_narrow(recomp_cpu *cpu, uint64_t pc, int to, int odd, int count, int upper, unsigned d, unsigned n) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = upper ? cpu->vreg[d] : (rt_vreg){{0}};
  const rt_vreg src = cpu->vreg[n];
  for (int i = 0; i < count; i++) {
    int at = upper ? i + count : i;
    if (to == 0) out.h[at] = (uint16_t)rt_fp_to_half(&f, src.s[i], 1);
    else out.s[at] = (uint32_t)rt_fp_convert(&f, src.d[i], 2, 1, odd);
  }
  cpu->vreg[d] = out;
  rt_fp_commit(cpu, &f);
}

void rt_a64_fpv_widen(recomp_cpu *cpu, uint64_t pc, int to, int upper, unsigned d, unsigned n) {
  (void)pc;
  rt_fp f = rt_fp_begin(cpu);
  rt_vreg out = {{0}};
  const rt_vreg src = cpu->vreg[n];
  int count = to == 1 ? 4 : 2;
  for (int i = 0; i < count; i++) {
    int at = upper ? i + count : i;
    if (to == 1) out.s[i] = (uint32_t)rt_fp_from_half(&f, src.h[at], 1);
    else out.d[i] = rt_fp_convert(&f, src.s[at], 1, 2, 0);
  }
  cpu->vreg[d] = out;
  rt_fp_commit(cpu, &f);
}
