// The launcher's V8 code cache (bin/recomp.js): kept in the cache folder, used when intact, and a damaged,
// truncated or foreign cache file is ignored and replaced, never run.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Script } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { recomp, recompBin } from "../engine/fixture.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-code-cache-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();

/** `recomp schema automation` (a short command) with the cache folder `cache`: it must work whatever the cache holds. */
async function runWith(cache: string): Promise<void> {
  const result = await recomp(dir, ["schema", "automation"], { RECOMP_CACHE_DIR: cache });
  expect(result.code).toBe(0);
  expect((JSON.parse(result.stdout) as { required: string[] }).required).toContain("schema_version");
}

/** The one cache file under `cache`, and whether its SHA-256 header matches its V8 data. */
async function cacheFile(cache: string): Promise<{ path: string; intact: boolean; bytes: Buffer }> {
  const names = await readdir(join(cache, "code"));
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^[0-9a-f]{64}\.v8$/);
  const path = join(cache, "code", names[0] ?? "");
  const bytes = await readFile(path);
  return { path, bytes, intact: bytes.length > 32 && sha256(bytes.subarray(32)).equals(bytes.subarray(0, 32)) };
}

describe("the launcher's code cache", () => {
  it("is written once in the cache folder and then used as it is", async () => {
    const cache = join(dir, "used");
    await runWith(cache);
    const first = await cacheFile(cache);
    expect(first.intact).toBe(true);
    const written = (await stat(first.path)).mtimeMs;
    await runWith(cache);
    expect((await stat(first.path)).mtimeMs).toBe(written);
  });

  it("ignores and replaces a damaged, truncated or foreign cache file", async () => {
    const cache = join(dir, "damaged");
    await runWith(cache);
    const { path, bytes } = await cacheFile(cache);
    // Same length, one flipped byte in the V8 data: V8 itself would not notice (no checksum in release builds).
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0xff;
    // A valid header over V8 data of another script: V8 must reject it.
    const other = new Script("(function () { return 1; })").createCachedData();
    for (const bad of [flipped, bytes.subarray(0, 10), Buffer.concat([sha256(other), other])]) {
      await writeFile(path, bad);
      await runWith(cache);
      const replaced = await cacheFile(cache);
      expect(replaced.intact).toBe(true);
      expect(replaced.bytes.equals(bad)).toBe(false);
    }
  });

  it("is left out when it cannot be written (over ulimit -f): no signal, no partial file", async () => {
    const cache = join(dir, "limited");
    const run = promisify(execFile);
    const { stdout } = await run("sh", ["-c", 'ulimit -f 64 && exec "$0" "$1" schema automation', process.execPath, recompBin], {
      cwd: dir,
      env: { ...process.env, RECOMP_CACHE_DIR: cache },
    });
    expect((JSON.parse(stdout) as { required: string[] }).required).toContain("schema_version");
    expect(await readdir(join(cache, "code"))).toEqual([]);
  });

  it("is not written with RECOMP_CACHE_DIR=off", async () => {
    await runWith("off");
    await expect(readdir(join(dir, "off"))).rejects.toThrow(/ENOENT/);
  });
});
