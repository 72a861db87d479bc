import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os"; import { join } from "node:path";
import { validateRun } from "../src/validate/index.js";
const dir = mkdtempSync(join(tmpdir(), "vb-"));
const seconds = 150;
function toml(name: string, file: string, timeline: boolean): string {
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, ['schema_version = "1"', "[video]", `path = "${file}"`, "width = 1280", "height = 720", "fps = 30",
    "[hashes.frames]", `format = "file"`, `path = "${file}"`, "[hashes.audio]", `format = "file"`, `path = "${file}"`,
    ...(timeline ? ["[timeline]", "start = 0", `end = ${seconds}`] : []), ""].join("\n"));
  return path;
}
const config = join(dir, "validation_config.toml");
writeFileSync(config, '[comparison]\nmode = "perceptual"\n');
const t = performance.now(); const c = process.cpuUsage();
const r = await validateRun({ referenceVideoToml: toml("reference", "/tmp/vbench/crf18.mp4", true), captureVideoToml: toml("capture", "/tmp/vbench/crf28.mp4", false), validationConfigToml: config, outDir: join(dir, "out") });
const u = process.cpuUsage(c);
console.log(r.summary);
console.log(`wall ${((performance.now() - t) / 1000).toFixed(2)} node cpu ${((u.user + u.system) / 1e6).toFixed(2)}`);
