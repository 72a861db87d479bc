// Test helper: the lifted C of an emitted project (every guest/*.c unit and the tables, in name order).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export async function readGuestSource(buildDir: string): Promise<string> {
  const names = (await readdir(join(buildDir, "guest"))).filter((name) => name.endsWith(".c")).sort();
  const texts = await Promise.all(names.map((name) => readFile(join(buildDir, "guest", name), "utf8")));
  return texts.join("\n");
}
