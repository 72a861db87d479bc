// init: `recomp init INPUT`: a new title folder for a homebrew NRO, an NSO folder or an XCI, ready for
// `recomp automate`: automation.toml, provenance.toml (name, id, version from the NACP, NPDM or CNMT), title.toml, capture_video.toml,
// an input_script.toml skeleton, the JSON Schemas and a taplo config (every TOML file starts with a
// `#:schema` line), and a .gitignore that keeps work/ (outputs and extracted assets) out of git.
// Written into a temp folder beside the target and renamed: nothing is ever half-written.
import { mkdir, readdir, readFile, realpath, rename, rm } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { jsonSchemaFor } from "../config/json-schema.js";
import type { Personality } from "../config/title.js";
import { searchPath } from "../util/program-path.js";
import { gitWorkTreeOf } from "../intake/asset-separation.js";
import { writeProvenance } from "../intake/provenance-init.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { cacheHomeToken } from "../util/cache-home.js";
import { RecompError } from "../util/errors.js";
import { recompVersion } from "../util/version.js";
import { readTitleInput, type InputKind, type TitleInput } from "./title-input.js";
import type { TitleFacts } from "./title-identity.js";

export interface InitOptions {
  input: string;
  out: string;
  /** Default "horizon": real homebrew is libnx homebrew, run on Horizon's kernel and services. */
  personality?: Personality;
  /** Collection date for provenance.toml (YYYY-MM-DD); today (UTC) by default. */
  collectedAt?: string;
  /** XCI: the keyset (default: prod.keys beside the image, else ~/.switch/prod.keys) and title keys. */
  keys?: string;
  titleKeys?: string;
}

export interface InitResult {
  folder: string;
  files: string[];
  kind: InputKind;
  facts: TitleFacts;
  notes: string[];
}

const schemaFiles: Record<string, string> = {
  "automation.toml": "automation",
  "provenance.toml": "provenance",
  "title.toml": "title",
  "capture_video.toml": "capture-video",
  "input_script.toml": "input-script",
  "reference_video.toml": "reference-video",
  "validation_config.toml": "validation-config",
};

const quote = (text: string): string => JSON.stringify(text);
const posix = (path: string): string => path.split(sep).join("/");
const schemaLine = (file: string): string => `#:schema ./schemas/${schemaFiles[file] ?? ""}.schema.json`;
const pageUp = (size: number): number => Math.ceil(size / 0x1000) * 0x1000;
const hex = (value: number | bigint): string => `0x${value.toString(16)}`;

/** How the run command calls recomp: `recomp` when it is on PATH, else this very install. */
async function recompArgv(): Promise<string[]> {
  if (searchPath("recomp").found !== undefined) return ["recomp"];
  const script = process.argv[1];
  if (script === undefined) return ["recomp"];
  return ["node", await realpath(script)];
}

async function assertFreshFolder(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => undefined);
  if (entries !== undefined && entries.length > 0) {
    throw new RecompError({ code: "output_refused", message: "the title folder exists and is not empty", location: { file: folder }, hint: "pass --out with a new folder; init never writes over files" });
  }
}

export async function initTitle(options: InitOptions): Promise<InitResult> {
  const folder = resolve(options.out);
  await assertFreshFolder(folder);
  const input = resolve(options.input);
  const title = await readTitleInput(input, options);
  const staging = join(dirname(folder), `.${basename(folder)}.init-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging, { recursive: true });
    const files = await writeTitleFiles(staging, folder, title, options);
    await rm(folder, { recursive: true, force: true }); // only an empty folder gets here
    await rename(staging, folder);
    return { folder, files, kind: title.kind, facts: title.facts, notes: title.notes };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function writeTitleFiles(dir: string, finalDir: string, title: TitleInput, options: InitOptions): Promise<string[]> {
  const personality = options.personality ?? "horizon";
  const { identity } = title.facts;
  const texts: Record<string, string> = {
    "automation.toml": automationToml(title, finalDir, await recompArgv(), assetsRootFor(finalDir)),
    "title.toml": titleToml(identity.name, personality, title.facts),
    "capture_video.toml": captureVideoToml(),
    "input_script.toml": inputScriptToml(identity.name),
    ".gitignore": "# recomp's outputs and the title's extracted assets: never in git.\nwork/\n",
    ".taplo.toml": taploToml(),
  };
  for (const [file, text] of Object.entries(texts)) await writeFileAtomic(join(dir, file), text);
  for (const name of new Set(Object.values(schemaFiles))) await writeFileAtomic(join(dir, "schemas", `${name}.schema.json`), jsonSchemaFor(name) ?? "{}");
  // provenance.toml names the inputs relative to the final folder: written there by path, then moved with the rest.
  await writeProvenance(title.provenanceFiles, {
    out: join(dir, "provenance.toml"),
    titleName: identity.name,
    titleId: identity.titleId,
    titleVersion: identity.version,
    region: "none",
    device: `REQUIRED: where the ${title.kind === "nro" ? "NRO" : title.kind === "xci" ? "XCI" : "NSO"} came from (e.g. built from <repository> at <commit>, or dumped from your own card)`,
    collectedAt: options.collectedAt ?? new Date().toISOString().slice(0, 10),
    toolName: "recomp init",
    toolVersion: recompVersion(),
    header: [schemaLine("provenance.toml"), `# Written by \`recomp init\`: title name, id and version from ${identity.source}; check [collection].device.`],
  });
  await fixProvenancePaths(join(dir, "provenance.toml"), dir, finalDir);
  return [...Object.keys(texts), "provenance.toml", "schemas/"];
}

/** writeProvenance made paths relative to the staging folder; they must be relative to the final one. */
async function fixProvenancePaths(file: string, staging: string, finalDir: string): Promise<void> {
  const text = await readFile(file, "utf8");
  const fixed = text.replace(/^path = "([^"]*)"$/gm, (_line, path: string) => `path = ${quote(posix(relative(finalDir, resolve(staging, path))))}`);
  await writeFileAtomic(file, fixed);
}

/**
 * work/assets, unless the title folder lies in a git work tree: intake keeps extracted assets out of
 * every repository (ignored or not), so they go to the user's cache folder instead.
 */
function assetsRootFor(folder: string): string {
  if (gitWorkTreeOf(dirname(folder)) === undefined) return "work/assets";
  return `${cacheHomeToken}/recomp/${basename(folder)}-assets`;
}

function automationToml(title: TitleInput, finalDir: string, recomp: string[], assetsRoot: string): string {
  const argv = (items: string[]) => `[${items.map(quote).join(", ")}]`;
  const path = (absolute: string): string => posix(relative(finalDir, absolute));
  const inputs = title.automationInputs.paths.map(([key, value]) => `${key} = ${typeof value === "string" ? quote(path(value)) : argv(value.map(path))}`);
  const selfNro = title.selfNro === undefined ? [] : [`RECOMP_SELF_NRO=${path(title.selfNro)}`];
  const run = ["env", "RECOMP_SDMC_DIR=work/sdmc", ...selfNro, ...recomp, "replay", "run", "--", "work/build/recomp-title",
    "--fps", "60", "--capture-dir", "work/run", "--frames-dir", "work/run/frames", "--audio-file", "work/run/audio.wav"];
  return `${schemaLine("automation.toml")}
# Written by \`recomp init\`. \`recomp automate\` in this folder runs the whole loop; until
# reference_video.toml exists it stops after hashing the capture (verdict "no reference"), and
# \`recomp reference adopt\` makes that capture the reference. Outputs stay in work/ (git-ignored).
schema_version = "1"

[inputs]
mode = ${quote(title.automationInputs.mode)}
provenance = "provenance.toml"
config = "title.toml"
${inputs.join("\n")}

[outputs]
work_root = "work"
run_dir = "work/run"
# Extracted assets (RomFS, icon, NACP): never inside a git work tree.
assets_dir = ${quote(assetsRoot)}

[reference]
reference_video_toml = "reference_video.toml"
capture_video_toml = "capture_video.toml"
input_script_toml = "input_script.toml"

[capture]
video_path = "work/capture/capture.mkv"
frames_dir = "work/capture/frames"
audio_file = "work/capture/audio.wav"

[commands]
build = ["make", "-s", "-C", "work/build"]
run = ${argv(run)}
# Lossless (FFV1 + PCM): the capture's hashes are exact.
capture = ["ffmpeg", "-v", "error", "-y", "-framerate", "60", "-i", "work/run/frames/frame_%06d.ppm", "-i", "work/run/audio.wav",
  "-c:v", "ffv1", "-c:a", "pcm_s16le", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
  "work/capture/capture.mkv"]
extract_frames = ["ffmpeg", "-v", "error", "-i", "work/capture/capture.mkv", "-pix_fmt", "rgb24", "-fflags", "+bitexact", "-flags:v", "+bitexact",
  "work/capture/frames/%06d.png"]
extract_audio = ["ffmpeg", "-v", "error", "-y", "-i", "work/capture/capture.mkv", "-vn", "-c:a", "pcm_s16le", "-fflags", "+bitexact",
  "-flags:a", "+bitexact", "work/capture/audio.wav"]

[run]
lift_entry = "entry"
lift_mode = "decode"
stage_timeout_minutes = 20
`;
}

function titleToml(name: string, personality: Personality, facts: TitleFacts): string {
  const base = 0x10000000;
  const { segments, bssSize } = facts.layout;
  const regions = segments.map((segment) => {
    const size = segment.name === "data" ? pageUp(segment.size + bssSize) : pageUp(segment.size);
    const permissions = segment.name === "text" ? "r-x" : segment.name === "rodata" ? "r--" : "rw-";
    return `[[runtime.memory_layout.regions]]\nname = ${quote(segment.name)}\nbase = ${hex(base + segment.memoryOffset)}\nsize = ${hex(size)}\npermissions = ${quote(permissions)}\n`;
  });
  regions.push(`[[runtime.memory_layout.regions]]\nname = "stack"\nbase = 0x3000000000\nsize = 0x100000\npermissions = "rw-"\n`);
  return `${schemaLine("title.toml")}
# Written by \`recomp init\`: the main module's segments mapped at 0x10000000 (data covers .bss), a 1 MiB stack.
title = ${quote(name)}
entry = "entry"
abi_version = "1"

[runtime]
# "horizon": Horizon's kernel, IPC and services, as libnx homebrew expects (docs/runtime-horizon.md).
personality = ${quote(personality)}
performance_mode = "handheld"

${regions.join("\n")}`;
}

function captureVideoToml(): string {
  return `${schemaLine("capture_video.toml")}
# What the loop captures (written by \`recomp init\`): the run's frames and audio, losslessly. The hash stages write the lists below.
schema_version = "1"

[video]
path = "work/capture/capture.mkv"
width = 1280
height = 720
fps = 60

[hashes.frames]
format = "list"
path = "work/capture/frames.sha256"

[hashes.audio]
format = "list"
path = "work/capture/audio.sha256"
`;
}

function inputScriptToml(name: string): string {
  return `${schemaLine("input_script.toml")}
# Input script skeleton (written by \`recomp init\`): the presses the run replays, at presented frames.
# Add [[events]] for what your title needs; libnx examples end when Plus is pressed.
schema_version = "1"

[metadata]
title = ${quote(name)}
controller = "pro_controller"
timing_mode = "frames"
notes = "Frames are presented frames (60 Hz)."

[[events]]
frame = 120
control = "plus"
value = 1
note = "exit (most libnx homebrew quits on Plus)"

[[markers]]
name = "boot"
frame = 0
`;
}

function taploToml(): string {
  const rules = Object.entries(schemaFiles).map(([file, name]) => `[[rule]]\ninclude = [${quote(file)}]\n[rule.schema]\npath = ${quote(`./schemas/${name}.schema.json`)}\n`);
  return `# Editors (taplo, Even Better TOML): complete and check this title's files with recomp's schemas.\n\n${rules.join("\n")}`;
}
