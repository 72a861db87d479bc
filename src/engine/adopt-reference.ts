// engine: `recomp reference adopt`: a title's first capture becomes its reference. The capture's hash
// lists (and features) are copied beside reference_video.toml, which is written from capture_video.toml
// ([video], [audio]) naming them. Only when no reference exists: nothing is overwritten.
import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { featuresPathFor } from "../media/features-file.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { RecompError } from "../util/errors.js";
import { displayPath } from "./paths.js";
import { loadAutomationConfig } from "./resolved-config.js";

export interface AdoptedReference {
  referenceVideoToml: string;
  copied: string[];
}

const quote = (text: string): string => JSON.stringify(text);

export async function adoptCaptureAsReference(configFile: string, listsFolder = "reference"): Promise<AdoptedReference> {
  const config = await loadAutomationConfig(configFile);
  const p = config.paths;
  const shown = (path: string) => displayPath(process.cwd(), path);
  if (config.reference !== undefined) {
    throw new RecompError({ code: "output_refused", message: "a reference already exists", location: { file: shown(p.referenceVideoToml) }, hint: "adopt only replaces a missing reference; move this one away first if it is really wrong" });
  }
  const referenceDir = dirname(p.referenceVideoToml);
  const targetDir = join(referenceDir, listsFolder);
  if ((await stat(targetDir).catch(() => undefined)) !== undefined) {
    throw new RecompError({ code: "output_refused", message: "the folder for the reference's hash lists already exists", location: { file: shown(targetDir) }, hint: "move it away, or pass another folder name with --lists" });
  }
  const lists: { kind: "frames" | "audio"; path: string }[] = [{ kind: "frames", path: p.captureFrameHashes }];
  if (p.captureAudioHashes !== undefined) lists.push({ kind: "audio", path: p.captureAudioHashes });
  for (const list of lists) {
    for (const file of [list.path, featuresPathFor(list.path)]) {
      if ((await stat(file).catch(() => undefined)) === undefined) {
        throw new RecompError({ code: "input_missing", message: "the capture's hash list is not there yet", location: { file: shown(file) }, hint: `run \`recomp automate --config ${shown(p.configFile)}\` first` });
      }
    }
  }
  await mkdir(targetDir);
  const copied: string[] = [];
  for (const list of lists) {
    for (const [from, name] of [
      [list.path, `${list.kind}.sha256`],
      [featuresPathFor(list.path), `${list.kind}.sha256.features`],
    ] as const) {
      await copyFile(from, join(targetDir, name));
      copied.push(join(targetDir, name));
    }
  }
  const { video, audio } = config.capture;
  const listPath = (kind: string) => `${relative(referenceDir, targetDir).split(sep).join("/")}/${kind}.sha256`;
  const text = [
    "#:schema ./schemas/reference-video.schema.json",
    `# This title's reference: its first capture, adopted by \`recomp reference adopt\` from ${displayPath(referenceDir, p.captureVideoToml)}.`,
    'schema_version = "1"',
    "",
    "[video]",
    `path = ${quote(displayPath(referenceDir, join(dirname(p.captureVideoToml), video.path)))}`,
    `width = ${video.width}`,
    `height = ${video.height}`,
    `fps = ${video.fps}`,
    ...(audio === undefined ? [] : ["", "[audio]", `sample_rate = ${audio.sample_rate}`, `channels = ${audio.channels}`]),
    ...lists.flatMap((list) => ["", `[hashes.${list.kind}]`, 'format = "list"', `path = ${quote(listPath(list.kind))}`]),
    "",
  ].join("\n");
  await writeFileAtomic(p.referenceVideoToml, text);
  return { referenceVideoToml: p.referenceVideoToml, copied };
}
