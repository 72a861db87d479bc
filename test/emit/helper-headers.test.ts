// Units include only the runtime/core/a64 headers of the helpers they call: the mapping, and every header alone.
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { runtimeRoot } from "../../src/emit/runtime-root.js";
import { helperHeaders } from "../../src/emit/helper-headers.js";
import { requireTools } from "../helpers/tools.js";

describe("helperHeaders", () => {
  it("names the headers of the helpers a unit calls, and every header for a helper of no known group", () => {
    expect(helperHeaders(["  x0 = rt_guest_ld64(mem, x1, UINT64_C(0x10));"])).toEqual([]);
    expect(helperHeaders(["  rt_a64_ld_multiple(cpu, UINT64_C(0x10), x1, 3, 1, 2, 4);", "  rt_a64_fp_arith(cpu, pc, 1, 2, 0, 1, 2);"])).toEqual([
      "a64/fp_scalar.h",
      "a64/structures.h",
    ]);
    expect(helperHeaders(["  rt_a64_fpv_binary(cpu, pc);", "  x0 = rt_atomic_rmw(cpu, x1, x2, 64, RT_ATOMIC_ADD, pc);"])).toEqual(["a64/atomics.h", "a64/fp_vector.h"]);
    expect(helperHeaders(["  rt_a64_simd_add(cpu, pc);"])).toEqual(["a64/simd_arith.h", "a64/simd_copy.h", "a64/simd_misc.h"]);
    expect(helperHeaders(["  rt_a64_something_new(cpu, pc);"])).toEqual(["a64.h"]);
  });
});

describe.runIf(requireTools("cc"))("runtime/core/a64 headers", () => {
  it("each compiles on its own after program.h (a unit includes only some of them)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-helper-headers-"));
    try {
      await writeFile(join(dir, "layout.h"), "#define RT_REGION_COUNT 1\n");
      const headers = (await readdir(join(runtimeRoot, "core", "a64"))).filter((name) => name.endsWith(".h")).sort();
      expect(headers.length).toBeGreaterThan(10);
      const units = headers.map((_, i) => join(dir, `u${i}.c`));
      for (const [i, name] of headers.entries()) await writeFile(units[i] ?? "", `#include "program.h"\n#include "a64/${name}"\n`);
      // One compiler run over every file: each is its own translation unit.
      await execa("cc", ["-std=c99", "-Wall", "-Werror", "-fsyntax-only", `-I${dir}`, `-I${join(runtimeRoot, "core")}`, ...units]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
