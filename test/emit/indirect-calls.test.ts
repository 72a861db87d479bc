// Indirect calls through the runtime's function index (runtime/core/dispatch.c): every lifted function is
// found by its entry address, and an address that is not an entry is a fault naming it and the blr.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { emitProject } from "../../src/emit/index.js";
import { liftModule, type LiftImage } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";

const leaves = 300;
const base = 0x40000;

/**
 * Entry: `bl` each leaf (so each is a lifted function), then `adr x9, target; blr x9; add x20, x20, x0`
 * for each leaf's target, and returns the sum; leaf i is `movz x0, #i; ret`. `moved` shifts one target by some bytes.
 */
function program(moved?: { leaf: number; by: number }): { image: LiftImage; blrAt: (i: number) => number } {
  const words = [0xaa1e03f3, 0xd2800014]; // mov x19, x30; mov x20, #0
  const entryWords = 2 + leaves + 3 * leaves + 3;
  const leafAt = (i: number): number => entryWords + 2 * i;
  for (let i = 0; i < leaves; i += 1) words.push(0x94000000 | ((leafAt(i) - words.length) & 0x3ffffff));
  const blrAt = (i: number): number => base + 4 * (2 + leaves + 3 * i + 1);
  for (let i = 0; i < leaves; i += 1) {
    const offset = 4 * (leafAt(i) - words.length) + (moved?.leaf === i ? moved.by : 0);
    words.push(0x10000009 | ((offset & 3) << 29) | (((offset >> 2) & 0x7ffff) << 5), 0xd63f0120, 0x8b000294);
  }
  words.push(0xaa1403e0, 0xaa1303fe, 0xd65f03c0); // mov x0, x20; mov x30, x19; ret
  for (let i = 0; i < leaves; i += 1) words.push(0xd2800000 | (i << 5), 0xd65f03c0);
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word >>> 0, true));
  const text = { name: "text", base: BigInt(base), bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } };
  return { image: { segments: [text], entry: BigInt(base), symbols: [] }, blrAt };
}

async function buildAndRun(dir: string, image: LiftImage): Promise<{ exitCode: number; stderr: string }> {
  const lifted = await liftModule({ image, mode: "decode", outDir: join(dir, "lift") });
  expect(lifted.unsupported).toEqual([]);
  const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, "build"), personality: "linux" });
  await execa("make", ["-s", "-C", join(dir, "build"), "CFLAGS=-O1"]);
  const run = await execa(join(dir, "build", emitted.executable), [], { reject: false });
  return { exitCode: run.exitCode ?? -1, stderr: run.stderr };
}

describe.runIf(requireTools("cc", "make"))("indirect calls", () => {
  it("reach every one of hundreds of lifted functions, and fault on an address inside one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-indirect-"));
    try {
      const sum = (leaves * (leaves - 1)) / 2;
      expect(await buildAndRun(join(dir, "ok"), program().image)).toEqual({ exitCode: sum & 0xff, stderr: "" });
      const bad = program({ leaf: 217, by: 4 });
      const target = base + 4 * (2 + leaves + 3 * leaves + 3 + 2 * 217) + 4;
      expect(await buildAndRun(join(dir, "bad"), bad.image)).toEqual({
        exitCode: 3,
        stderr: `fault: indirect branch to 0x${target.toString(16)}, which is not a lifted function (instruction at 0x${bad.blrAt(217).toString(16)})`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
