// lift: a runtime fault line made readable. The runtime knows only the guest pc of the instruction that
// faulted (a bad access, an indirect branch to no lifted function, a call that returned elsewhere);
// this names that instruction as the lifter disassembled it, the lifted function holding it and its
// offset in the input file, as unsupported-instruction traps already do (issue 15).
import { readFile } from "node:fs/promises";
import { irFieldOrder } from "../config/module-json.js";
import { decodeA64, formatInsn } from "./a64/decode.js";
import { CodeImage, type LiftSegment } from "./code-image.js";
import { imageFromIntake } from "./intake-image.js";
import { encodingName, fileOffsetText } from "./lift-report.js";

/** Where the lifted code of a run came from. */
export interface GuestCode {
  /** The lifted module.json: its functions and their instructions. */
  moduleJson: string;
  /** The intake's module.json and the load base (homebrew and XCI mode): the input bytes and file offsets. */
  intake?: { moduleJson: string; base: bigint };
}

/** `(instruction at 0xPC)` of rt_fault, rt_trap and the dispatcher, and `call at 0xPC returned to` of a bad return. */
const sitePatterns = [/\(instruction at 0x([0-9a-f]+)\)/, /^fault: call at 0x([0-9a-f]+) returned/];

interface LiftedSite {
  fn: string;
  asm: string;
}

function pcOf(line: string): bigint | undefined {
  // An unsupported-instruction trap already names its function and file offset.
  if (!line.startsWith("fault: ") || line.includes(" in function ")) return undefined;
  for (const pattern of sitePatterns) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined) return BigInt(`0x${match[1]}`);
  }
  return undefined;
}

/** The lifted instructions at `pcs`: function name and text, read from module.json's `insn` ops (arrays in field order). */
async function liftedSites(moduleJson: string, pcs: ReadonlySet<string>): Promise<Map<string, LiftedSite>> {
  const sites = new Map<string, LiftedSite>();
  const fields = irFieldOrder.get("insn") ?? [];
  const pcAt = fields.indexOf("pc") + 1;
  const asmAt = fields.indexOf("asm") + 1;
  const module = JSON.parse(await readFile(moduleJson, "utf8")) as { functions?: { name: string; blocks: { ops: unknown[][] }[] }[] };
  for (const fn of module.functions ?? []) {
    for (const block of fn.blocks) {
      for (const op of block.ops) {
        const [pc, asm] = [op[pcAt], op[asmAt]];
        if (op[0] === "insn" && typeof pc === "string" && pcs.has(pc) && !sites.has(pc)) sites.set(pc, { fn: fn.name, asm: typeof asm === "string" ? asm : "" });
      }
    }
  }
  return sites;
}

/** The instruction's text from the input bytes, for a pc the lifter never reached. */
function disassembleAt(pc: bigint, segments: readonly LiftSegment[]): string | undefined {
  const word = new CodeImage(segments).word(pc);
  return word === undefined ? undefined : (formatInsn(decodeA64(word, pc)) ?? encodingName(word));
}

/** `ldr w2, [x2] in function fn_100001b0, file offset 0x218 of demo.nro`, with what is unknown left out. */
function describeSite(pc: bigint, lifted: LiftedSite | undefined, segments: readonly LiftSegment[] | undefined): string {
  const parts = [lifted?.asm || (segments === undefined ? undefined : disassembleAt(pc, segments)) || "an instruction recomp did not lift"];
  parts.push(lifted === undefined ? "outside every lifted function" : `in function ${lifted.fn}`);
  const text = parts.join(" ");
  return segments === undefined ? text : `${text}, ${fileOffsetText(pc, segments)}`;
}

/**
 * `lines` with every runtime fault line that names a guest pc completed by that instruction, its
 * function and file offset. What cannot be read (a missing or broken module.json) leaves a line as it was.
 */
export async function explainFaultLines(lines: readonly string[], code: GuestCode): Promise<string[]> {
  const pcs = new Set(lines.map(pcOf).filter((pc) => pc !== undefined).map((pc) => `0x${pc.toString(16)}`));
  if (pcs.size === 0) return [...lines];
  const lifted = await liftedSites(code.moduleJson, pcs).catch(() => new Map<string, LiftedSite>());
  const segments = code.intake === undefined ? undefined : (await imageFromIntake(code.intake.moduleJson, code.intake.base).catch(() => undefined))?.segments;
  return lines.map((line) => {
    const pc = pcOf(line);
    if (pc === undefined) return line;
    const site = describeSite(pc, lifted.get(`0x${pc.toString(16)}`), segments);
    const hexPc = pc.toString(16);
    return line.includes(`(instruction at 0x${hexPc})`)
      ? line.replace(`(instruction at 0x${hexPc})`, `(instruction at 0x${hexPc}: ${site})`)
      : line.replace(`call at 0x${hexPc} `, `call at 0x${hexPc} (${site}) `);
  });
}
