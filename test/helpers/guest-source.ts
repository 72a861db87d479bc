// Test helper: the lifted C of an emitted project (every guest/*.c unit and the tables, in name order).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export async function readGuestSource(buildDir: string): Promise<string> {
  const names = (await readdir(join(buildDir, "guest"))).filter((name) => name.endsWith(".c")).sort();
  const texts = await Promise.all(names.map((name) => readFile(join(buildDir, "guest", name), "utf8")));
  return texts.join("\n");
}

/** The first line of a lifted function's definition in emitted C (src/emit/call-abi.ts: its C arguments). */
export const definitionOf = (ident: string): string => `rt_return ${ident}(recomp_cpu *restrict cpu, uint64_t x0, uint64_t x1, uint64_t x30) {`;

/** The C of lifted function `ident` in `c`, from its definition to the next function's (or the end). */
export function functionC(c: string, ident: string): string {
  const start = c.indexOf(definitionOf(ident));
  if (start < 0) throw new Error(`no definition of ${ident}`);
  const next = c.indexOf("\nrt_return f_", start + 1);
  return c.slice(start, next < 0 ? undefined : next);
}
