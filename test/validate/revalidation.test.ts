// Re-validation from stored features (hash lists + their features files) gives the same result as
// decoding both sides' media: same verdict, frames, worst region, checks and failures.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colourBytes, extractPerceptualFeatures, writeFrameHashes } from "../../src/media/index.js";
import { writeFullFrames, writeSeekedFrame } from "../../src/validate/full-frames.js";
import { validateRun } from "../../src/validate/index.js";
import { requireTools } from "../helpers/tools.js";
import { edits, fps, height, makeReference, makeVariant, width } from "./sensitivity-matrix.js";

function sideToml(path: string, media: string, format: "file" | "list", frames: string): string {
  writeFileSync(path, [
    'schema_version = "1"', "[video]", `path = "${media}"`, `width = ${width}`, `height = ${height}`, `fps = ${fps}`,
    "[hashes.frames]", `format = "${format}"`, `path = "${frames}"`, "",
  ].join("\n"));
  return path;
}

describe.runIf(requireTools("ffmpeg", "ffprobe"))("re-validation from stored features", () => {
  let dir: string;
  let reference: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "recomp-revalidate-"));
    reference = makeReference(dir, "game", 2);
    await writeFrameHashes({ input: reference, hashList: join(dir, "reference.frames") });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(["red box 0.5% of the frame, 3 frames", "x264 CRF 30"])("gives the result of the full path: %s", async (name) => {
    const index = edits.findIndex((e) => e.name === name);
    const edit = edits[index];
    if (edit === undefined) throw new Error(`no edit named ${name}`);
    const capture = await makeVariant(dir, "game", 2, edit, index);
    await writeFrameHashes({ input: capture, hashList: join(dir, `capture-${index}.frames`) });
    const config = join(dir, "validation_config.toml");
    writeFileSync(config, '[comparison]\nmode = "perceptual"\n');
    const run = (format: "file" | "list") =>
      validateRun({
        referenceVideoToml: sideToml(join(dir, `reference-${format}.toml`), reference, format, format === "file" ? reference : "reference.frames"),
        captureVideoToml: sideToml(join(dir, `capture-${index}-${format}.toml`), capture, format, format === "file" ? capture : `capture-${index}.frames`),
        validationConfigToml: config,
        outDir: join(dir, `out-${index}-${format}`),
      });
    const full = await run("file");
    const again = await run("list");
    // Everything but the input files' names and the tool that reported its version.
    const result = ({ report: { inputs: _inputs, tools: _tools, ...rest } }: Awaited<ReturnType<typeof run>>) => rest;
    expect(result(again)).toEqual(result(full));
    expect(full.passed).toBe(edit.expectPass);
    if (!edit.expectPass) {
      expect(full.report.frames.mismatch_runs[0]?.worst_region).toBeDefined();
      for (const name of ["reference", "capture", "difference"]) {
        const png = (format: string) => readFileSync(join(dir, `out-${index}-${format}`, `validation-first-failure-${name}.png`));
        expect(png("list").equals(png("file"))).toBe(true);
      }
    }
  });

  it("writes the first failing frame found by seeking when its stored thumbnail proves it, else decoded from the start", async () => {
    const frame = 45;
    const out = join(dir, "full-frames");
    mkdirSync(out, { recursive: true });
    const expected = join(out, "selected.png");
    execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", reference, "-vf", `select=eq(n\\,${frame})`, "-fps_mode", "passthrough", "-frames:v", "1", "-pix_fmt", "rgb24", "-bitexact", expected]);
    const features = await extractPerceptualFeatures(reference);
    const thumb = features.colour.subarray(frame * colourBytes, (frame + 1) * colourBytes);
    const pick = { input: reference, frame, fps, thumb };
    expect(await writeSeekedFrame(pick, join(out, "seeked.png"), {})).toBe(true);
    expect(readFileSync(join(out, "seeked.png")).equals(readFileSync(expected))).toBe(true);
    // A wrong declared rate seeks to another frame: its thumbnail differs, so the frame is decoded from the start.
    expect(await writeSeekedFrame({ ...pick, fps: fps / 2 }, join(out, "missed.png"), {})).toBe(false);
    await writeFullFrames(out, pick, { ...pick, fps: fps / 2 }, {});
    expect(readFileSync(join(out, "validation-first-failure-reference.png")).equals(readFileSync(expected))).toBe(true);
    expect(readFileSync(join(out, "validation-first-failure-capture.png")).equals(readFileSync(expected))).toBe(true);
  });
});
