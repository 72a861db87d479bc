/**
 * intake: hactool and hactoolnet as alternative NCA extractors (`--tool`, `[tools] xci_tool`).
 * recomp still selects the program NCA itself; the tool only decrypts it into ExeFS and RomFS
 * folders. A missing tool is an error, never a silent switch to another extractor.
 */
import { mkdir, readdir, rm, stat, symlink } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { execa } from "execa";
import { RecompError } from "../util/errors.js";
import { sha256File } from "../util/hash.js";
import { executableState, searchPath } from "../util/program-path.js";

export const xciTools = ["native", "hactool", "hactoolnet"] as const;
export type XciTool = (typeof xciTools)[number];
export type ExternalXciTool = Exclude<XciTool, "native">;

export interface ExternalToolInfo {
  name: ExternalXciTool;
  /** Resolved executable; used to run it, never written to a manifest. */
  path: string;
  /** The tool's own banner line(s), as it prints them. */
  version: string;
  /** SHA-256 of the executable: pins the build when the banner does not. */
  sha256: string;
}

/**
 * The version a tool states when run without arguments. hactool prints `hactool (c) SciresM.` and
 * `Built: <date>`; hactoolnet prints only its usage (`Usage: hactoolnet.exe [options...] <path>`),
 * so it is identified by that line and pinned by the executable's SHA-256 alone.
 */
export function parseToolBanner(name: ExternalXciTool, output: string): string | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const names = (line: string): boolean => line.toLowerCase().includes(name) && !line.toLowerCase().startsWith("usage");
  const banner = lines.filter((line) => names(line) || /^(built|version)\b/i.test(line));
  if (banner.length > 0) return banner.slice(0, 2).join(" | ");
  const usage = new RegExp(`^usage: ${name}(\\.exe)? `, "i");
  return lines.some((line) => usage.test(line)) ? `${name} (states no version; pinned by its SHA-256)` : undefined;
}

/** Finds the tool (explicit path, else PATH) and probes its real version. */
export async function resolveExternalTool(name: ExternalXciTool, toolPath?: string): Promise<ExternalToolInfo> {
  const named = toolPath ?? name;
  const path = isAbsolute(named) || named.includes("/") ? named : searchPath(named).found;
  if (path === undefined || executableState(path) !== "ok") {
    throw new RecompError({
      code: "tool_missing",
      message: `${name} was chosen as the XCI tool but ${toolPath === undefined ? `no executable "${name}" is on PATH` : `"${toolPath}" is not an executable file`}`,
      location: { keyPath: "tools.xci_tool" },
      hint: `install ${name} (or set [tools] xci_tool_path / --tool-path), or choose xci_tool = "native"; recomp does not fall back on its own`,
    });
  }
  const probe = await execa(path, [], { reject: false, timeout: 15_000, all: true, stdin: "ignore" });
  const version = parseToolBanner(name, probe.all ?? "");
  if (version === undefined) {
    throw new RecompError({
      code: "tool_missing",
      message: `${path} did not identify itself as ${name} when run without arguments`,
      hint: `point --tool-path at a real ${name} build`,
    });
  }
  return { name, path, version, sha256: (await sha256File(path)).sha256 };
}

export interface ExtractNcaArgs {
  keys: string;
  titleKeys?: string;
  nca: string;
  exefsDir: string;
  romfsDir?: string;
}

/**
 * The argv that makes the tool decrypt one NCA into ExeFS and RomFS folders. hactool has no
 * title-keys option (it reads `$HOME/.switch/title.keys`, see `runExtractNca`); hactoolnet takes
 * `--titlekeys FILE`.
 */
export function extractNcaArgv(tool: ExternalXciTool, args: ExtractNcaArgs): string[] {
  if (tool === "hactool") {
    return ["-k", args.keys, "-t", "nca", `--exefsdir=${args.exefsDir}`, ...(args.romfsDir === undefined ? [] : [`--romfsdir=${args.romfsDir}`]), args.nca];
  }
  const titleKeys = args.titleKeys === undefined ? [] : ["--titlekeys", args.titleKeys];
  return ["-k", args.keys, ...titleKeys, "-t", "nca", "--exefsdir", args.exefsDir, ...(args.romfsDir === undefined ? [] : ["--romfsdir", args.romfsDir]), args.nca];
}

/**
 * A home folder for the tool holding only the user's keysets (as links): both tools also load
 * `~/.switch/{prod,title}.keys` (hactool: or `$XDG_CONFIG_HOME/switch`), and only the files
 * recomp was given may decide what the tool decrypts.
 */
async function makeToolHome(home: string, args: ExtractNcaArgs): Promise<Record<string, string>> {
  const switchDir = join(home, ".switch");
  // Named after this run's staging folder (pid), like the NCA copy: a leftover is an earlier crash's.
  await rm(home, { recursive: true, force: true });
  await mkdir(switchDir, { recursive: true });
  await symlink(args.keys, join(switchDir, "prod.keys"));
  if (args.titleKeys !== undefined) await symlink(args.titleKeys, join(switchDir, "title.keys"));
  return { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, ".config") };
}

/** What the tool must have written: every ExeFS file recomp saw in the PFS0, and the RomFS folder if there is a RomFS. */
export interface ExpectedExtraction {
  /** The program NCA's name in the image, for messages. */
  nca: string;
  exefs: readonly string[];
  romfs: boolean;
}

/** hactool reports a section whose hashes fail (`Error: section 1 is corrupted!`) but still exits 0, skipping it. */
async function checkExtraction(tool: ExternalXciTool, args: ExtractNcaArgs, expected: ExpectedExtraction, stderr: string): Promise<void> {
  const errors = stderr.split(/\r?\n/).filter((line) => /^\s*error\b/i.test(line));
  const written = await readdir(args.exefsDir).catch(() => [] as string[]);
  const missing = expected.exefs.filter((name) => !written.includes(name));
  const romfsMissing = expected.romfs && args.romfsDir !== undefined && !(await isFolder(args.romfsDir));
  if (errors.length === 0 && missing.length === 0 && !romfsMissing) return;
  const what = [...errors, ...missing.map((name) => `ExeFS file ${name} not written`), ...(romfsMissing ? ["RomFS folder not written"] : [])];
  // A section the tool calls corrupted failed its hash check: the image (or a key) is bad, not the tool.
  const corrupted = errors.some((line) => /corrupted/i.test(line));
  throw new RecompError({
    code: corrupted ? "format_invalid" : "stage_failed",
    message: `${tool} exited 0 without extracting everything: ${what.join("; ")}`,
    location: { file: expected.nca },
    hint: corrupted
      ? "the section failed its hash check: re-dump the image (compare its SHA-256 with provenance) and check the keys; `--verify` with --tool native names the failing block"
      : `run ${tool} by hand on the NCA to see the whole output, or use --tool native`,
  });
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** Runs the extraction; a failure reports the tool's output with key material redacted. */
export async function runExtractNca(tool: ExternalToolInfo, args: ExtractNcaArgs, expected: ExpectedExtraction, redact: (text: string) => string): Promise<void> {
  const home = `${args.nca}.home`;
  try {
    const env = await makeToolHome(home, args);
    const result = await execa(tool.path, extractNcaArgv(tool.name, args), { reject: false, all: true, stdin: "ignore", env, extendEnv: true });
    if (result.exitCode !== 0 || result.failed) {
      throw new RecompError({
        code: "stage_failed",
        message: `${tool.name} failed to extract the program NCA (exit ${result.exitCode ?? "none"}):\n${redact(result.all ?? "").split("\n").slice(-20).join("\n")}`,
        hint: `run ${tool.name} by hand on the NCA to see the whole output, or use --tool native`,
      });
    }
    // Errors are read from stderr alone: in the merged output a buffered stdout chunk can split a line.
    await checkExtraction(tool.name, args, expected, redact(result.stderr));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
