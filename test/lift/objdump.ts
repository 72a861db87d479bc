// Test helper: GNU objdump as the oracle. All words of one test go through ONE objdump call.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

/** objdump's text per word, normalised; undefined where objdump prints `.inst` / undefined. */
export async function objdumpWords(words: readonly number[], base: bigint): Promise<(string | undefined)[]> {
  const dir = await mkdtemp(join(tmpdir(), "recomp-objdump-"));
  try {
    const file = join(dir, "code.bin");
    const bytes = Buffer.alloc(words.length * 4);
    words.forEach((word, i) => bytes.writeUInt32LE(word >>> 0, i * 4));
    await writeFile(file, bytes);
    const { stdout } = await execa("aarch64-linux-gnu-objdump", [
      "-D", "-z", "-b", "binary", "-m", "aarch64", `--adjust-vma=0x${base.toString(16)}`, file,
    ]);
    const byAddress = new Map<bigint, string>();
    for (const line of stdout.split("\n")) {
      const match = /^\s*([0-9a-f]+):\t[0-9a-f]{8}\s*\t?(.*)$/.exec(line);
      if (match === null) continue;
      byAddress.set(BigInt(`0x${match[1]}`), match[2]);
    }
    return words.map((_, i) => {
      const text = byAddress.get(base + BigInt(i * 4));
      if (text === undefined) throw new Error(`objdump printed nothing for word ${i}`);
      return normaliseObjdump(text);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whitespace collapsed, `// #imm` comments and `<symbol>` annotations dropped; undefined for `.inst`. */
export function normaliseObjdump(text: string): string | undefined {
  if (/^\.inst\b|undefined/.test(text)) return undefined;
  return text
    .replace(/\s*\/\/.*$/, "")
    .replace(/\b([0-9a-f]+) <[^>]*>/g, "0x$1")
    .replace(/\s+/g, " ")
    .trim();
}
