// cli: `recomp audit --config F`: proprietary inputs and assets never in the repository.
import type { Command } from "commander";
import { auditConfig } from "../engine/audit.js";
import { RecompErrorList } from "../util/errors.js";

export function registerAuditCommand(program: Command): void {
  program
    .command("audit")
    .description("check that no file git tracks (or would track) has the hash of a provenance input or an extracted asset; exit 2 if one does")
    .requiredOption("--config <file>", "automation.toml")
    .action(async (flags: { config: string }) => {
      const result = await auditConfig(flags.config);
      if (result.violations.length > 0) throw new RecompErrorList(result.violations);
      const where = result.repository === undefined ? "the config is not inside a git work tree" : `${result.filesChecked} tracked or trackable files checked`;
      process.stdout.write(`audit passed: ${where}; ${result.protectedHashes} protected hashes\n`);
    });
}
