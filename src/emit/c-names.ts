// emit: C spellings of IR names: registers, immediates, function identifiers, escaped strings and comments.

/** The C expression that reads an IR value (register, temporary or "#0x.." immediate). */
export function readValue(value: string): string {
  if (value.startsWith("#")) return `UINT64_C(${value.slice(1)})`;
  if (value === "xzr") return "UINT64_C(0)";
  // Guest registers and temporaries are C locals of the lifted function (register-sync.ts keeps the CPU state current).
  return value;
}

/** The CPU-state field that holds a guest register (x, sp, v) or the flags between functions. */
function cpuField(register: string): string {
  if (register === "sp") return "cpu->sp";
  if (register === "nzcv") return "cpu->flags";
  if (register.startsWith("v")) return `cpu->vreg[${register.slice(1)}]`;
  return `cpu->x[${register.slice(1)}]`;
}

/** The C expression of a register local's value in the CPU state (a V register's as an rt_v128, cpu.h). */
export const loadValue = (register: string): string => (register.startsWith("v") ? `rt_v128_of(&${cpuField(register)})` : `rt_reg(${cpuField(register)})`);

/** The statement storing a register local into the CPU state. */
export const storeStatement = (register: string): string =>
  register.startsWith("v") ? `rt_v128_store(&${cpuField(register)}, ${register});` : `${cpuField(register)} = ${register};`;

/** The C local of a guest register or the flags inside a lifted function. */
export const localName = (register: string): string => (register === "nzcv" ? "fl" : register);

/** A statement assigning `expression` to an IR register; writes to xzr keep only side effects. */
export function assign(dst: string, expression: string): string {
  if (dst === "xzr") return `(void)(${expression});`;
  return `${readValue(dst)} = ${expression};`;
}

/** Function identifiers come from entry addresses: unique and always valid C, whatever the symbol name. */
export function functionIdent(address: string): string {
  return `f_${address.slice(2)}`;
}

/** A C string literal: printable ASCII kept, everything else (and ", \, ?) escaped in octal. */
export function cString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c && byte !== 0x3f;
    out += printable ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return `${out}"`;
}

/** Text safe inside a C block comment: no comment terminator, printable ASCII only. */
export function commentText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").replace(/\*\//g, "*\\/");
}
