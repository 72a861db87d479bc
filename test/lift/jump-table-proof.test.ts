// Jump tables proven complete (src/lift/jump-table-proof.ts): a bounded index into read-only bytes, reached only
// through the bounding branch; anything less keeps the table without `complete` (a miss then dispatches).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IrTerminator } from "../../src/config/module-json.js";
import { imageFromNro, liftModule, liftProgram, type LiftImage } from "../../src/lift/index.js";
import { runLifted } from "../diff/run-lifted.js";
import { requireTools } from "../helpers/tools.js";

// 0x1000 cmp w0, #3; b.ls 0x1010; mov w0, #0; ret
// 0x1010 adrp x4, 0x2000; add x4, x4, #0; ldrb w4, [x4, w0, uxtw]; adr x0, 0x1028; add x4, x0, w4, sxtb #2; br x4
// 0x1028 four cases: mov w0, #n; ret
const switchWords = [
  0x71000c1f, 0x54000069, 0x52800000, 0xd65f03c0, 0xb0000004, 0x91000084, 0x38604884, 0x10000060, 0x8b248804, 0xd61f0080,
  0x52800020, 0xd65f03c0, 0x52800040, 0xd65f03c0, 0x52800060, 0xd65f03c0, 0x52800080, 0xd65f03c0,
];
const addW0 = 0x11000400; // add w0, w0, #1
const branchToTable = 0x14000002; // at 0x1008: b 0x1010

function switchImage(words: readonly number[], tableWritable = false): LiftImage {
  const text = new Uint8Array(words.length * 4);
  words.forEach((word, i) => new DataView(text.buffer).setUint32(i * 4, word, true));
  const table = Uint8Array.from([0, 2, 4, 6]);
  return {
    segments: [
      { name: "text", base: 0x1000n, bytes: text, size: text.length, permissions: { read: true, write: false, execute: true } },
      { name: "rodata", base: 0x2000n, bytes: table, size: 0x1000, permissions: { read: true, write: tableWritable, execute: false } },
    ],
    entry: 0x1000n,
    symbols: [],
  };
}

function indirectBranches(image: LiftImage): Extract<IrTerminator, { op: "br_indirect" }>[] {
  const { module } = liftProgram({ image, mode: "decode" });
  return module.functions.flatMap((fn) => fn.blocks.map((block) => block.terminator)).filter((end) => end.op === "br_indirect");
}

const cmpW1 = 0x71000c3f; // cmp w1, #3
const cmpW0 = 0x71000c1f; // cmp w0, #3

const replaced = (at: number, word: number, words = switchWords): number[] => words.map((old, i) => (i === at ? word : old));

describe("jump tables proven complete", () => {
  it("marks a bounded index into read-only bytes, reached only through its b.ls, with the table's bytes", () => {
    const [branch] = indirectBranches(switchImage(switchWords));
    expect(branch?.table.map((entry) => entry.addr)).toEqual(["0x1028", "0x1030", "0x1038", "0x1040"]);
    expect(branch?.complete).toEqual({ table: "0x2000", bytes: 4 });
  });

  it("leaves a table in writable memory, an index changed after the compare, a second way in, or a compare no branch reads without `complete`", () => {
    const unbounded = replaced(5, cmpW0, replaced(0, cmpW1));
    const cases = [switchImage(switchWords, true), switchImage(replaced(5, addW0)), switchImage(replaced(2, branchToTable)), switchImage(unbounded)];
    for (const image of cases) {
      const [branch] = indirectBranches(image);
      expect(branch?.table.length).toBe(4);
      expect(branch?.complete).toBeUndefined();
    }
  });

  it("proves the demo's pattern switch (12 byte entries in rodata)", async () => {
    const image = await imageFromNro(join(import.meta.dirname, "..", "..", "samples", "demo", "demo.nro"), 0x10000000n);
    const branches = indirectBranches(image);
    expect(branches.map((branch) => [branch.table.length, branch.complete])).toEqual([[12, { table: "0x10001008", bytes: 12 }]]);
  });
});

/** The linux personality's run (x0 = 0 at entry, exit status x0): its exit status and stderr. */
async function run(dir: string, modulePath: string): Promise<{ exitCode: number | undefined; stderr: string }> {
  const { exitCode, stderr } = await runLifted(modulePath, dir);
  return { exitCode, stderr };
}

describe.runIf(requireTools("cc", "make"))("a complete jump table at run time", () => {
  it("goes to the case the table gives, and faults naming the target and the br when the target is not in it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-complete-table-"));
    try {
      const { modulePath } = await liftModule({ image: switchImage(switchWords), mode: "decode", outDir: join(dir, "lift") });
      expect(await run(join(dir, "ok"), modulePath)).toEqual({ exitCode: 1, stderr: "" });
      // The same module with case 0 left out of the table it claims complete: index 0 is now a miss.
      const text = await readFile(modulePath, "utf8");
      const cut = text.replace('{"addr":"0x1028","target":"b_1028"},', "");
      expect(cut).not.toBe(text);
      await writeFile(modulePath, cut);
      expect(await run(join(dir, "miss"), modulePath)).toEqual({
        exitCode: 3,
        stderr: "fault: indirect branch to 0x1028, outside the jump table the lifter proved complete (instruction at 0x1024)",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
