// GCC's execute torture tests (gcc.c-torture/execute and its ieee/ folder) from Debian's gcc-12-source
// tarball: extraction, the per-program options their dg- directives and .x files ask for, exclusions.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";

export const gccSourceTarball = "/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz";
const executeDir = "gcc-12.2.0/gcc/testsuite/gcc.c-torture/execute";

export interface TortureProgram {
  /** Path under execute/ without ".c": "20000112-1", "ieee/fp-cmp-1". */
  name: string;
  source: string;
  /** Options the test's dg-options / dg-additional-options (any target) and ieee.exp / .x add. */
  options: string[];
  /** Why the program is left out of the comparison, when it is. */
  excluded?: string;
}

/** Programs that cannot be compared whatever the lifter does, with the reason (docs/torture.md). */
const exclusionRules: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /dg-require-effective-target\s+trampolines/,
    reason: "nested-function trampolines: code written to and executed from the stack, which a static recompiler cannot lift",
  },
  {
    pattern: /longjmp\s*\(/,
    reason:
      "longjmp / __builtin_longjmp: resumes in the middle of a lifted function (after its setjmp call); the emitted C functions have no entry point there yet",
  },
];

/** Programs left out by name (what they do is not a pattern of their source), with the reason (docs/torture.md). */
const excludedByName = new Map<string, string>([
  [
    "pr51447",
    "a non-local goto out of a nested function to a __label__ of main: resumes in the middle of a lifted function, the same emitter limit as the longjmp programs",
  ],
]);

/** Extracts execute/ (its .c and .h files, and ieee/) from the tarball into `into`; returns the execute folder. */
export async function extractCorpus(into: string, tarball = gccSourceTarball): Promise<string> {
  await stat(tarball).catch(() => {
    throw new Error(`${tarball} is missing: install Debian's gcc-12-source (scripts/install-system-packages.sh)`);
  });
  await execa("tar", ["-xJf", tarball, "-C", into, "--wildcards", `${executeDir}/*.c`, `${executeDir}/*.h`, `${executeDir}/ieee/*`]);
  return join(into, executeDir);
}

/** Every program of execute/ and execute/ieee/, sorted by name. */
export async function listPrograms(execute: string): Promise<TortureProgram[]> {
  const programs: TortureProgram[] = [];
  for (const folder of ["", "ieee"]) {
    const files = (await readdir(join(execute, folder))).filter((file) => file.endsWith(".c")).sort();
    const folderOptions = folder === "ieee" ? ieeeOptions : [];
    for (const file of files) {
      const source = join(execute, folder, file);
      const text = await readFile(source, "latin1");
      const xFile = await readFile(source.replace(/\.c$/, ".x"), "latin1").catch(() => "");
      const name = folder === "" ? file.slice(0, -2) : `${folder}/${file.slice(0, -2)}`;
      const options = [...folderOptions, ...directiveOptions(text), ...xFileOptions(xFile)];
      const excluded = excludedByName.get(name) ?? exclusionRules.find((rule) => rule.pattern.test(text))?.reason;
      programs.push(excluded === undefined ? { name, source, options } : { name, source, options, excluded });
    }
  }
  return programs;
}

/** ieee.exp: "-fno-inline" always, "-DSIGNAL_SUPPRESS" where the target has no signal() (picolibc's OS layer here). */
const ieeeOptions = ["-fno-inline", "-DSIGNAL_SUPPRESS"];

/** dg-options and dg-additional-options that apply to every target (those with a target selector are for other targets). */
export function directiveOptions(text: string): string[] {
  const options: string[] = [];
  for (const match of text.matchAll(/dg-(?:additional-)?options\s+\{?\s*"([^"]*)"(.*)$/gm)) {
    if ((match[2] ?? "").includes("target")) continue;
    options.push(...(match[1] ?? "").split(/\s+/).filter((word) => word !== ""));
  }
  return options;
}

/** Unconditional `lappend additional_flags "..."` lines of a .x file (at the start of a line, outside any `if`). */
export function xFileOptions(text: string): string[] {
  const options: string[] = [];
  for (const match of text.matchAll(/^lappend additional_flags "([^"]*)"$/gm)) {
    options.push(...(match[1] ?? "").split(/\s+/).filter((word) => word !== ""));
  }
  return options;
}
