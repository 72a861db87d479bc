// A small lifted-mode project in a temp folder (outside any git work tree) with real shell commands,
// for driving `recomp automate` as a user would.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { writeProvenance } from "../../src/intake/provenance-init.js";
import type { RunManifest } from "../../src/config/run-manifest.js";
import { testProvenanceIdentity } from "../helpers/provenance.js";

const run = promisify(execFile);
export const recompBin = resolve(import.meta.dirname, "../../bin/recomp.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function recomp(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [recompBin, ...args], { cwd, env: { ...process.env, CI: "true", ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

export const automationToml = `schema_version = "1"
[inputs]
mode = "lifted"
provenance = "provenance.toml"
config = "title.toml"
module_json = "module.json"
[outputs]
work_root = "work"
[reference]
reference_video_toml = "reference_video.toml"
capture_video_toml = "capture_video.toml"
[capture]
video_path = "work/capture/capture.txt"
frames_dir = "work/capture/frames"
[commands]
build = ["sh", "build.sh"]
run = ["sh", "-c", "echo running; echo to-stderr >&2"]
capture = ["sh", "-c", "mkdir -p work/capture && echo video > work/capture/capture.txt"]
extract_frames = ["node", "frames.mjs", "work/capture/frames", "3"]
`;

/** Writes N 4x2 RGB24 PPM frames whose pixels depend on the frame number (and an optional seed). */
const framesScript = `import { mkdirSync, writeFileSync } from "node:fs";
const [folder, count, seed = "0"] = process.argv.slice(2);
mkdirSync(folder, { recursive: true });
for (let i = 1; i <= Number(count); i += 1) {
  const pixels = Buffer.alloc(4 * 2 * 3, (i * 40 + Number(seed)) & 255);
  writeFileSync(folder + "/" + String(i).padStart(4, "0") + ".ppm", Buffer.concat([Buffer.from("P6\\n4 2\\n255\\n"), pixels]));
}
`;

/** The frame hashes of frames.mjs's output: SHA-256 of each frame's packed RGB24 pixels. */
export function referenceFrameHashes(count: number, seed = 0): string[] {
  const hashes: string[] = [];
  for (let i = 1; i <= count; i += 1) hashes.push(createHash("sha256").update(Buffer.alloc(4 * 2 * 3, (i * 40 + seed) & 255)).digest("hex"));
  return hashes;
}

export async function makeProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "recomp-engine-"));
  await writeFile(join(dir, "automation.toml"), automationToml);
  await writeFile(join(dir, "build.sh"), "mkdir -p work/build && echo built > work/build/app.txt\n");
  await writeFile(join(dir, "title.toml"), 'title = "Engine test"\nentry = "entry"\nabi_version = "0.1.0"\n');
  await writeFile(
    join(dir, "reference_video.toml"),
    '[video]\npath = "reference.mp4"\nwidth = 160\nheight = 90\nfps = 30\n[hashes.frames]\nformat = "list"\npath = "reference.frames"\n',
  );
  await writeFile(
    join(dir, "capture_video.toml"),
    '[video]\npath = "work/capture/capture.txt"\nwidth = 160\nheight = 90\nfps = 30\n[hashes.frames]\nformat = "list"\npath = "work/capture/frames.hashes"\n',
  );
  await writeFile(join(dir, "frames.mjs"), framesScript);
  await writeFile(join(dir, "reference.frames"), referenceFrameHashes(3).join("\n") + "\n");
  await writeFile(join(dir, "module.json"), JSON.stringify({ arch: "aarch64", segments: [], functions: [] }));
  await writeFixtureProvenance(dir);
  return dir;
}

const demoFolder = resolve(import.meta.dirname, "../../samples/demo");
const demoFiles = ["automation.toml", "title.toml", "demo.nro", "provenance.toml", "reference_video.toml", "capture_video.toml", "input_script.toml", "reference"];

/** The demo (samples/demo) in a temp folder: the launcher by absolute path, the assets root inside the work root. */
export async function copyDemo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "recomp-demo-loop-"));
  for (const name of demoFiles) await cp(join(demoFolder, name), join(dir, name), { recursive: true });
  const config = await readFile(join(dir, "automation.toml"), "utf8");
  await writeFile(join(dir, "automation.toml"), config.replace('"../../bin/recomp.js"', JSON.stringify(recompBin)).replace(/^assets_dir = .*$/m, ""));
  return dir;
}

/** provenance.toml recording the project's current module.json (re-run after replacing it). */
export async function writeFixtureProvenance(dir: string): Promise<void> {
  await writeProvenance([join(dir, "module.json")], { ...testProvenanceIdentity, out: join(dir, "provenance.toml"), force: true });
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function readManifest(dir: string): Promise<RunManifest> {
  return JSON.parse(await readFile(join(dir, "work", "run-manifest.json"), "utf8")) as RunManifest;
}

/** name -> "ran" | "reused" | "skipped" | status, for compact assertions. */
export function stepStates(manifest: RunManifest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const step of manifest.steps) {
    out[step.name] = step.status === "skipped" ? "skipped" : step.cache_hit ? "reused" : step.status === "succeeded" ? "ran" : step.status;
  }
  return out;
}

export async function editConfig(dir: string, from: string, to: string): Promise<void> {
  const file = join(dir, "automation.toml");
  const text = await readFile(file, "utf8");
  if (!text.includes(from)) throw new Error(`automation.toml has no ${from}`);
  await writeFile(file, text.replace(from, to));
}
