// lift/a64/groups: Advanced SIMD structure loads and stores: ld1-ld4/st1-st4 of multiple structures and of one
// lane, ld1r-ld4r, each without offset or post-indexed by an immediate (the bytes moved) or a register.
import type { IrOp } from "../../../config/module-json.js";
import { irImm } from "../bits.js";
import type { Encoding, Fields } from "../encoding-table.js";
import { irReg, regName } from "../operands.js";
import { body, type InsnBody } from "../types.js";
import { arrangement, helper } from "../vector-operands.js";

/** Multiple structures: opcode to [registers per structure element repeat (rpt), elements per structure (selem)]. */
const multipleForms: Record<number, [number, number]> = {
  0b0000: [1, 4], 0b0010: [4, 1], 0b0100: [1, 3], 0b0110: [3, 1], 0b0111: [1, 1], 0b1000: [1, 2], 0b1010: [2, 1],
};

/** "{v0.4s, v1.4s}", "{v0.4s-v3.4s}" (three or more in a row), "{v31.4s, v0.4s, v1.4s}" (wrapping at 31). */
function registerList(first: number, count: number, suffix: string): string {
  const names = Array.from({ length: count }, (_, i) => `v${(first + i) % 32}.${suffix}`);
  if (count >= 3 && first + count <= 32) return `{${names[0]}-${names[count - 1]}}`;
  return `{${names.join(", ")}}`;
}

/**
 * The ops of one structure access: the helper on the base (sp allowed), then for the post-indexed forms the
 * base plus the bytes moved (Rm = 31) or plus Rm, computed from the base as it was before the access.
 */
function structureAccess(f: Fields, postIndexed: boolean, bytes: number, access: (addr: string) => IrOp, text: string): InsnBody {
  const base = irReg(f.n, true);
  const address = `[${regName(f.n, true, true)}]`;
  if (!postIndexed) return body(f.l === 1 ? "ld" : "st", `${text}, ${address}`, [access(base)]);
  const step = f.m === 31 ? irImm(bytes) : irReg(f.m, false);
  const ops: IrOp[] = [{ op: "mov_i64", dst: "t0", src: base }, access("t0"), { op: "add_i64", dst: base, lhs: "t0", rhs: step }];
  return body(f.l === 1 ? "ld" : "st", `${text}, ${address}, ${f.m === 31 ? `#${bytes}` : regName(f.m, true, false)}`, ops);
}

function named(decoded: InsnBody, suffix: string): InsnBody {
  return { ...decoded, mnemonic: `${decoded.mnemonic}${suffix}` };
}

function multiple(f: Fields, postIndexed: boolean): InsnBody | undefined {
  const form = multipleForms[f.o];
  if (form === undefined) return undefined;
  const [rpt, selem] = form;
  if (f.z === 3 && f.q === 0 && selem > 1) return undefined;
  const count = rpt * selem;
  const bytes = count * (f.q === 1 ? 16 : 8);
  const fn = f.l === 1 ? "ld_multiple" : "st_multiple";
  const access = (addr: string) => helper(fn, [addr, f.t, rpt, selem, f.z, f.q]);
  return named(structureAccess(f, postIndexed, bytes, access, registerList(f.t, count, arrangement(f.z, f.q))), `${selem}`);
}

/** Element size (0..3) and lane of a single-structure access, or undefined for a reserved size/S combination. */
function laneOf(scale: number, { q, x, z }: Fields): [number, number] | undefined {
  if (scale === 0) return [0, (q << 3) | (x << 2) | z];
  if (scale === 1) return (z & 1) === 0 ? [1, (q << 2) | (x << 1) | (z >> 1)] : undefined;
  if (z === 0) return [2, (q << 1) | x];
  return z === 1 && x === 0 ? [3, q] : undefined;
}

function single(f: Fields, postIndexed: boolean): InsnBody | undefined {
  const selem = (((f.o & 1) << 1) | f.r) + 1;
  const scale = f.o >> 1;
  if (scale === 3) {
    if (f.l === 0 || f.x === 1) return undefined;
    const access = (addr: string) => helper("ld_replicate", [addr, f.t, selem, f.z, f.q]);
    return named(structureAccess(f, postIndexed, selem << f.z, access, registerList(f.t, selem, arrangement(f.z, f.q))), `${selem}r`);
  }
  const lane = laneOf(scale, f);
  if (lane === undefined) return undefined;
  const [size, index] = lane;
  const access = (addr: string) => helper(f.l === 1 ? "ld_single" : "st_single", [addr, f.t, selem, size, index]);
  const text = `${registerList(f.t, selem, "bhsd"[size])}[${index}]`;
  return named(structureAccess(f, postIndexed, selem << size, access, text), `${selem}`);
}

export const encodings: Encoding[] = [
  { name: "LD1-LD4, ST1-ST4 (multiple structures)", pattern: "0q0011000l000000oooozznnnnnttttt", decode: (f) => multiple(f, false) },
  { name: "LD1-LD4, ST1-ST4 (multiple structures, post-index)", pattern: "0q0011001l0mmmmmoooozznnnnnttttt", decode: (f) => multiple(f, true) },
  { name: "LD1-LD4, ST1-ST4 (single structure), LD1R-LD4R", pattern: "0q0011010lr00000oooxzznnnnnttttt", decode: (f) => single(f, false) },
  { name: "LD1-LD4, ST1-ST4 (single structure, post-index), LD1R-LD4R", pattern: "0q0011011lrmmmmmoooxzznnnnnttttt", decode: (f) => single(f, true) },
];
