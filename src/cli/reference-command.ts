// cli: `recomp reference adopt`: make a title's first capture its reference (docs/validation.md).
import { statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { adoptCaptureAsReference } from "../engine/adopt-reference.js";
import { displayPath } from "../engine/paths.js";

export function registerReferenceCommand(program: Command): void {
  const reference = program.command("reference").description("a title's reference hash lists");
  reference
    .command("adopt")
    .description("write reference_video.toml from the last capture (its hash lists copied beside it); only when there is no reference yet")
    .option("--config <file>", "automation.toml, or a folder holding one", "automation.toml")
    .option("--lists <folder>", "folder (beside reference_video.toml) that receives the hash lists", "reference")
    .action(async (flags: { config: string; lists: string }) => {
      const config = statSync(flags.config, { throwIfNoEntry: false })?.isDirectory() === true ? join(flags.config, "automation.toml") : flags.config;
      const adopted = await adoptCaptureAsReference(config, flags.lists);
      const cwd = process.cwd();
      process.stdout.write(`wrote ${displayPath(cwd, adopted.referenceVideoToml)} and ${adopted.copied.map((f) => displayPath(cwd, f)).join(", ")}\n`);
    });
}
