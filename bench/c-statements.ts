/**
 * Benchmark: what the C statements of emitted guest units are (issue 12, builds: the compile time follows the
 * ordinary statements per lifted instruction). Reads the units of a folder (`unit-compile.ts emit`'s sample or an
 * emitted project's guest/) and counts, per lifted instruction (one `/* 0x..: asm *\/` comment each), the
 * statements of each kind: register stores into the CPU state (at block ends, before calls, at returns), reloads
 * after calls, guest accesses, flag operands and flag computations, temporaries, register assignments, branches.
 *
 *   npx tsx bench/c-statements.ts <folder>...
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Statement kinds, tested in this order on each `;`-separated piece of a line; the first match counts. */
const kinds: [string, RegExp][] = [
  ["entry load", /^(uint64_t|rt_v128) .*= rt_(reg|v128_of)\(/],
  ["declaration", /^(uint64_t|rt_nzcv|rt_v128|uint8_t \*const) /],
  ["register store", /^(\{ )?(if \(.*\) \{ )?(cpu->(x\[\d+\]|sp) = |rt_v128_store\()/],
  ["reload after a call", /^[xv]\d+ = rt_(reg|v128_of)\(cpu->|^sp = rt_reg\(cpu->/],
  ["guest load", /= (rt_sext\()?(\(uint64_t\)\(uint32_t\)\()?rt_guest_ld/],
  ["guest store", /^rt_guest_st/],
  ["flag operands", /^fl_[ab] = /],
  ["flags computed", /rt_addc|rt_logic_flags|rt_nzcv_set/],
  ["temporary", /^t\d = /],
  ["call", /^f_[0-9a-f]+\(cpu\)|^rt_call_indirect|^\{ uint64_t target/],
  ["return check", /^if \(cpu->pc != /],
  ["return address", /^x30 = UINT64_C/],
  ["return", /^cpu->pc = |^return$/],
  ["conditional branch", /^if \(.*goto /],
  ["goto", /^goto |^\{ .*goto |^\}?$/],
  ["helper", /rt_a64_|rt_v128/],
  ["register assignment", /^(x\d+|sp|v\d+) = /],
];

interface Counts {
  instructions: number;
  byKind: Map<string, number>;
}

/** The statements of one line of a function body, without comments and labels. */
function pieces(line: string): string[] {
  const code = line.replace(/\/\*.*?\*\//g, "").trim();
  if (code === "" || /^b_[0-9a-f]+:;$|^dispatch_\d+:;$|^stores_\d+:;$/.test(code)) return [];
  // A branch with its edge stores: one piece per store, then the branch.
  const edge = /^(if \(.*?\)) \{ (.*) goto (\w+); \}$/.exec(code);
  if (edge !== null) return [...edge[2].split(";").map((s) => s.trim()).filter((s) => s !== ""), `${edge[1]} goto ${edge[3]}`];
  return code.split(/;(?![^(]*\))/).map((s) => s.trim()).filter((s) => s !== "" && s !== "}");
}

async function countFolder(folder: string): Promise<Counts> {
  const counts: Counts = { instructions: 0, byKind: new Map() };
  const files = (await readdir(folder)).filter((name) => /^u_[0-9a-f]+\.c$/.test(name)).sort();
  for (const file of files) {
    let inside = false;
    for (const line of (await readFile(join(folder, file), "utf8")).split("\n")) {
      if (line.startsWith("void ") && line.endsWith("{")) inside = true;
      else if (line === "}") inside = false;
      if (!inside || line.startsWith("void ")) continue;
      if (/^\s*\/\* 0x[0-9a-f]+: /.test(line)) counts.instructions++;
      for (const piece of pieces(line)) {
        const kind = kinds.find(([, pattern]) => pattern.test(piece))?.[0] ?? "other";
        counts.byKind.set(kind, (counts.byKind.get(kind) ?? 0) + 1);
      }
    }
  }
  return counts;
}

const folders = process.argv.slice(2);
const results = await Promise.all(folders.map(countFolder));
const names = [...kinds.map(([name]) => name), "other"];
const total = (counts: Counts): number => [...counts.byKind.values()].reduce((sum, n) => sum + n, 0);
console.log(`| per lifted instruction | ${folders.join(" | ")} |`);
console.log(`|---|${folders.map(() => "---").join("|")}|`);
for (const name of names) {
  const cells = results.map((counts) => ((counts.byKind.get(name) ?? 0) / counts.instructions).toFixed(3));
  if (cells.some((cell) => cell !== "0.000")) console.log(`| ${name} | ${cells.join(" | ")} |`);
}
console.log(`| **all statements** | ${results.map((counts) => (total(counts) / counts.instructions).toFixed(3)).join(" | ")} |`);
console.log(`| lifted instructions | ${results.map((counts) => counts.instructions).join(" | ")} |`);
