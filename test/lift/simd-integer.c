/* Integer loops GCC vectorises at -O3: the Advanced SIMD integer instructions real code gets. */
#include <stdint.h>
#define N 64
void add8(uint8_t *restrict d, const uint8_t *a, const uint8_t *b) { for (int i = 0; i < N; i++) d[i] = a[i] + b[i]; }
void mul16(int16_t *restrict d, const int16_t *a, const int16_t *b) { for (int i = 0; i < N; i++) d[i] = a[i] * b[i]; }
void mla32(int32_t *restrict d, const int32_t *a, const int32_t *b) { for (int i = 0; i < N; i++) d[i] += a[i] * b[i]; }
void max32(int32_t *restrict d, const int32_t *a, const int32_t *b) { for (int i = 0; i < N; i++) d[i] = a[i] > b[i] ? a[i] : b[i]; }
void umin8(uint8_t *restrict d, const uint8_t *a, const uint8_t *b) { for (int i = 0; i < N; i++) d[i] = a[i] < b[i] ? a[i] : b[i]; }
void abs16(int16_t *restrict d, const int16_t *a) { for (int i = 0; i < N; i++) d[i] = a[i] < 0 ? -a[i] : a[i]; }
void widen(int32_t *restrict d, const int16_t *a, const int16_t *b) { for (int i = 0; i < N; i++) d[i] = (int32_t)a[i] * b[i]; }
void narrow(uint8_t *restrict d, const uint16_t *a) { for (int i = 0; i < N; i++) d[i] = (uint8_t)(a[i] >> 4); }
void shifts(int64_t *restrict d, const int64_t *a) { for (int i = 0; i < N; i++) d[i] = (a[i] >> 3) ^ (a[i] << 7); }
void select(int32_t *restrict d, const int32_t *a, int32_t k) { for (int i = 0; i < N; i++) d[i] = a[i] == k ? 1 : a[i]; }
uint32_t sum(const uint32_t *a) { uint32_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
int32_t smaxall(const int32_t *a) { int32_t s = a[0]; for (int i = 0; i < N; i++) s = a[i] > s ? a[i] : s; return s; }
uint64_t sumw(const uint8_t *a) { uint64_t s = 0; for (int i = 0; i < N; i++) s += a[i]; return s; }
void fill(uint32_t *d) { for (int i = 0; i < N; i++) d[i] = 0x12340000u; }
void avg(uint8_t *restrict d, const uint8_t *a, const uint8_t *b) { for (int i = 0; i < N; i++) d[i] = (uint8_t)((a[i] + b[i] + 1) >> 1); }
void sat(int16_t *restrict d, const int32_t *a) { for (int i = 0; i < N; i++) { int32_t v = a[i]; d[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); } }
void interleave(int32_t *restrict d, const int32_t *a, const int32_t *b) { for (int i = 0; i < N; i++) { d[2 * i] = a[i]; d[2 * i + 1] = b[i]; } }
void popcnt(uint8_t *restrict d, const uint64_t *a) { for (int i = 0; i < N; i++) d[i] = (uint8_t)__builtin_popcountll(a[i]); }
void bswap(uint32_t *restrict d, const uint32_t *a) { for (int i = 0; i < N; i++) d[i] = __builtin_bswap32(a[i]); }
