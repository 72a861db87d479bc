// engine: recomp deletes or overwrites only what it created. Before any stage runs, every configured
// output (by its real path, symlinks resolved) is checked: an output root is never the filesystem
// root, the home folder, the repository root, the config's folder or a folder holding an input, and
// an output that already exists must be one recomp wrote. Ownership is recorded in
// <work_root>/.recomp/owned.json before a stage creates or empties anything (write-ahead), so a run
// killed halfway still knows its own half-written outputs.
import { realpathSync } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { isInside } from "../intake/asset-separation.js";
import { assetsRootMarker } from "../intake/staged-folder.js";
import { gitWorkTreeOf } from "../intake/asset-separation.js";
import { RecompError, RecompErrorList } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";

const ownedFileSchema = z.object({
  version: z.literal(1),
  paths: z.array(z.string()).describe("real paths of the files and folders recomp created for this work root"),
});

/**
 * The real path of `path`, which need not exist: its deepest existing ancestor is resolved. Synchronous: a
 * no-op re-run resolves some 130 paths, and each thread-pool round trip of the asynchronous call cost more
 * than the call itself (issue 11).
 */
export function realPathOf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(realPathOf(parent), basename(path));
  }
}

export class Ownership {
  private readonly paths: Set<string>;
  private constructor(
    private readonly file: string,
    known: Iterable<string>,
  ) {
    this.paths = new Set(known);
  }

  /** What owned.json records, plus (for work roots from before it existed) the stage records' outputs. */
  static async open(stateDir: string, recorded: readonly string[]): Promise<Ownership> {
    const file = join(stateDir, "owned.json");
    let listed: string[] = [];
    try {
      const parsed = ownedFileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      if (parsed.success) listed = parsed.data.paths;
    } catch {
      // No record yet.
    }
    const legacy = recorded.map(realPathOf);
    return new Ownership(file, [...listed, ...legacy]);
  }

  owns(path: string): boolean {
    return this.paths.has(realPathOf(path));
  }

  /** Records paths as recomp's before it writes them. */
  async claim(paths: readonly string[]): Promise<void> {
    const before = this.paths.size;
    for (const path of paths) this.paths.add(realPathOf(path));
    if (this.paths.size !== before) await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, paths: [...this.paths].sort() }, null, 2)}\n`);
  }
}

export interface OutputCheck {
  path: string;
  /** Config key that names it, for the error. */
  key: string;
  kind: "file" | "folder";
  /** Emptied before its stage runs. */
  exclusive?: boolean;
}

export interface SafetyContext {
  configFile: string;
  configDir: string;
  stateDir: string;
  /** Files and folders the run reads. */
  inputs: readonly string[];
  ownership: Ownership;
}

function refused(context: SafetyContext, key: string, message: string, hint: string): RecompError {
  return new RecompError({ code: "output_refused", message, location: { file: context.configFile, keyPath: key }, hint });
}

/** Why a folder can never be an output root, if it cannot. */
function forbiddenRoot(real: string, context: SafetyContext, inputs: readonly string[]): string | undefined {
  if (real === "/") return "is the filesystem root";
  if (real === realPathOf(homedir())) return "is your home folder";
  if (real === realPathOf(context.configDir)) return "is the folder of the config file";
  const repository = gitWorkTreeOf(real);
  if (repository !== undefined && real === realPathOf(repository)) return "is the root of a git repository";
  const input = inputs.find((path) => isInside(path, real));
  if (input !== undefined) return `holds the input ${input}`;
  return undefined;
}

async function firstEntry(folder: string): Promise<string | undefined> {
  const names = await readdir(folder).catch(() => []);
  return names.sort()[0];
}

export async function checkOutputs(outputs: readonly OutputCheck[], context: SafetyContext): Promise<void> {
  const errors: RecompError[] = [];
  const inputs = context.inputs.map(realPathOf);
  const stateDir = realPathOf(context.stateDir);
  const reals = outputs.map((o) => realPathOf(o.path));
  for (const [index, output] of outputs.entries()) {
    const real = reals[index] ?? output.path;
    const shown = real === output.path ? `"${output.path}"` : `"${output.path}" (really ${real})`;
    if (output.kind === "folder") {
      const why = forbiddenRoot(real, context, inputs);
      if (why !== undefined) {
        errors.push(refused(context, output.key, `output folder ${shown} ${why}`, "point it at a new folder of its own, e.g. under the work root"));
        continue;
      }
    } else if (inputs.includes(real)) {
      errors.push(refused(context, output.key, `output file ${shown} is an input of the run`, "name a new file under the work root"));
      continue;
    }
    if (output.exclusive === true) {
      const inner = reals.find((other, j) => j !== index && other !== real && isInside(other, real));
      if (isInside(stateDir, real) || inner !== undefined) {
        errors.push(refused(context, output.key, `folder ${shown} is emptied before its stage runs but holds ${inner ?? stateDir}`, "give it a folder of its own"));
        continue;
      }
    }
    const info = await lstat(real).catch(() => undefined);
    if (info === undefined || context.ownership.owns(real)) continue;
    if (output.kind === "folder" && info.isDirectory()) {
      const entry = await firstEntry(real);
      // Empty, or an assets root that intake marked as its own.
      if (entry === undefined || (await lstat(join(real, assetsRootMarker)).catch(() => undefined)) !== undefined) continue;
      errors.push(
        refused(context, output.key, `output folder ${shown} already holds files recomp did not write (e.g. "${entry}")`, "point it at a new or empty folder; recomp never deletes what it did not create"),
      );
    } else {
      errors.push(
        refused(context, output.key, `output ${output.kind} ${shown} already exists and was not written by recomp`, "point it at a new path, or move the existing one away; recomp never overwrites what it did not create"),
      );
    }
  }
  if (errors.length > 0) throw new RecompErrorList(errors);
}
