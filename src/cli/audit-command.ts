// cli: `recomp audit --config F`: proprietary inputs and assets never in the repository.
import type { Command } from "commander";
import { auditConfig } from "../engine/audit.js";
import { RecompErrorList } from "../util/errors.js";
import { auditResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";

export function registerAuditCommand(program: Command): void {
  jsonOption(program.command("audit"))
    .description("check that no file git tracks (or would track) has the hash of a provenance input or an extracted asset; exit 2 if one does")
    .requiredOption("--config <file>", "automation.toml")
    .action(async (flags: { config: string; json?: boolean }) => {
      const result = await auditConfig(flags.config);
      if (result.violations.length > 0) throw new RecompErrorList(result.violations);
      const where = result.repository === undefined ? "the config is not inside a git work tree" : `${result.filesChecked} tracked or trackable files checked`;
      const summary = { passed: true, in_git_work_tree: result.repository !== undefined, files_checked: result.filesChecked, protected_hashes: result.protectedHashes };
      printResult(flags.json, auditResultSchema, summary, `audit passed: ${where}; ${result.protectedHashes} protected hashes\n`);
    });
}
