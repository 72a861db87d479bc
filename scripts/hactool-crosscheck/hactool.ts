/**
 * scripts/hactool-crosscheck: runs a real hactool build and reads its verdicts. hactool prints
 * `Label (GOOD)` / `Label (FAIL)` for every hash it checks under -y, and reports a section that
 * fails as `Error: section N is corrupted!` on stderr while still exiting 0.
 */
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";

export interface HashVerdicts {
  good: string[];
  /** Every failed hash (signatures aside: the fixtures are signed by no one) and every error line. */
  failed: string[];
}

export interface Hactool {
  path: string;
  /** HOME holding `.switch/{prod,title}.keys` of the image (hactool reads title keys only from there). */
  env: Record<string, string>;
}

/** A hactool runner whose HOME offers exactly the image's keysets. */
export async function hactoolFor(path: string, home: string, keys: string, titleKeys: string): Promise<Hactool> {
  await mkdir(join(home, ".switch"), { recursive: true });
  await symlink(keys, join(home, ".switch", "prod.keys"));
  await symlink(titleKeys, join(home, ".switch", "title.keys"));
  return { path, env: { HOME: home, XDG_CONFIG_HOME: join(home, ".config") } };
}

export async function runHactool(tool: Hactool, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await execa(tool.path, args, { env: tool.env, extendEnv: true, stdin: "ignore", reject: false });
  if (result.exitCode !== 0) throw new Error(`hactool ${args.join(" ")} exited ${result.exitCode ?? "none"}:\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The GOOD/FAIL lines of `hactool -y` output, labelled by what was checked. */
export function readVerdicts(output: { stdout: string; stderr: string }, what: string): HashVerdicts {
  const good: string[] = [];
  const failed: string[] = [];
  let section = "";
  for (const line of output.stdout.split("\n")) {
    const header = /^\s*Section (\d+):/.exec(line);
    if (header !== null) section = `section ${header[1] ?? ""} `;
    const match = /^\s*(.*?)\s*\((GOOD|FAIL)\)/.exec(line);
    if (match === null) continue;
    const label = `${what}: ${section}${(match[1] ?? "").replace(/\s+/g, " ").replace(/ [0-9a-f]{12}-[0-9a-f]{12}$/i, "")}`;
    if (/signature/i.test(label)) continue;
    (match[2] === "GOOD" ? good : failed).push(label);
  }
  for (const line of output.stderr.split("\n")) if (/^\s*error\b/i.test(line)) failed.push(`${what}: ${line.trim()}`);
  return { good, failed };
}
