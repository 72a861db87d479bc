// cli: `recomp manifest diff A B`: what differs between two runs (run id and timings ignored).
import type { Command } from "commander";
import { readTextFile } from "../config/toml.js";
import { diffManifests } from "../engine/manifest-diff.js";
import { parseManifest } from "../engine/manifest.js";
import { RecompError } from "../util/errors.js";

async function load(file: string) {
  const manifest = parseManifest(await readTextFile(file, "run manifest"));
  if (manifest === undefined) {
    throw new RecompError({ code: "format_invalid", message: "not a run-manifest.json (schema 1)", location: { file }, hint: "pass two run-manifest.json files written by recomp automate" });
  }
  return manifest;
}

export function registerManifestCommand(program: Command): void {
  const manifest = program.command("manifest").description("work with run-manifest.json files");
  manifest
    .command("diff")
    .description("print what differs between two run manifests; exit 0 when nothing does, 1 otherwise")
    .argument("<before>", "run-manifest.json")
    .argument("<after>", "run-manifest.json")
    .action(async (before: string, after: string) => {
      const lines = diffManifests(await load(before), await load(after));
      for (const line of lines) process.stdout.write(`${line}\n`);
      if (lines.length === 0) process.stdout.write("no differences (run id and timings ignored)\n");
      process.exitCode = lines.length === 0 ? 0 : 1;
    });
}
