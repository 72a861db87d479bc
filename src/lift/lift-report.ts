// lift: what a lift found, for people: coverage (functions against FDEs, share of .text lifted) and
// every reached instruction recomp cannot lift yet, with what it is and where it is in the input file.
import type { LiftedFunction, UnsupportedSite } from "./cfg.js";
import type { LiftSegment } from "./code-image.js";
import type { AddressRange } from "./module-code.js";

export interface LiftCoverage {
  functions: number;
  blocks: number;
  /** Distinct instructions lifted (code shared by two functions counts once). */
  instructions: number;
  /** FDEs of the input (0 when it has no .eh_frame), and how many of their starts are function entries. */
  fde_functions: number;
  fde_functions_found: number;
  /** Initialised bytes of executable segments, and the bytes of distinct lifted instructions in them. */
  text_bytes: number;
  text_bytes_lifted: number;
}

/** An unsupported site as the summary shows it. */
export interface UnsupportedReport extends UnsupportedSite {
  /** What the encoding is (instruction group, or the mnemonic when recomp knows it). */
  what: string;
  /** `file+0xoffset` in the input, or `segment+0xoffset` when the segment is not stored as mapped. */
  location: string;
}

export function liftCoverage(functions: readonly LiftedFunction[], segments: readonly LiftSegment[], fdes: readonly AddressRange[]): LiftCoverage {
  // Addresses as numbers (exact below 2^53), and one flag per instruction word of each executable segment.
  const text = segments.filter((s) => s.permissions.execute).map((s) => ({ start: Number(s.base), end: Number(s.base) + s.bytes.length, lifted: new Uint8Array(s.bytes.length >> 2) }));
  let blocks = 0;
  let instructions = 0;
  for (const fn of functions) {
    blocks += fn.blocks.length;
    for (const block of fn.blocks) {
      // A block's instructions are decoded words of one executable segment.
      const range = block.count === 0 ? undefined : text.find((r) => block.start >= r.start && block.start < r.end);
      if (range === undefined) continue;
      const first = (block.start - range.start) >> 2;
      for (let word = first; word < first + block.count; word++) {
        if (range.lifted[word] === 0) instructions += 1;
        range.lifted[word] = 1;
      }
    }
  }
  const entries = new Set(functions.map((f) => Number(f.entry)));
  return {
    functions: functions.length,
    blocks,
    instructions,
    fde_functions: fdes.length,
    fde_functions_found: fdes.filter((fde) => entries.has(Number(fde.start))).length,
    text_bytes: text.reduce((n, range) => n + range.end - range.start, 0),
    text_bytes_lifted: 4 * instructions,
  };
}

const percent = (part: number, whole: number): string => (whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}%`);

/** One line: functions against FDEs and the share of .text lifted. */
export function coverageLine(coverage: LiftCoverage): string {
  const fde = coverage.fde_functions === 0 ? "no .eh_frame FDEs to compare with" : `${coverage.fde_functions_found} of ${coverage.fde_functions} FDE functions found (${percent(coverage.fde_functions_found, coverage.fde_functions)})`;
  return `coverage: ${fde}; ${coverage.text_bytes_lifted} of ${coverage.text_bytes} .text bytes lifted (${percent(coverage.text_bytes_lifted, coverage.text_bytes)})`;
}

export function describeUnsupported(sites: readonly UnsupportedSite[], segments: readonly LiftSegment[]): UnsupportedReport[] {
  return sites.map((site) => ({ ...site, what: encodingName(Number(BigInt(site.word))), location: locate(BigInt(site.pc), segments) }));
}

/** The count line and the first `limit` sites, one line each. */
export function unsupportedLines(reports: readonly UnsupportedReport[], limit = 20): string[] {
  if (reports.length === 0) return [];
  const distinct = new Set(reports.map((r) => r.pc)).size;
  const lines = [`${reports.length} reached unsupported instructions (${distinct} distinct addresses), lifted as traps; the first ${Math.min(limit, reports.length)}:`];
  for (const r of reports.slice(0, limit)) {
    const word = `0x${BigInt(r.word).toString(16).padStart(8, "0")}`;
    lines.push(`  ${r.pc} ${word} ${r.what} in ${r.function} at ${r.location}`);
  }
  return lines;
}

/** The segment holding `pc` and the offset in it (and in the input file, when stored there as mapped). */
function place(pc: bigint, segments: readonly LiftSegment[]): { segment: LiftSegment; offset: number } | undefined {
  const segment = segments.find((s) => pc >= s.base && pc < s.base + BigInt(s.bytes.length));
  return segment === undefined ? undefined : { segment, offset: Number(pc - segment.base) };
}

const hex = (value: number): string => `0x${value.toString(16)}`;

function locate(pc: bigint, segments: readonly LiftSegment[]): string {
  const at = place(pc, segments);
  if (at === undefined) return "outside the image";
  const { segment, offset } = at;
  return segment.file === undefined ? `${segment.name}+${hex(offset)}` : `${segment.file.label}+${hex(segment.file.offset + offset)}`;
}

/** Where `pc` is in the input: `file offset 0x218 of demo.nro`, or the segment offset when it is not stored as mapped. */
export function fileOffsetText(pc: bigint, segments: readonly LiftSegment[]): string {
  const at = place(pc, segments);
  if (at === undefined) return "outside the image";
  return at.segment.file === undefined
    ? `offset ${hex(at.offset)} of segment ${at.segment.name}`
    : `file offset ${hex(at.segment.file.offset + at.offset)} of ${at.segment.file.label}`;
}

/**
 * The reason a trap on an unsupported instruction gives when the run reaches it: the word, what it
 * is, the mapped address, the lifted function and the offset in the input file (issue 15).
 */
export function unsupportedFaultReason(pc: bigint, word: number, fn: string, segments: readonly LiftSegment[]): string {
  return `unsupported instruction 0x${word.toString(16).padStart(8, "0")} (${encodingName(word)}) at 0x${pc.toString(16)} in function ${fn}, ${fileOffsetText(pc, segments)}`;
}

const systemRegisters = new Map<number, string>([
  [0x5e82, "tpidr_el0"],
  [0x5e83, "tpidrro_el0"],
  [0x5f00, "cntfrq_el0"],
  [0x5f01, "cntpct_el0"],
  [0x5f02, "cntvct_el0"],
  [0x5801, "ctr_el0"],
  [0x5807, "dczid_el0"],
  [0x5a20, "fpcr"],
  [0x5a21, "fpsr"],
  [0x5a10, "nzcv"],
]);

const hints = new Map<number, string>([
  [0x07, "xpaclri"],
  [0x19, "paciasp"],
  [0x1b, "pacibsp"],
  [0x1d, "autiasp"],
  [0x1f, "autibsp"],
  [0x20, "bti"],
  [0x22, "bti c"],
  [0x24, "bti j"],
  [0x26, "bti jc"],
]);

/** The A64 encoding group of `word` (Arm ARM C4.1), or the mnemonic for the system forms recomp names. */
export function encodingName(word: number): string {
  if ((word & 0xffff0000) >>> 0 === 0) return `udf #${word & 0xffff}`;
  if ((word & 0xfffff01f) >>> 0 === 0xd503201f) return hints.get((word >>> 5) & 0x7f) ?? `hint #${(word >>> 5) & 0x7f}`;
  if ((word & 0xffd00000) >>> 0 === 0xd5100000) {
    const name = systemRegisters.get((word >>> 5) & 0x7fff) ?? `s${(word >>> 19) & 3}_${(word >>> 16) & 7}_c${(word >>> 12) & 15}_c${(word >>> 8) & 15}_${(word >>> 5) & 7}`;
    return (word & 0x00200000) !== 0 ? `mrs ${name}` : `msr ${name}`;
  }
  const op0 = (word >>> 25) & 0xf;
  if ((op0 & 0b1110) === 0b1000) return "(data processing, immediate)";
  if ((op0 & 0b1110) === 0b1010) return "(branch, exception or system)";
  if ((op0 & 0b0101) === 0b0100) return (word & (1 << 26)) !== 0 ? "(FP/SIMD load/store)" : "(load/store)";
  if ((op0 & 0b0111) === 0b0101) return "(data processing, register)";
  if ((op0 & 0b0111) === 0b0111) return (word & (1 << 28)) !== 0 ? "(FP/SIMD, scalar)" : "(Advanced SIMD or crypto)";
  return "(unallocated)";
}
