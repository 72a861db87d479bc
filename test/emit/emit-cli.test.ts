// recomp emit on the command line: bad module.json is exit 2 with every problem located, nothing written.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";

describe("recomp emit", () => {
  it("exits 2 naming the file when module.json does not validate, and writes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-emit-cli-"));
    try {
      await writeFile(join(dir, "module.json"), JSON.stringify({ arch: "aarch64", segments: [], functions: [{ name: "f", ops: [{ op: "bogus_i64" }] }] }));
      const out = join(dir, "out");
      const code = await main(["node", "recomp", "emit", "--module", join(dir, "module.json"), "--out", out]);
      expect(code).toBe(2);
      await expect(readFile(join(out, "Makefile"))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a module.json of another IR version (an older lift), naming the file, the key and the fix", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-emit-cli-"));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const file = join(dir, "module.json");
      await writeFile(file, JSON.stringify({ arch: "aarch64", ir_version: 1, segments: [], functions: [{ name: "f", entry: "0x0", blocks: [] }] }));
      const code = await main(["node", "recomp", "emit", "--module", file, "--out", join(dir, "out")]);
      expect(code).toBe(2);
      const text = stderr.mock.calls.map((call) => String(call[0])).join("");
      expect(text).toContain(file);
      expect(text).toContain("ir_version");
      expect(text).toContain("IR version 2");
      expect(text).toContain("re-run recomp lift");
      await expect(readFile(join(dir, "out", "Makefile"))).rejects.toThrow();
    } finally {
      stderr.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
