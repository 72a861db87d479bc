// recomp emit on the command line: bad module.json is exit 2 with every problem located, nothing written.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
});
