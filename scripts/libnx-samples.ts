// The libnx samples (samples/libnx/<name>) copied to a folder of their own, for `recomp automate` runs that write
// nothing into the clone: the configs' paths back into the repository ("../../../test/fixtures/…",
// "../../../bin/recomp.js") become absolute paths of this clone.
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { exactValidationToml } from "../src/config/exact-validation.js";
import { formatTimecode } from "../src/config/timecode.js";

export const repoRoot = resolve(import.meta.dirname, "..");
export const libnxExamples = ["simplegfx", "hello-world", "read-controls", "playtone"] as const;
export type LibnxExample = (typeof libnxExamples)[number];

/** Copies samples/libnx/`name` into `dir` (which must exist), its relative paths to the clone made absolute. */
export async function copyLibnxSample(name: LibnxExample, dir: string): Promise<void> {
  const sample = join(repoRoot, "samples", "libnx", name);
  await cp(sample, dir, { recursive: true, filter: (source) => !source.startsWith(join(sample, "work")) });
  for (const file of await readdir(dir)) {
    if (!file.endsWith(".toml")) continue;
    const text = await readFile(join(dir, file), "utf8");
    await writeFile(join(dir, file), text.replaceAll('"../../../', `"${repoRoot}/`));
  }
}

/** `recomp automate` in a copied sample; returns its exit code and output. */
export async function automateSample(dir: string, ...extra: string[]): Promise<{ code: number; output: string }> {
  const run = await execa(process.execPath, [join(repoRoot, "bin", "recomp.js"), "automate", "--config", "automation.toml", ...extra], {
    cwd: dir,
    reject: false,
    all: true,
  });
  return { code: run.exitCode ?? -1, output: run.all };
}

/**
 * reference_video.toml of a libnx sample: 1280x720 at 60 Hz, 48 kHz stereo, exact validation against
 * reference/{frames,audio}.sha256; `header` is its comment (where the lists come from), `frames` sets the timeline.
 */
export function libnxReferenceToml(options: { header: string; name: string; frames: number; notes: string }): string {
  return `${options.header.trimEnd().split("\n").map((line) => `# ${line}`.trimEnd()).join("\n")}
schema_version = "1"

[video]
# No media file: the hash lists below are the reference.
path = "reference"
width = 1280
height = 720
fps = 60

[normalization.profile]
width = 1280
height = 720
fps = 60
audio_sample_rate = 48000
audio_channels = 2

[timeline]
start = "00:00:00.000"
end = "${formatTimecode(options.frames / 60)}"

[[timeline.events]]
name = "boot"
time = "00:00:00.000"

[hashes.frames]
format = "list"
path = "reference/frames.sha256"

[hashes.audio]
format = "list"
path = "reference/audio.sha256"

${exactValidationToml({ name: `libnx ${options.name} exact`, notes: options.notes, requireAudio: true })}`;
}
