// emit: the runtime/core/a64 headers a unit's helper calls need, so a unit includes only those: the helper
// headers are most of what every unit compiles besides its own functions (each header includes what it uses).

/** Identifier patterns of the helpers (runtime/core/a64), each with the headers that define it. */
const headersByHelper: [RegExp, string[]][] = [
  [/^rt_a64_(ld|st)_(multiple|single|replicate)$/, ["a64/structures.h"]],
  [/^rt_a64_(read|write)_fp(cr|sr)$/, ["a64/fp_state.h"]],
  [/^rt_a64_fpv_/, ["a64/fp_vector.h"]],
  [/^rt_a64_fp_/, ["a64/fp_scalar.h"]],
  [/^rt_a64_simd_/, ["a64/simd_arith.h", "a64/simd_misc.h", "a64/simd_copy.h"]],
  [/^rt_a64_crc32/, ["a64/crc32.h"]],
  [/^rt_a64_(aes|sha)/, ["a64/crypto.h"]],
  [/^rt_a64_(dc_zva|cache_maintenance)$/, ["a64/system.h"]],
  [/^(rt_atomic_|RT_ATOMIC_|rt_load_exclusive_pair$|rt_store_pair$)/, ["a64/atomics.h"]],
];

const helperPattern = /\b(rt_a64_\w+|rt_atomic_\w+|RT_ATOMIC_\w+|rt_load_exclusive_pair|rt_store_pair)\b/g;

/** The headers to include for `lines` of C, sorted; a helper of no known group brings in every header (a64.h). */
export function helperHeaders(lines: readonly string[]): string[] {
  const headers = new Set<string>();
  const seen = new Set<string>();
  for (const line of lines) {
    if (!line.includes("rt_") && !line.includes("RT_ATOMIC_")) continue;
    for (const [name] of line.matchAll(helperPattern)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const group = headersByHelper.find(([pattern]) => pattern.test(name));
      for (const header of group?.[1] ?? ["a64.h"]) headers.add(header);
    }
  }
  return [...headers].sort();
}
